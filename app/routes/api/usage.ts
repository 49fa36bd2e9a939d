// GET|POST /api/billing/usage (+ /api/usage, /usage, /api/v1/usage, /api/v1/billing/usage).

import { z } from "zod";
import { requireIdentity } from "~/server/auth/identity";
import { refOf } from "~/server/billing/credits";
import { usageFeed } from "~/server/billing/usage";
import { type EndpointArgs, endpoint } from "~/server/http/endpoint";
import { queryObject, readJson } from "~/server/http/json";

async function feed({ request, url, scope }: EndpointArgs, fields: unknown) {
  const identity = await requireIdentity(request, url, scope);
  return Response.json(await usageFeed(scope.env.LEDGER, refOf(identity), fields));
}

const usage = endpoint({
  GET: (args) => feed(args, queryObject(args.url)),
  async POST(args) {
    const body = await readJson(args.request, z.record(z.string(), z.unknown()), { emptyAsObject: true });
    return feed(args, body);
  },
});

export const loader = usage.loader;
export const action = usage.action;
