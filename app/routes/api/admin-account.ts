// GET /api/admin/accounts/:account: balance, usage page and 30 daily totals (admin).
import { accountDetail } from "~/server/admin/accounts";
import { requireAdmin } from "~/server/auth/admin";
import { endpoint } from "~/server/http/endpoint";
import { queryObject } from "~/server/http/json";

const account = endpoint({
  async GET({ request, url, params, scope }) {
    await requireAdmin(request, scope.config);
    return Response.json(await accountDetail(scope.env.LEDGER, params.account ?? "", queryObject(url)));
  },
});

export const loader = account.loader;
export const action = account.action;
