// GET /api/uploads: the caller's uploads (name, key, size, time) and their quota.
import { requireIdentity } from "~/server/auth/identity";
import { endpoint } from "~/server/http/endpoint";
import { readQuery } from "~/server/http/json";
import { listUploads, uploadListSchema } from "~/server/uploads/list";

export default endpoint({
  async GET({ request, url, scope }) {
    const identity = await requireIdentity(request, url, scope);
    const bindings = { bucket: scope.env.R2_UPLOADS, quotas: scope.env.QUOTAS };
    return Response.json(await listUploads(bindings, scope.config, identity.account, readQuery(url, uploadListSchema)));
  },
});
