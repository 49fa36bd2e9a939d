// POST /api/si/ask as HTTP: caller, body, tier and idempotency key in; JSON or SSE out.
import { withAttachments } from "../attachments/resolve";
import { requireCaller } from "../auth/identity";
import type { RequestScope } from "../context";
import { idempotencyKey } from "../http/idempotency";
import { readJson } from "../http/json";
import { trackAnswer } from "../in-flight";
import { askOnce, billingHeaders } from "./ask";
import { ASK_BODY_LIMIT, askInput, askSchema, attachmentRefs, tierOf } from "./request";
import { siEvents } from "./si-events";
import { askStream } from "./stream";
import { askSeesImages } from "./vision";

export function serveAsk(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  return trackAnswer(answer(request, url, scope));
}

async function answer(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  const caller = await requireCaller(request, url, scope);
  scope.timing?.mark("auth");
  const body = await readJson(request, askSchema, { limit: ASK_BODY_LIMIT });
  const input = askInput(body);
  const tier = tierOf(request);
  const refs = attachmentRefs(body);
  const vision = refs.length > 0 && askSeesImages(scope.config, scope.env, { ...input, tier });
  const { messages, attachments } = await withAttachments(scope, caller, input.messages, refs, vision);
  const ask = {
    scope,
    caller,
    input: { ...input, messages },
    tier,
    idempotencyKey: idempotencyKey(request),
    signal: request.signal,
  };
  scope.timing?.mark("body");
  if (body.stream) return askStream(ask, siEvents(attachments));
  const outcome = await askOnce(ask);
  const sent = attachments.length ? { attachments } : {};
  return Response.json({ ...outcome, ...sent }, { headers: billingHeaders(outcome) });
}
