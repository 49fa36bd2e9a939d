// GET /api/admin/accounts?q=&limit=&cursor=: search the account index (admin).
import { searchAccounts } from "~/server/admin/accounts";
import { requireAdmin } from "~/server/auth/admin";
import { endpoint } from "~/server/http/endpoint";
import { queryObject } from "~/server/http/json";

const accounts = endpoint({
  async GET({ request, url, scope }) {
    await requireAdmin(request, scope.config);
    return Response.json(await searchAccounts(scope.env.KV_BILLING, queryObject(url)));
  },
});

export const loader = accounts.loader;
export const action = accounts.action;
