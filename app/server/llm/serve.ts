// POST /api/si/ask as HTTP: caller, body, tier and idempotency key in; JSON or SSE out.
import { requireCaller } from "../auth/identity";
import type { RequestScope } from "../context";
import { idempotencyKey } from "../http/idempotency";
import { readJson } from "../http/json";
import { track } from "../in-flight";
import { askOnce, billingHeaders } from "./ask";
import { ASK_BODY_LIMIT, askInput, askSchema, tierOf } from "./request";
import { SI_EVENTS } from "./si-events";
import { askStream } from "./stream";

export function serveAsk(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  return track(answer(request, url, scope));
}

async function answer(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  const caller = await requireCaller(request, url, scope);
  scope.timing?.mark("auth");
  const body = await readJson(request, askSchema, { limit: ASK_BODY_LIMIT });
  const ask = {
    scope,
    caller,
    input: askInput(body),
    tier: tierOf(request),
    idempotencyKey: idempotencyKey(request),
    signal: request.signal,
  };
  scope.timing?.mark("body");
  if (body.stream) return askStream(ask, SI_EVENTS);
  const outcome = await askOnce(ask);
  return Response.json(outcome, { headers: billingHeaders(outcome) });
}
