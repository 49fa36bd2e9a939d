// Shapes that cross the ledger's RPC boundary.

export interface AccountRef {
  account: string;
  kind: "email" | "guest";
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

export interface UsageDetails {
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  estimated: boolean;
  requestId: string;
  jobId?: string;
  tier?: string;
  /** "complete", or "partial" for a stream cut short (billed for what was delivered). */
  outcome: "complete" | "partial";
}

export interface ReserveInput {
  holdId: string;
  /** Cost of the prompt plus one output token: below this the call cannot go ahead. */
  minimumMicro: number;
  /** Cost of the prompt plus the largest output asked for. */
  worstMicro: number;
  requestId: string;
  /** Hash of the request, so an idempotency key reused for a different request is caught. */
  fingerprint?: string;
  /** True when holdId came from the client's Idempotency-Key. */
  idempotent: boolean;
}

export type ReserveResult =
  | { status: "held"; heldMicro: number; balance: number; available: number }
  | { status: "insufficient"; balance: number; available: number; neededMicro: number }
  /** `result` is the stored outcome as JSON text (null when none was kept). */
  | { status: "replay"; result: string | null }
  | { status: "in_progress" }
  | { status: "key_reused" };

export interface SettleInput {
  holdId: string;
  costMicro: number;
  usage: UsageDetails;
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

export interface LedgerRecord {
  id: string;
  kind: "grant" | "usage" | "adjustment";
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
}

export interface UsageQuery {
  limit: number;
  /** Records strictly older (by sequence) than this one. */
  beforeSeq?: number;
  since?: number;
  until?: number;
  kinds?: Array<LedgerRecord["kind"]>;
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
