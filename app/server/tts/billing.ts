// Reading aloud is billed like an ask, through the same ledger calls (docs/decisions/004, 009):
// the price is known before the call (characters × TTS_CREDITS_PER_1K_CHARS), so the hold is
// exactly that, taken in one round trip before any provider is called (with the caller's key, the
// account's rate limit and the Idempotency-Key checked inside it). Once a provider sends audio the
// bill is computed here and settled after the response (ctx.waitUntil); a hold whose settle never
// arrives is charged by its expiry, as the hold's provider and price say. No provider speaking
// releases it in full.

import { holdRefusal, requestFingerprint } from "../billing/hold-refusal";
import { carrying, type LedgerStub, ledgerFor } from "../billing/ledger-client";
import { costOfTokens, creditsFromMicro } from "../billing/money";
import { deferSettle } from "../billing/pending-settles";
import type { AccountRef, Caller, UsageDetails } from "../billing/types";
import type { RequestScope } from "../context";
import { ApiError } from "../http/errors";
import { track } from "../in-flight";
import { errorDetail, log } from "../log";
import type { SpeechStatus } from "./chain";
import type { SpeechInput } from "./request";
import type { TtsProviderName } from "./types";

/** A settled reading, as its headers report it (and as a replay reports it again). */
export interface SpeechBill {
  provider: TtsProviderName;
  model: string;
  characters: number;
  credits_used: number;
  /** Absent for guests; the balance as of the hold, less this reading. */
  balance?: number;
}

export interface SpeechCall {
  scope: RequestScope;
  caller: Caller;
  input: SpeechInput;
  idempotencyKey?: string;
}

export interface HeldSpeech {
  call: SpeechCall;
  holdId: string;
  ledger: LedgerStub;
  account: AccountRef;
  costMicro: number;
  /** The settled balance when the hold was taken. */
  balance: number;
}

const SPEECH_WORDS = {
  plural: "requests",
  insufficient: "Not enough credits to read this aloud. Ask an admin to top up.",
};

/** Holds the reading's price, or refuses (401, 402, 409, 429); a replayed key returns the first bill. */
export async function holdForSpeech(
  call: SpeechCall,
  first: SpeechStatus,
): Promise<{ held: HeldSpeech } | { replay: SpeechBill }> {
  const { scope, caller, input, idempotencyKey } = call;
  const { config } = scope;
  const price = config.tts.microPer1kChars;
  const costMicro = costOfTokens(input.characters, price);
  const holdId = `h_${crypto.randomUUID()}`;
  const ledger = ledgerFor(scope.env.LEDGER, caller);
  const fingerprinted = idempotencyKey
    ? await requestFingerprint([
        "tts",
        input.request.text,
        input.request.voice,
        input.request.format,
        input.request.language,
      ])
    : undefined;
  const reserved = await carrying(ledger, async (settles) =>
    ledger.reserve(caller, {
      settles,
      holdId,
      requestId: scope.requestId,
      minimumMicro: costMicro,
      worstMicro: costMicro,
      // The ledger keeps asks' keys as `ask:<key>`; `tts:` keeps a reading's apart from an ask's.
      idemKey: idempotencyKey ? `tts:${idempotencyKey}` : undefined,
      fingerprint: fingerprinted,
      rateLimit: config.accountRateLimit,
      expiresAt: Date.now() + config.llm.deadlineMs + config.llm.holdGraceMs,
      // What an expired hold is charged from: the characters, as "tokens in", at the reading price.
      provider: first.name,
      model: first.model,
      priceIn: price,
      priceOut: 0,
      tokensInEst: input.characters,
    }),
  );
  scope.timing?.mark("hold");
  if (reserved.status === "replay") {
    if (!reserved.result) throw new ApiError(409, "idempotency_replay_unavailable", "This request already ran.");
    return { replay: JSON.parse(reserved.result) as SpeechBill };
  }
  if (reserved.status !== "held") throw holdRefusal(reserved, SPEECH_WORDS);
  return {
    held: { call, holdId, ledger, account: reserved.account, costMicro, balance: reserved.balance },
  };
}

/**
 * Bills a reading: `complete` once a provider sends audio (providers bill the whole text then),
 * `client_closed` when the client left after the request went upstream. The settle follows the
 * response; the bill is known now.
 */
export function settleSpeech(
  held: HeldSpeech,
  spoken: { provider: TtsProviderName; model: string },
  outcome: "complete" | "client_closed",
): SpeechBill {
  const { scope, input, idempotencyKey } = held.call;
  const bill: SpeechBill = {
    ...spoken,
    characters: input.characters,
    credits_used: creditsFromMicro(held.costMicro),
    ...(held.account.kind === "guest" ? {} : { balance: creditsFromMicro(held.balance - held.costMicro) }),
  };
  // The usage record has no unit column: a reading counts its characters as tokens in.
  const usage: UsageDetails = {
    ...spoken,
    tokensIn: input.characters,
    tokensOut: 0,
    estimated: false,
    requestId: scope.requestId,
    outcome,
    priceIn: scope.config.tts.microPer1kChars,
    priceOut: 0,
  };
  // It rides on this isolate's next call to the ledger, or goes alone soon after (pending-settles.ts).
  const sent = deferSettle(held.ledger, held.account, {
    holdId: held.holdId,
    costMicro: held.costMicro,
    usage,
    // Kept for replays of the Idempotency-Key, in the same transaction as the charge.
    ...(idempotencyKey && outcome === "complete" ? { outcome: JSON.stringify(bill) } : {}),
  });
  scope.ctx.waitUntil(sent);
  return bill;
}

/** No provider spoke: the hold goes back in full, after the response (its expiry would, too). */
export function releaseSpeech(held: HeldSpeech): void {
  const { scope } = held.call;
  const released = held.ledger.release(held.holdId).then(
    () => undefined,
    (error: unknown) =>
      log("error", scope.requestId, "tts release failed", { hold: held.holdId, error: errorDetail(error) }),
  );
  scope.ctx.waitUntil(track(released));
}

export function speechBillHeaders(bill: SpeechBill): Record<string, string> {
  return {
    "X-Provider": bill.provider,
    "X-Model": bill.model,
    "X-Characters": String(bill.characters),
    "X-Credits-Used": String(bill.credits_used),
    ...(bill.balance === undefined ? {} : { "X-Credits-Balance": String(bill.balance) }),
  };
}
