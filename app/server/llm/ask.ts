// One ask, billed exactly, with one ledger round trip before the provider (docs/decisions/009):
// plan the attempts with their prices, hold the worst case in one call to the ledger (which also
// checks the caller's key, the account's rate limit and the Idempotency-Key), call the providers
// with the output capped to what the hold pays for at the answering provider's price, compute the
// bill locally, and settle after the response (ctx.waitUntil). A settle that never arrives is
// charged by the hold's expiry, never forgiven. The wire formats (/api/si/ask here, /v1 beside it)
// are thin translations over this core.
import type { AskBill } from "~/shared/ask-events";
import { holdRefusal, requestFingerprint } from "../billing/hold-refusal";
import { carrying, type LedgerStub, ledgerFor } from "../billing/ledger-client";
import { costAt, outputTokensFor, worstPrice } from "../billing/money";
import type { AccountRef, Caller, ReserveResult, SettleInput } from "../billing/types";
import type { ProviderName } from "../config";
import type { RequestScope } from "../context";
import { ApiError } from "../http/errors";
import { answersInFlight } from "../in-flight";
import { type HoldTicket, holdTicket } from "./head-start";
import { type AttemptReport, complete, type OpenedStream, openStream, type Route, type Routed } from "./orchestrator";
import { needsOf, type PlannedAttempt, planAttempts } from "./plan";
import { billAnswer, chargeClientGone, releaseLater, settleLater } from "./settle";
import { estimatePromptTokens, promptTokenBound } from "./tokens";
import { type ChatMessage, type ChatParams, ClientGone, type Completion, type ToolCall } from "./types";

/** What to ask, whatever wire format it came in. */
export interface AskInput {
  messages: ChatMessage[];
  /** The output wanted (capped by LLM_MAX_OUTPUT_TOKENS and by what the hold pays for). */
  maxTokens?: number;
  temperature?: number;
  provider?: ProviderName;
  model?: string;
  /** Tool definitions as the provider is sent them: their bytes count in the prompt's bound. */
  tools?: unknown;
  /** OpenAI's other parameters (/v1), passed to the provider as sent; their bytes count too. */
  params?: ChatParams;
}

export interface AskContext {
  scope: RequestScope;
  caller: Caller;
  input: AskInput;
  tier?: string;
  jobId?: string;
  /** The hold's id when it must be known in advance (a job's `job:<id>:<attempt>`); else random. */
  holdId?: string;
  /** When the hold expires if never settled (a job's: its lease's end); else deadline + grace from now. */
  expiresAt?: number;
  idempotencyKey?: string;
  /** Aborts the upstream call when the client leaves. */
  signal: AbortSignal;
}

/** A finished ask, as the JSON body reports it (and as a replay returns it). */
export interface AskOutcome extends AskBill {
  ok: true;
  text: string;
  finish_reason: string | null;
  local_upstream: boolean;
  request_id: string;
  job_id?: string;
  attempts: AttemptReport[];
  /** The tool calls the model made (/v1 requests with tools), as the provider sent them. */
  tool_calls?: ToolCall[];
}

/** What the provider produced and the route it came by, ready to bill. */
export interface Answer {
  route: Route;
  completion: Completion;
  /** False when the answer was cut short (stream failure or the client leaving). */
  complete: boolean;
  /** Stream chunks delivered (a cut-short answer counts at least one token each). */
  chunks?: number;
  /** The client left before the end. */
  clientGone?: boolean;
}

/** An ask whose hold is in place: everything needed to call the providers and bill the answer. */
export interface HeldAsk {
  ask: AskContext;
  plan: PlannedAttempt[];
  holdId: string;
  ledger: LedgerStub;
  account: AccountRef;
  keyId: string | null;
  heldMicro: number;
  /** The settled balance when the hold was taken (the bill's balance is "as of the hold"). */
  balance: number;
  promptBound: number;
  wanted: number;
}

const ASK_WORDS = { plural: "asks", insufficient: "Not enough credits for this request. Ask an admin to top up." };

/** An ask planned and sized, its hold not yet sent. */
interface PlannedHold {
  ask: AskContext;
  plan: PlannedAttempt[];
  holdId: string;
  ledger: LedgerStub;
  promptBound: number;
  wanted: number;
  worstMicro: number;
  reserve: (settles: SettleInput[] | undefined) => Promise<ReserveResult>;
}

