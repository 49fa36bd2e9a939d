// Shapes that cross the ledger's RPC boundary.

export interface AccountRef {
  account: string;
  kind: "email" | "guest";
}

/**
 * Who is asking, as the ledger understands it (docs/decisions/009). An account caller was
 * identified by a verified token, the admin key or (in `asserted` mode) an asserted email; a
 * token made from an API key names that key, which must still be valid. A key caller is known
 * only by its key: the ledger its route names says whose it is, or that it is not valid.
 */
export type Caller =
  | { via: "account"; ref: AccountRef; tokenKeyId?: string }
  | { via: "key"; route: string; keyId: string; hash: string; asserted?: string };

/** Why the ledger refused a caller. */
export type DenialCode = "invalid_api_key" | "identity_not_verified" | "invalid_token";

export interface Denied {
  status: "denied";
  code: DenialCode;
}

/** The account a caller turned out to be, and the key it used (null when none). */
export interface Authenticated {
  status: "ok";
  ref: AccountRef;
  keyId: string | null;
  /** When that key expires (ms), so a token made from it does not outlive it. */
  keyExpiresAt: number | null;
}

export interface BalanceView {
  account: string;
  kind: "email" | "guest";
  /** Settled balance: grants + adjustments − settled usage. */
  balance: number;
  /** Part of the balance held by calls in flight. */
  held: number;
  granted: number;
  adjusted: number;
  spent: number;
  created_at: number | null;
  last_seen: number | null;
}

/** How a call ended, as its usage record says. */
export type UsageOutcome = "complete" | "partial" | "client_closed" | "interrupted" | "late";

export interface UsageDetails {
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  estimated: boolean;
  requestId: string;
  jobId?: string;
  tier?: string;
  /** complete; partial (a stream cut short); client_closed (the client left). */
  outcome: "complete" | "partial" | "client_closed";
  /** The prices charged, micro-credits per 1K tokens (CREDIT_PER_1K when absent). */
  priceIn?: number;
  priceOut?: number;
}

export interface ReserveInput {
  holdId: string;
  /** Cost of the prompt bound plus one output token at the dearest price: below this, no call. */
  minimumMicro: number;
  /** Cost of the prompt bound plus the largest output asked for, at the dearest price. */
  worstMicro: number;
  requestId: string;
  /** Hash of the request, so an idempotency key reused for a different request is caught. */
  fingerprint?: string;
  /** The client's Idempotency-Key. */
  idemKey?: string;
  /** Older callers: true when holdId itself is the client's key. */
  idempotent?: boolean;
  /** Asks per minute allowed for this account (0 or absent: no limit). */
  rateLimit?: number;
  /** When the hold expires unless settled first (ms); the ledger's default when absent. */
  expiresAt?: number;
  jobId?: string;
  tier?: string;
  /** What an expired hold is charged from: the planned provider, model and prices, the prompt's estimate. */
  provider?: string;
  model?: string;
  priceIn?: number;
  priceOut?: number;
  tokensInEst?: number;
  /** Settles of earlier asks riding on this call, applied first in the same transaction. */
  settles?: SettleInput[];
}

export type ReserveResult =
  | {
      status: "held";
      heldMicro: number;
      /** The settled balance when the hold was taken. */
      balance: number;
      available: number;
      account: AccountRef;
      keyId: string | null;
    }
  | { status: "insufficient"; balance: number; available: number; neededMicro: number }
  | { status: "key_limit"; limit: number; remaining: number; neededMicro: number }
  | { status: "rate_limited"; retryAfterSec: number }
  /** `result` is the stored outcome as JSON text (null when none was kept). */
  | { status: "replay"; result: string | null }
  | { status: "in_progress" }
  | { status: "key_reused" }
  | Denied;

/** A stream's progress: who answers, and how many output tokens were delivered so far. */
export interface ProgressReport {
  provider: string;
  model: string;
  priceIn: number;
  priceOut: number;
  delivered: number;
}

export interface SettleInput {
  holdId: string;
  costMicro: number;
  usage: UsageDetails;
  /** A complete answer as JSON, kept for replays of its Idempotency-Key (same transaction). */
  outcome?: string;
}

export interface SettleResult {
  chargedMicro: number;
  balance: number;
  recordId: string;
}

export interface AdjustInput {
  set?: number;
  delta?: number;
  actor: string;
  reason?: string;
  key?: string;
}

export type AdjustResult =
  | { status: "applied"; previous: number; balance: number; recordId: string; replayed: boolean }
  | { status: "negative"; balance: number }
  | { status: "key_reused" };

/** Grants of every kind: opening credits, Stripe top-ups, allowances. */
export const GRANT_KINDS = ["grant", "topup", "allowance"] as const;

export interface LedgerRecord {
  id: string;
  kind: (typeof GRANT_KINDS)[number] | "usage" | "adjustment";
  at: number;
  micro: number;
  balance_after: number;
  provider: string | null;
  model: string | null;
  tokens_in: number | null;
  tokens_out: number | null;
  estimated: boolean;
  request_id: string | null;
  job_id: string | null;
  tier: string | null;
  actor: string | null;
  reason: string | null;
  outcome: string | null;
  key_id: string | null;
  price_in: number | null;
  price_out: number | null;
  ref: string | null;
}

export interface UsageQuery {
  limit: number;
  /** Records strictly older (by sequence) than this one. */
  beforeSeq?: number;
  since?: number;
  until?: number;
  kinds?: Array<LedgerRecord["kind"]>;
  keyId?: string;
}

export interface UsagePage {
  records: LedgerRecord[];
  nextBeforeSeq: number | null;
}

export interface DailyTotal {
  day: string;
  micro: number;
  tokens: number;
  calls: number;
}

export interface PruneResult {
  scanned: number;
  matched: number;
  deleted: number;
}

/** An API key as anyone may see it: never its secret or hash. */
export type KeyView = {
  id: string;
  name: string | null;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  /** Micro-credits this key may spend in all, or null for no limit. */
  credit_limit: number | null;
  spent: number;
  held: number;
  revoked_at: number | null;
};

/** A payment to credit once (Stripe's checkout.session.completed). */
export interface TopUpInput {
  /** The payment provider's event id: applied once, however often it is delivered. */
  eventId: string;
  micro: number;
  /** Stripe's checkout session id, kept on the record. */
  sessionId: string;
}

export type TopUpResult =
  | { status: "applied" | "duplicate"; account: string; balance: number; recordId: string }
  /** The ledger holds no account and none was named. */
  | { status: "no_account" };

/** One allowance period's top-up to a level. */
export interface AllowanceInput {
  /** e.g. "email:2026-11" — the period this top-up belongs to. */
  period: string;
  levelMicro: number;
}

export type AllowanceResult = { status: "applied"; micro: number } | { status: "not_needed" | "already_done" };

export interface NewKeyOptions {
  name?: string;
  expiresAt?: number;
  creditLimit?: number;
}
