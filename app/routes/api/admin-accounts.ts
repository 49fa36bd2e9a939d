// GET /api/admin/accounts?q=&limit=&cursor=: search the account index (admin).
import { accountSearchSchema, searchAccounts } from "~/server/admin/accounts";
import { requireAdmin } from "~/server/auth/admin";
import { endpoint } from "~/server/http/endpoint";
import { readQuery } from "~/server/http/json";

export default endpoint({
  async GET({ request, url, scope }) {
    await requireAdmin(request, scope);
    return Response.json(await searchAccounts(scope.env.KV_BILLING, readQuery(url, accountSearchSchema)));
  },
});
