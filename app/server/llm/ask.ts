// One ask, billed exactly: hold the worst case (or refuse with 402), call the providers, then
// settle the real cost and write the usage record — or release the hold when nothing answered.

import type { AskBill } from "~/shared/ask-events";
import { ledgerOf } from "../billing/ledger-client";
import { costOfTokens, creditsFromMicro, tokensFor } from "../billing/money";
import type { AccountRef } from "../billing/types";
import type { RequestScope } from "../context";
import { ApiError } from "../http/errors";
import { type AttemptReport, complete, openStream, type Route } from "./orchestrator";
import { needsOf, type PlannedAttempt, planAttempts } from "./plan";
import { estimateOutputTokens, estimatePromptTokens, promptTokenBound } from "./tokens";
import { type ChatInput, type ChatMessage, ClientGone, type Completion, type ToolCall } from "./types";

export interface AskContext {
  scope: RequestScope;
  account: AccountRef;
  /** The request, translated from its wire format (request.ts for /api/si/ask, v1/ for /v1). */
  chat: ChatInput;
  tier?: string;
  jobId?: string;
  idempotencyKey?: string;
  /** Aborts the upstream call when the client leaves. */
  signal: AbortSignal;
}

// The stages of one answer, by role: the provider's `Completion` (text, model, usage) arrives by
// a `Route` (orchestrator.ts); together they are the `Answer` to bill; settling it yields the
// `AskOutcome` — the reply's JSON body, whose `AskBill` part the stream's last event and a job's
// result carry too (app/shared/ask-events.ts).

/** A finished ask, as the JSON body reports it (and as a replay returns it). */
export interface AskOutcome extends AskBill {
  ok: true;
  text: string;
  finish_reason: string | null;
  local_upstream: boolean;
  request_id: string;
  job_id?: string;
  attempts: AttemptReport[];
  /** The tool calls the model made (/v1 requests with tools). */
  tool_calls?: ToolCall[];
}

/** What the provider produced and the route it came by, ready to bill. */
export interface Answer {
  route: Route;
  completion: Completion;
  /** False when the answer was cut short (stream failure or the client leaving). */
  complete: boolean;
}

export interface HeldAsk {
  ask: AskContext;
  messages: ChatMessage[];
  plan: PlannedAttempt[];
  maxTokens: number;
  holdId: string;
  ledger: ReturnType<typeof ledgerOf>;
}

async function fingerprint(chat: ChatInput, tier?: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify([chat, tier ?? null])));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/**
 * Validates, plans and holds credits. A replayed Idempotency-Key returns the stored outcome
 * instead of a hold.
 */
export async function holdForAsk(ask: AskContext): Promise<HeldAsk | { replay: AskOutcome }> {
  const { scope, chat } = ask;
  const { config } = scope;
  const { messages } = chat;
  const plan = planAttempts(config, scope.env, {
    provider: chat.provider,
    model: chat.model,
    tier: ask.tier,
    needs: needsOf(chat),
  });
  if (!plan.some((attempt) => attempt.configured)) {
    throw new ApiError(503, "no_provider_available", "No language model provider is configured.", {
      providers: plan.map((attempt) => ({ provider: attempt.provider, outcome: "skipped", reason: attempt.reason })),
    });
  }
  const wanted = Math.min(chat.maxTokens ?? config.llm.maxOutputTokens, config.llm.maxOutputTokens);
  const promptBound = promptTokenBound(messages, chat.params);
  const price = config.microPer1k;
  const holdId = ask.idempotencyKey ? `key:${ask.idempotencyKey}` : `req:${scope.requestId}:${crypto.randomUUID()}`;
  const ledger = ledgerOf(scope.env.LEDGER, ask.account.account);
  const reserved = await ledger.reserve(ask.account, {
    holdId,
    minimumMicro: costOfTokens(promptBound + 1, price),
    worstMicro: costOfTokens(promptBound + wanted, price),
    requestId: scope.requestId,
    idempotent: Boolean(ask.idempotencyKey),
    fingerprint: ask.idempotencyKey ? await fingerprint(chat, ask.tier) : undefined,
  });
  switch (reserved.status) {
    case "insufficient":
      throw new ApiError(402, "insufficient_credits", "Not enough credits for this request. Ask an admin to top up.", {
        balance: creditsFromMicro(reserved.balance),
        available: creditsFromMicro(reserved.available),
        needed: creditsFromMicro(reserved.neededMicro),
      });
    case "replay":
      if (!reserved.result) throw new ApiError(409, "idempotency_replay_unavailable", "This request already ran.");
      return { replay: JSON.parse(reserved.result) as AskOutcome };
    case "in_progress":
      throw new ApiError(409, "idempotency_in_progress", "A request with this Idempotency-Key is still running.");
    case "key_reused":
      throw new ApiError(409, "idempotency_key_reused", "This Idempotency-Key was used for a different request.");
    default: {
      // The output is capped to what the hold pays for (a zero price makes calls free).
      const affordable = price > 0 ? tokensFor(reserved.heldMicro, price) - promptBound : wanted;
      return { ask, messages, plan, holdId, ledger, maxTokens: Math.max(1, Math.min(wanted, affordable)) };
    }
  }
}

