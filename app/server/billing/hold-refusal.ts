// How a refused hold is said over the API — one wording for every billed route (asks, /v1,
// read-aloud, job runs) — and the fingerprint an Idempotency-Key is checked against.
import { denied } from "../auth/identity";
import { ApiError } from "../http/errors";
import { creditsFromMicro } from "./money";
import type { ReserveResult } from "./types";

export type Refused = Exclude<ReserveResult, { status: "held" | "replay" }>;

/** `what` names the request in the 402/429 messages: "asks", "readings aloud". */
export function holdRefusal(reserved: Refused, what: { plural: string; insufficient: string }): ApiError {
  switch (reserved.status) {
    case "denied":
      return denied(reserved.code);
    case "rate_limited":
      return new ApiError(
        429,
        "rate_limited",
        `Too many ${what.plural} for this account; try again in ${reserved.retryAfterSec} s.`,
        { retry_after: reserved.retryAfterSec },
        { "Retry-After": String(reserved.retryAfterSec) },
      );
    case "insufficient":
      return new ApiError(402, "insufficient_credits", what.insufficient, {
        balance: creditsFromMicro(reserved.balance),
        available: creditsFromMicro(reserved.available),
        needed: creditsFromMicro(reserved.neededMicro),
      });
    case "key_limit":
      return new ApiError(402, "key_limit_reached", "This API key has reached its credit limit.", {
        limit: creditsFromMicro(reserved.limit),
        remaining: creditsFromMicro(reserved.remaining),
        needed: creditsFromMicro(reserved.neededMicro),
      });
    case "in_progress":
      return new ApiError(409, "idempotency_in_progress", "A request with this Idempotency-Key is still running.");
    case "key_reused":
      return new ApiError(409, "idempotency_key_reused", "This Idempotency-Key was used for a different request.");
  }
}

/** SHA-256 of the request's meaning, base64: a reused Idempotency-Key must carry the same one. */
export async function requestFingerprint(parts: unknown): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(parts)));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}
