// POST /__drain: the graceful stop `npm start` asks for on SIGTERM (app/server/drain.ts). Only
// with the DRAIN_SECRET it generated at start-up; anything else — and every request when no
// secret is set, as deployed — is the API's ordinary 404, so the path reveals nothing.
import { sameSecret } from "~/server/auth/admin";
import { drain } from "~/server/drain";
import { endpoint } from "~/server/http/endpoint";
import { notFound } from "~/server/http/errors";

export default endpoint({
  async POST({ request, scope }) {
    const expected = scope.config.secrets.drainSecret;
    const given = request.headers.get("X-Drain-Secret");
    if (!expected || !given || !(await sameSecret(given, expected))) throw notFound("No API endpoint at this path.");
    const report = await drain(scope.config.llm.deadlineMs);
    return Response.json({ ok: true, ...report });
  },
});