/**
 * Plans the attempts and sizes the hold: the prompt's upper bound plus the output wanted, at the
 * dearest price among the attempts the ask may fall back to.
 */
async function planHold(ask: AskContext): Promise<PlannedHold> {
  const { scope, input } = ask;
  const { config } = scope;
  const plan = planAttempts(config, scope.env, {
    provider: input.provider,
    model: input.model,
    tier: ask.tier,
    needs: needsOf(input),
  });
  const usable = plan.filter((attempt) => attempt.configured);
  const first = usable[0];
  if (!first) {
    throw new ApiError(503, "no_provider_available", "No language model provider is configured.", {
      providers: plan.map((attempt) => ({ provider: attempt.provider, outcome: "skipped", reason: attempt.reason })),
    });
  }
  const wanted = Math.min(input.maxTokens ?? config.llm.maxOutputTokens, config.llm.maxOutputTokens);
  const promptBound = promptTokenBound(input.messages, input.params ? [input.tools, input.params] : input.tools);
  const worst = worstPrice(usable.map((attempt) => attempt.price));
  const worstMicro = costAt(worst, promptBound, wanted);
  const holdId = ask.holdId ?? `h_${crypto.randomUUID()}`;
  const ledger = ledgerFor(scope.env.LEDGER, ask.caller);
  const fingerprinted = ask.idempotencyKey ? await requestFingerprint([input, ask.tier ?? null]) : undefined;
  const reserve = (settles: SettleInput[] | undefined) =>
    ledger.reserve(ask.caller, {
      settles,
      holdId,
      requestId: scope.requestId,
      minimumMicro: costAt(worst, promptBound, 1),
      worstMicro,
      idemKey: ask.idempotencyKey,
      fingerprint: fingerprinted,
      rateLimit: config.accountRateLimit,
      expiresAt: ask.expiresAt ?? Date.now() + config.llm.deadlineMs + config.llm.holdGraceMs,
      jobId: ask.jobId,
      tier: ask.tier,
      provider: first.provider,
      model: first.model,
      priceIn: first.price.in,
      priceOut: first.price.out,
      tokensInEst: estimatePromptTokens(input.messages),
    });
  scope.timing?.mark("plan");
  return { ask, plan, holdId, ledger, promptBound, wanted, worstMicro, reserve };
}

/** The hold as it will be when the ledger grants all that was asked (what a head start assumes). */
function assumedHold(planned: PlannedHold): HeldAsk {
  const { ask, plan, holdId, ledger, promptBound, wanted, worstMicro } = planned;
  const account = ask.caller.via === "account" ? ask.caller.ref : { account: "", kind: "email" as const };
  return { ask, plan, holdId, ledger, account, keyId: null, heldMicro: worstMicro, balance: 0, promptBound, wanted };
}

/** Sends the hold (one round trip, carrying this isolate's pending settles for that ledger). */
async function takeHold(planned: PlannedHold, ticket: HoldTicket): Promise<HeldAsk | { replay: AskOutcome }> {
  const { ask, plan, holdId, ledger, promptBound, wanted } = planned;
  let reserved: ReserveResult | null = null;
  try {
    reserved = await carrying(ledger, planned.reserve);
  } finally {
    ticket.answered(reserved);
  }
  ask.scope.timing?.mark("hold");
  if (reserved.status === "replay") {
    if (!reserved.result) throw new ApiError(409, "idempotency_replay_unavailable", "This request already ran.");
    return { replay: JSON.parse(reserved.result) as AskOutcome };
  }
  if (reserved.status !== "held") throw holdRefusal(reserved, ASK_WORDS);
  return {
    ask,
    plan,
    holdId,
    ledger,
    account: reserved.account,
    keyId: reserved.keyId,
    heldMicro: reserved.heldMicro,
    balance: reserved.balance,
    promptBound,
    wanted,
  };
}

/**
 * Lets the runtime write the provider request just made before the hold is sent. In workerd the
 * request reaches its socket only after the work already queued on the one thread, and the
 * ledger's — its SQL and the storage commit, which blocks the thread — would otherwise come
 * first: the provider would start only once the hold was durable (docs/decisions/012). A timer
 * tick was the one yield that, in traces, let the request leave first (OPS.md §14). It costs about
 * a millisecond (workerd fires a timer at its next millisecond), so the hold often starts after
 * the provider has answered — still sooner than without it, when the request waits for the commit.
 * Only for an isolate answering nothing else: with other answers in flight the thread has work
 * queued anyway, and the timer would be one more runtime event for every ask (OPS.md §14).
 */
