// POST /api/si/ask as HTTP: identity, body, tier and idempotency key in; JSON or SSE out.
import { requireIdentity } from "../auth/identity";
import { refOf } from "../billing/ledger-client";
import type { RequestScope } from "../context";
import { idempotencyKey } from "../http/idempotency";
import { readJson } from "../http/json";
import { askOnce, billingHeaders } from "./ask";
import { ASK_BODY_LIMIT, askSchema, chatInputOf, tierOf } from "./request";
import { askStream } from "./stream";

export async function serveAsk(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  const identity = await requireIdentity(request, url, scope);
  const body = await readJson(request, askSchema, { limit: ASK_BODY_LIMIT });
  const ask = {
    scope,
    account: refOf(identity),
    chat: chatInputOf(body),
    tier: tierOf(request),
    idempotencyKey: idempotencyKey(request),
    signal: request.signal,
  };
  if (body.stream) return askStream(ask);
  const outcome = await askOnce(ask);
  return Response.json(outcome, { headers: billingHeaders(outcome) });
}
