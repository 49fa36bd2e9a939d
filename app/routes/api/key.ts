// DELETE /api/keys/:id: revoke one of the calling account's keys (another account's id is a 404).
import { requireCaller } from "~/server/auth/identity";
import { endpoint } from "~/server/http/endpoint";
import { revokeKey } from "~/server/keys/manage";

export default endpoint<"id">({
  async DELETE({ request, url, params, scope }) {
    return Response.json(await revokeKey(scope.env.LEDGER, await requireCaller(request, url, scope), params.id));
  },
});
