// GET|POST /api/jobs: list the caller's jobs, or create one (`type: "si"`).
import { requireIdentity } from "~/server/auth/identity";
import { endpoint } from "~/server/http/endpoint";
import { readJson, readQuery } from "~/server/http/json";
import { createJobSchema, listJobsSchema, publicJob } from "~/server/jobs/model";
import { createJob, listJobs } from "~/server/jobs/service";
import { ASK_BODY_LIMIT, tierOf } from "~/server/llm/request";

export default endpoint({
  async GET({ request, url, scope }) {
    const identity = await requireIdentity(request, url, scope);
    return Response.json(await listJobs(scope, identity, readQuery(url, listJobsSchema)));
  },
  async POST({ request, url, scope }) {
    const identity = await requireIdentity(request, url, scope);
    const body = await readJson(request, createJobSchema, { limit: ASK_BODY_LIMIT });
    const job = await createJob(scope, identity, body, tierOf(request));
    return Response.json({ ok: true, job: publicJob(job) }, { status: 201 });
  },
});
