// GET|POST /api/billing/usage (+ /api/usage, /usage, /api/v1/usage, /api/v1/billing/usage).
import { type Identity, requireIdentity } from "~/server/auth/identity";
import { refOf } from "~/server/billing/ledger-client";
import type { UsageQuery } from "~/server/billing/types";
import { usageFeed, usageQuerySchema } from "~/server/billing/usage";
import type { RequestScope } from "~/server/context";
import { endpoint } from "~/server/http/endpoint";
import { readJson, readQuery } from "~/server/http/json";

async function feed(scope: RequestScope, identity: Identity, query: UsageQuery) {
  return Response.json(await usageFeed(scope.env.LEDGER, refOf(identity), query));
}

export default endpoint({
  async GET({ request, url, scope }) {
    const identity = await requireIdentity(request, url, scope);
    return feed(scope, identity, readQuery(url, usageQuerySchema));
  },
  async POST({ request, url, scope }) {
    const query = await readJson(request, usageQuerySchema, { emptyAsObject: true });
    return feed(scope, await requireIdentity(request, url, scope), query);
  },
});
