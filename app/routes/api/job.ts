// GET|PATCH /api/jobs/:id: one of the caller's jobs; cancel it, or change its title/metadata.
import { requireIdentity } from "~/server/auth/identity";
import { endpoint } from "~/server/http/endpoint";
import { readJson } from "~/server/http/json";
import { patchJobSchema, publicJob } from "~/server/jobs/model";
import { editJob, ownJob } from "~/server/jobs/service";

export default endpoint<"id">({
  async GET({ request, url, params, scope }) {
    const identity = await requireIdentity(request, url, scope);
    return Response.json({ ok: true, job: publicJob(await ownJob(scope, identity, params.id)) });
  },
  async PATCH({ request, url, params, scope }) {
    const identity = await requireIdentity(request, url, scope);
    const patch = await readJson(request, patchJobSchema);
    return Response.json({ ok: true, job: await editJob(scope, identity, params.id, patch) });
  },
});
