// POST /api/jobs/run: run an `si` job now (by `{ id }`, or from a whole job body).
import { requireIdentity } from "~/server/auth/identity";
import { endpoint } from "~/server/http/endpoint";
import { readJson } from "~/server/http/json";
import { runJobSchema } from "~/server/jobs/model";
import { runNow } from "~/server/jobs/service";
import { ASK_BODY_LIMIT, tierOf } from "~/server/llm/request";

export default endpoint({
  async POST({ request, url, scope }) {
    const identity = await requireIdentity(request, url, scope);
    const target = await readJson(request, runJobSchema, { limit: ASK_BODY_LIMIT });
    const job = await runNow(scope, identity, target, tierOf(request), request.signal);
    return Response.json({ ok: true, job });
  },
});
