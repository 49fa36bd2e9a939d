// Reading aloud is billed like an ask, through the same ledger calls (docs/decisions/004): the
// price is known before the call (characters × TTS_CREDITS_PER_1K_CHARS), so the hold is exactly
// that; it is taken before any provider is called, settled once one starts sending audio, and
// released in full when none does. An Idempotency-Key makes a retry cost nothing more.
import { ledgerOf } from "../billing/ledger-client";
import { costOfTokens, creditsFromMicro } from "../billing/money";
import type { AccountRef } from "../billing/types";
import type { RequestScope } from "../context";
import { ApiError } from "../http/errors";
import type { SpeechInput } from "./request";
import type { TtsProviderName } from "./types";

/** A settled reading, as its headers report it (and as a replay reports it again). */
export interface SpeechBill {
  provider: TtsProviderName;
  model: string;
  characters: number;
  credits_used: number;
  /** Absent for guests. */
  balance?: number;
}

export interface HeldSpeech {
  holdId: string;
  costMicro: number;
  ledger: ReturnType<typeof ledgerOf>;
}

interface SpeechAccount {
  scope: RequestScope;
  account: AccountRef;
  idempotencyKey?: string;
}

async function fingerprint(input: SpeechInput): Promise<string> {
  const { text, voice, format, language } = input.request;
  const bytes = new TextEncoder().encode(JSON.stringify(["tts", text, voice, format, language]));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** Holds the reading's price, or refuses (402, 409); a replayed key returns the first bill. */
export async function holdForSpeech(
  who: SpeechAccount,
  input: SpeechInput,
): Promise<{ held: HeldSpeech } | { replay: SpeechBill }> {
  const { scope, account, idempotencyKey } = who;
  const costMicro = costOfTokens(input.characters, scope.config.tts.microPer1kChars);
  // Keys live apart from asks' (`key:`), so one client key may serve an ask and a reading.
  const holdId = idempotencyKey ? `tts:${idempotencyKey}` : `tts-req:${scope.requestId}:${crypto.randomUUID()}`;
  const ledger = ledgerOf(scope.env.LEDGER, account.account);
  const reserved = await ledger.reserve(account, {
    holdId,
    minimumMicro: costMicro,
    worstMicro: costMicro,
    requestId: scope.requestId,
    idempotent: Boolean(idempotencyKey),
    fingerprint: idempotencyKey ? await fingerprint(input) : undefined,
  });
  switch (reserved.status) {
    case "insufficient":
      throw new ApiError(
        402,
        "insufficient_credits",
        "Not enough credits to read this aloud. Ask an admin to top up.",
        {
          balance: creditsFromMicro(reserved.balance),
          available: creditsFromMicro(reserved.available),
          needed: creditsFromMicro(reserved.neededMicro),
        },
      );
    case "replay":
      if (!reserved.result) throw new ApiError(409, "idempotency_replay_unavailable", "This request already ran.");
      return { replay: JSON.parse(reserved.result) as SpeechBill };
    case "in_progress":
      throw new ApiError(409, "idempotency_in_progress", "A request with this Idempotency-Key is still running.");
    case "key_reused":
      throw new ApiError(409, "idempotency_key_reused", "This Idempotency-Key was used for a different request.");
    default:
      return { held: { holdId, costMicro, ledger } };
  }
}

/** A provider is sending audio: charge the characters and write the usage record. */
export async function settleSpeech(
  who: SpeechAccount,
  held: HeldSpeech,
  spoken: { provider: TtsProviderName; model: string; characters: number },
): Promise<SpeechBill> {
  const { scope, account } = who;
  const settled = await held.ledger.settle(account, {
    holdId: held.holdId,
    costMicro: held.costMicro,
    // The usage record has no unit column: a reading counts its characters as tokens in.
    usage: {
      provider: spoken.provider,
      model: spoken.model,
      tokensIn: spoken.characters,
      tokensOut: 0,
      estimated: false,
      requestId: scope.requestId,
      outcome: "complete",
    },
  });
  const bill: SpeechBill = {
    ...spoken,
    credits_used: creditsFromMicro(settled.chargedMicro),
    ...(account.kind === "guest" ? {} : { balance: creditsFromMicro(settled.balance) }),
  };
  if (who.idempotencyKey) await held.ledger.recordOutcome(held.holdId, bill);
  return bill;
}

/** No provider spoke: the hold goes back in full. */
export async function releaseSpeech(held: HeldSpeech): Promise<void> {
  await held.ledger.release(held.holdId);
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
