// DELETE /api/admin/keys/:id: revoke any account's key (admin); it fails on its next use everywhere.
import { requireAdmin } from "~/server/auth/admin";
import { endpoint } from "~/server/http/endpoint";
import { revokeKey } from "~/server/keys/manage";

export default endpoint<"id">({
  async DELETE({ request, params, scope }) {
    await requireAdmin(request, scope);
    return Response.json(await revokeKey(scope.env.LEDGER, null, params.id));
  },
});