/** Nothing answered: the hold goes back in full. */
export async function releaseAsk(held: HeldAsk, error: unknown): Promise<never> {
  await held.ledger.release(held.holdId);
  if (error instanceof ClientGone) throw new ApiError(499, "client_closed", "The client went away.");
  throw error;
}

/** Charges what was used (reported by the provider, else estimated) and records the usage. */
export async function settleAsk(held: HeldAsk, answer: Answer): Promise<AskOutcome> {
  const { ask } = held;
  const { route, completion } = answer;
  const trusted = answer.complete ? completion.usage : null;
  const tokensIn = completion.usage?.tokensIn ?? estimatePromptTokens(held.messages, ask.chat.params);
  const tokensOut = trusted?.tokensOut ?? estimateOutputTokens(completion);
  const estimated = !trusted;
  const settled = await held.ledger.settle(ask.account, {
    holdId: held.holdId,
    costMicro: costOfTokens(tokensIn + tokensOut, ask.scope.config.microPer1k),
    usage: {
      provider: route.provider,
      model: completion.model,
      tokensIn,
      tokensOut,
      estimated,
      requestId: ask.scope.requestId,
      jobId: ask.jobId,
      tier: ask.tier,
      outcome: answer.complete ? "complete" : "partial",
    },
  });
  const outcome: AskOutcome = {
    ok: true,
    text: completion.text,
    provider: route.provider,
    model: completion.model,
    tokens_in: tokensIn,
    tokens_out: tokensOut,
    estimated,
    credits_used: creditsFromMicro(settled.chargedMicro),
    ...(ask.account.kind === "guest" ? {} : { balance: creditsFromMicro(settled.balance) }),
    finish_reason: completion.finishReason,
    local_upstream: route.local,
    request_id: ask.scope.requestId,
    ...(ask.jobId ? { job_id: ask.jobId } : {}),
    attempts: route.attempts,
    ...(completion.toolCalls?.length ? { tool_calls: completion.toolCalls } : {}),
  };
  if (ask.idempotencyKey && answer.complete) await held.ledger.recordOutcome(held.holdId, outcome);
  return outcome;
}

/** What the orchestrator needs to call the providers for a held ask. */
function providerCall({ ask, plan, messages, maxTokens }: HeldAsk) {
  return {
    config: ask.scope.config,
    env: ask.scope.env,
    plan,
    request: { messages, maxTokens, params: ask.chat.params },
    signal: ask.signal,
  };
}

/** A non-streaming ask, start to finish. */
export async function askOnce(ask: AskContext): Promise<AskOutcome> {
  const held = await holdForAsk(ask);
  if ("replay" in held) return held.replay;
  const answered = await complete(providerCall(held)).catch((error: unknown) => releaseAsk(held, error));
  return settleAsk(held, { route: answered.route, completion: answered.value, complete: true });
}

/** Opens the provider stream for a held ask; falls back only before the first token. */
export function openAskStream(held: HeldAsk) {
  return openStream(providerCall(held)).catch((error: unknown) => releaseAsk(held, error));
}

export function billingHeaders(outcome: AskOutcome): Record<string, string> {
  return {
    "X-Provider": outcome.provider,
    "X-Model": outcome.model,
    "X-Tokens-In": String(outcome.tokens_in),
    "X-Tokens-Out": String(outcome.tokens_out),
    "X-Credits-Used": String(outcome.credits_used),
    ...(outcome.balance === undefined ? {} : { "X-Credits-Balance": String(outcome.balance) }),
  };
}
