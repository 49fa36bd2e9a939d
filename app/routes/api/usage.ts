// GET|POST /api/billing/usage (+ /api/usage, /usage, /api/v1/usage, /api/v1/billing/usage).
import { requireCaller } from "~/server/auth/identity";
import type { Caller, UsageQuery } from "~/server/billing/types";
import { usageFeed, usageQuerySchema } from "~/server/billing/usage";
import type { RequestScope } from "~/server/context";
import { endpoint } from "~/server/http/endpoint";
import { readJson, readQuery } from "~/server/http/json";

async function feed(scope: RequestScope, caller: Caller, query: UsageQuery) {
  return Response.json(await usageFeed(scope.env.LEDGER, caller, query));
}

export default endpoint({
  async GET({ request, url, scope }) {
    const caller = await requireCaller(request, url, scope);
    return feed(scope, caller, readQuery(url, usageQuerySchema));
  },
  async POST({ request, url, scope }) {
    const query = await readJson(request, usageQuerySchema, { emptyAsObject: true });
    return feed(scope, await requireCaller(request, url, scope), query);
  },
});
