// /v1 as HTTP: OpenAI's protocol in, the one ask core (hold → providers → settle) underneath,
// OpenAI's objects out — with the same billing headers, idempotency and fallback as /api/si/ask.
import { requireCaller, requireIdentity } from "../../auth/identity";
import type { RequestScope } from "../../context";
import { idempotencyKey } from "../../http/idempotency";
import { readJson } from "../../http/json";
import { trackAnswer } from "../../in-flight";
import { askOnce, billingHeaders } from "../ask";
import { tierOf } from "../request";
import { askStream } from "../stream";
import { chunkFormat } from "./chunks";
import { chatCompletion } from "./completion";
import { listModels, retrieveModel } from "./models";
import { chatCompletionSchema } from "./schema";
import { translate } from "./translate";

/** Large enough for a few images sent inline as data: URLs. */
export const V1_BODY_LIMIT = 4 * 1024 * 1024;

export function serveChatCompletion(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  return trackAnswer(answer(request, url, scope));
}

async function answer(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  const caller = await requireCaller(request, url, scope);
  scope.timing?.mark("auth");
  const body = await readJson(request, chatCompletionSchema, { limit: V1_BODY_LIMIT });
  const { input, tier } = translate(body, scope.config, scope.env, tierOf(request));
  const ask = { scope, caller, input, tier, idempotencyKey: idempotencyKey(request), signal: request.signal };
  scope.timing?.mark("body");
  if (body.stream) return askStream(ask, chunkFormat({ includeUsage: body.stream_options?.include_usage === true }));
  const outcome = await askOnce(ask);
  return Response.json(chatCompletion(outcome), { headers: billingHeaders(outcome) });
}

export async function serveModels(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  await requireIdentity(request, url, scope);
  return Response.json(listModels(scope.config, scope.env));
}

export async function serveModel(request: Request, url: URL, scope: RequestScope, id: string): Promise<Response> {
  await requireIdentity(request, url, scope);
  return Response.json(retrieveModel(scope.config, scope.env, id));
}
