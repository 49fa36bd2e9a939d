// GET|HEAD /ready and its aliases: 200 when ready, 503 naming what is misconfigured.
import { readiness } from "~/server/health";
import { endpoint } from "~/server/http/endpoint";
import { ApiError, envelope } from "~/server/http/errors";

export default endpoint({
  async GET({ scope }) {
    const { ok, provider, model, local_upstream, identity_mode, providers, problems, tts } = await readiness(scope);
    if (ok) return Response.json({ ok, provider, model, local_upstream, identity_mode, providers, tts });
    const names = problems.map((problem) => problem.name);
    const notReady = new ApiError(503, "not_ready", `Not ready: ${names.join(", ")}.`);
    // The envelope, with what an operator needs beside it: which provider, and every problem.
    return Response.json(
      { ...envelope(notReady, scope.requestId), provider, model, identity_mode, providers, problems, tts },
      { status: 503 },
    );
  },
});
