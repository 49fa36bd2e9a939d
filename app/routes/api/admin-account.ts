// GET /api/admin/accounts/:account: balance, usage page and 30 daily totals (admin).
import { accountDetail } from "~/server/admin/accounts";
import { requireAdmin } from "~/server/auth/admin";
import { usageQuerySchema } from "~/server/billing/usage";
import { endpoint } from "~/server/http/endpoint";
import { readQuery } from "~/server/http/json";

export default endpoint<"account">({
  async GET({ request, url, params, scope }) {
    await requireAdmin(request, scope);
    const query = readQuery(url, usageQuerySchema);
    return Response.json(await accountDetail(scope.env.LEDGER, params.account, query));
  },
});
