// DELETE /api/uploads/:key (the key URL-encoded): the owner deletes an upload, freeing its quota.
import { requireIdentity } from "~/server/auth/identity";
import { endpoint } from "~/server/http/endpoint";
import { deleteUpload } from "~/server/uploads/remove";

export default endpoint<"key">({
  async DELETE({ request, url, params, scope }) {
    const identity = await requireIdentity(request, url, scope);
    const bindings = { bucket: scope.env.R2_UPLOADS, quotas: scope.env.QUOTAS };
    return Response.json(await deleteUpload(bindings, scope.config, identity.account, params.key));
  },
});
