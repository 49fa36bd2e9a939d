// POST /api/upload/direct?filename=<name>: a direct binary upload into R2.
import { requireIdentity } from "~/server/auth/identity";
import { endpoint } from "~/server/http/endpoint";
import { directUpload } from "~/server/uploads/direct";

export default endpoint({
  async POST({ request, url, scope }) {
    const identity = await requireIdentity(request, url, scope);
    return Response.json(await directUpload(request, url, scope, identity), { status: 201 });
  },
});
