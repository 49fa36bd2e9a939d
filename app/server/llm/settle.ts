// After the provider: the bill, computed here without a round trip (charged = the cost at the
// answering provider's price, never more than the hold — the prompt bound is an upper bound and
// the output was capped, so the cost fits), and the ledger calls that follow the response in
// ctx.waitUntil: settle (usage record, and the replayable answer in the same transaction),
// release (nothing answered) or the prompt's estimate when the client left.
import { costAt, creditsFromMicro, type Price } from "../billing/money";
import { deferSettle } from "../billing/pending-settles";
import type { SettleInput } from "../billing/types";
import { priceOf } from "../config";
import { ApiError } from "../http/errors";
import { track } from "../in-flight";
import { errorDetail, log } from "../log";
import { noteAsk } from "../stats/events";
import type { Answer, AskOutcome, HeldAsk } from "./ask";
import type { AttemptReport } from "./orchestrator";
import { deliveredTokens, estimatePromptTokens, estimateTokens } from "./tokens";

export interface Bill {
  outcome: AskOutcome;
  settle: SettleInput;
}

/** The price an answer is charged at: its planned attempt's (the model a provider reports may be a dated alias). */
function answeringPrice(held: HeldAsk, answer: Answer): Price {
  const { provider, model } = answer.route;
  const planned = held.plan.find((attempt) => attempt.provider === provider && attempt.model === model);
  return planned?.price ?? priceOf(held.ask.scope.config, provider, model);
}

/** The bill of an answer, complete or cut short, and the settle that will charge it. */
export function billAnswer(held: HeldAsk, answer: Answer): Bill {
  const { ask } = held;
  const { route, completion } = answer;
  const trusted = answer.complete ? completion.usage : null;
  const tokensIn = completion.usage?.tokensIn ?? estimatePromptTokens(ask.input.messages);
  // A tool call's arguments are output too.
  const said = completion.toolCalls?.length ? completion.text + JSON.stringify(completion.toolCalls) : completion.text;
  const tokensOut =
    trusted?.tokensOut ?? (answer.complete ? estimateTokens(said) : deliveredTokens(said, answer.chunks ?? 0));
  const estimated = !trusted;
  const price = answeringPrice(held, answer);
  const charged = Math.min(costAt(price, tokensIn, tokensOut), held.heldMicro);
  const kind = answer.complete ? "complete" : answer.clientGone && !completion.text ? "client_closed" : "partial";
  const outcome: AskOutcome = {
    ok: true,
    text: completion.text,
    provider: route.provider,
    model: completion.model,
    tokens_in: tokensIn,
    tokens_out: tokensOut,
    estimated,
    credits_used: creditsFromMicro(charged),
    ...(held.account.kind === "guest" ? {} : { balance: creditsFromMicro(held.balance - charged) }),
    price_in: creditsFromMicro(price.in),
    price_out: creditsFromMicro(price.out),
    finish_reason: completion.finishReason,
    local_upstream: route.local,
    request_id: ask.scope.requestId,
    ...(ask.jobId ? { job_id: ask.jobId } : {}),
    attempts: route.attempts,
    ...(completion.toolCalls?.length ? { tool_calls: completion.toolCalls } : {}),
  };
  const settle: SettleInput = {
    holdId: held.holdId,
    costMicro: charged,
    usage: {
      provider: route.provider,
      model: completion.model,
      tokensIn,
      tokensOut,
      estimated,
      requestId: ask.scope.requestId,
      jobId: ask.jobId,
      tier: ask.tier,
      outcome: kind,
      priceIn: price.in,
      priceOut: price.out,
    },
    // Kept for replays of the Idempotency-Key, in the same transaction as the charge.
    ...(ask.idempotencyKey && kind === "complete" ? { outcome: JSON.stringify(outcome) } : {}),
  };
  return { outcome, settle };
}

/** Runs a ledger call after the response, counted as in flight; a failure is logged (the hold's expiry charges). */
function afterResponse(held: HeldAsk, what: string, call: () => Promise<unknown>): Promise<void> {
  const { scope } = held.ask;
  const work = track(
    call().then(
      () => undefined,
      (error: unknown) =>
        log("error", scope.requestId, `${what} failed`, { hold: held.holdId, error: errorDetail(error) }),
    ),
  );
  scope.ctx.waitUntil(work);
  return work;
}

/** The settle, after the response: it rides on this isolate's next call to the ledger, or goes alone soon after. */
export function settleLater(held: HeldAsk, bill: Bill): Promise<void> {
  const sent = deferSettle(held.ledger, held.account, bill.settle);
  held.ask.scope.ctx.waitUntil(sent);
  const { usage } = bill.settle;
  noteAsk(held.ask.scope, {
    at: Date.now(),
    account: held.account.account,
    requestId: held.ask.scope.requestId,
    answered: usage.outcome !== "client_closed",
    micro: bill.settle.costMicro,
    tokens: usage.tokensIn + usage.tokensOut,
    attempts: bill.outcome.attempts,
  });
  return sent;
}

/** Nothing was answered: the hold is released; the attempts that failed are noted for the overview. */
export function releaseLater(held: HeldAsk, error?: unknown): Promise<void> {
  const { scope } = held.ask;
  const providers = error instanceof ApiError ? error.details.providers : undefined;
  noteAsk(scope, {
    at: Date.now(),
    account: held.account.account,
    requestId: scope.requestId,
    answered: false,
    micro: 0,
    tokens: 0,
    attempts: Array.isArray(providers) ? (providers as AttemptReport[]) : [],
    error: error instanceof ApiError ? error.code : errorDetail(error),
  });
  return afterResponse(held, "release", () => held.ledger.release(held.holdId));
}

/** The client left before any answer: the call went upstream, so the prompt's estimate is charged. */
export function chargeClientGone(held: HeldAsk): Promise<void> {
  const first = held.plan.find((attempt) => attempt.configured);
  const route = { provider: first?.provider ?? "openai", model: first?.model ?? "", local: false, attempts: [] };
  const completion = { text: "", model: route.model, usage: null, finishReason: null };
  const bill = billAnswer(held, { route: route as Answer["route"], completion, complete: false, clientGone: true });
  return settleLater(held, bill);
}