const upstreamOnTheWire = () =>
  answersInFlight() <= 1 ? new Promise((resolve) => setTimeout(resolve, 0)) : Promise.resolve();

/** A held ask, and the provider's answer when it was asked while the hold was being taken. */
export type Hold<T> = { held: HeldAsk; early?: Promise<T> } | { replay: AskOutcome };

/**
 * Plans the attempts and holds the worst case; a replayed Idempotency-Key returns the stored
 * outcome instead. With `upstream`, the provider may be called while the hold is being taken
 * (head-start.ts says when): its answer counts only once the hold covers what it assumed —
 * a refused hold aborts it, and after a smaller hold the caller asks the provider again.
 */
export async function holdForAsk<T = never>(
  ask: AskContext,
  upstream?: (held: HeldAsk, signal: AbortSignal) => Promise<T>,
): Promise<Hold<T>> {
  const planned = await planHold(ask);
  const eligible = upstream !== undefined && !ask.idempotencyKey && !ask.jobId && !ask.holdId;
  const ticket = holdTicket(ask.caller, planned.worstMicro, eligible);
  if (!ticket.ahead || !upstream) {
    const held = await takeHold(planned, ticket);
    return "replay" in held ? held : { held };
  }
  const abort = new AbortController();
  const early = upstream(assumedHold(planned), AbortSignal.any([ask.signal, abort.signal]));
  early.catch(() => undefined); // judged only after the hold: never an unhandled rejection
  let held: HeldAsk | { replay: AskOutcome };
  try {
    await upstreamOnTheWire();
    held = await takeHold(planned, ticket);
  } catch (error) {
    abort.abort(new ClientGone());
    throw error;
  }
  if ("replay" in held || held.heldMicro < planned.worstMicro) {
    abort.abort(new ClientGone());
    return "replay" in held ? held : { held };
  }
  return { held, early };
}

/** The output cap for an attempt: what the hold pays for after the prompt, at its price (≥ 1). */
export function outputCap(held: HeldAsk, attempt: PlannedAttempt): number {
  return Math.max(1, Math.min(held.wanted, outputTokensFor(held.heldMicro, held.promptBound, attempt.price)));
}

/** What the orchestrator needs to call the providers for a held ask. */
function providerCall(held: HeldAsk, signal: AbortSignal = held.ask.signal) {
  const { ask, plan } = held;
  return {
    config: ask.scope.config,
    env: ask.scope.env,
    plan,
    request: {
      messages: ask.input.messages,
      temperature: ask.input.temperature,
      tools: ask.input.tools,
      params: ask.input.params,
    },
    maxTokens: (attempt: PlannedAttempt) => outputCap(held, attempt),
    signal,
  };
}

const callOnce = (held: HeldAsk, signal?: AbortSignal) => complete(providerCall(held, signal));
const callStream = (held: HeldAsk, signal?: AbortSignal) => openStream(providerCall(held, signal));

/**
 * Nothing was answered. The client leaving once the call went upstream still costs the prompt's
 * estimate; a provider failure releases the hold (nothing charged).
 */
export function failAsk(held: HeldAsk, error: unknown): never {
  if (error instanceof ClientGone) {
    chargeClientGone(held);
    throw new ApiError(499, "client_closed", "The client went away.");
  }
  releaseLater(held, error);
  throw error;
}

/** A non-streaming ask, start to finish; the settle runs after the response is sent. */
export async function askOnce(ask: AskContext): Promise<AskOutcome> {
  const hold = await holdForAsk(ask, callOnce);
  if ("replay" in hold) return hold.replay;
  const { held } = hold;
  const answered = await (hold.early ?? callOnce(held)).catch((error: unknown) => failAsk(held, error));
  ask.scope.timing?.mark("upstream");
  const bill = billAnswer(held, { route: answered.route, completion: answered.value, complete: true });
  settleLater(held, bill);
  return bill.outcome;
}

/** Holds and opens the provider stream (falling back only before the first token), or a replay. */
export async function holdAndOpenStream(
  ask: AskContext,
): Promise<{ held: HeldAsk; opened: Routed<OpenedStream> } | { replay: AskOutcome }> {
  const hold = await holdForAsk(ask, callStream);
  if ("replay" in hold) return hold;
  const { held } = hold;
  const opened = await (hold.early ?? callStream(held)).catch((error: unknown) => failAsk(held, error));
  return { held, opened };
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
