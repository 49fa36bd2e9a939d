// GET|POST /api/billing/usage (+ /api/usage, /usage, /api/v1/usage, /api/v1/billing/usage);
// GET …?format=csv streams the caller's records as CSV.
import { z } from "zod";
import { requireCaller } from "~/server/auth/identity";
import type { Caller, UsageQuery } from "~/server/billing/types";
import { usageFeed, usageQuerySchema } from "~/server/billing/usage";
import { ownUsageCsv } from "~/server/billing/usage-export";
import type { RequestScope } from "~/server/context";
import { endpoint } from "~/server/http/endpoint";
import { readJson, readQuery, validate } from "~/server/http/json";

const formatSchema = z.enum(["json", "csv"]).default("json");

async function feed(scope: RequestScope, caller: Caller, query: UsageQuery) {
  return Response.json(await usageFeed(scope.env.LEDGER, caller, query));
}

export default endpoint({
  async GET({ request, url, scope }) {
    const format = validate(formatSchema, url.searchParams.get("format") ?? undefined);
    const caller = await requireCaller(request, url, scope);
    const query = readQuery(url, usageQuerySchema);
    return format === "csv" ? ownUsageCsv(scope.env.LEDGER, caller, query) : feed(scope, caller, query);
  },
  async POST({ request, url, scope }) {
    const query = await readJson(request, usageQuerySchema, { emptyAsObject: true });
    return feed(scope, await requireCaller(request, url, scope), query);
  },
});
