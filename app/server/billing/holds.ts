// Holds: credits set aside for calls in flight (docs/decisions/004, 009). A hold is `open` until
// it is settled (charged what the call cost), released (nothing charged: no provider answered)
// or expired (its call never came back: charged what it last reported delivered). Resolved holds
// are kept a day, so a settle that arrives late finds what its expiry already charged. Called
// inside the ledger's transactions; every change to an open hold moves the account's `held`
// (and its key's) with it.

export type HoldState = "open" | "settled" | "released" | "expired";

export type HoldRow = {
  id: string;
  amount: number;
  created_at: number;
  expires_at: number;
  request_id: string | null;
  state: HoldState;
  key_id: string | null;
  idem_key: string | null;
  job_id: string | null;
  tier: string | null;
  provider: string | null;
  model: string | null;
  price_in: number;
  price_out: number;
  tokens_in_est: number;
  delivered_out: number;
  charged: number;
  resolved_at: number | null;
  record_id: string | null;
};

export type NewHold = Pick<HoldRow, "id" | "amount" | "expires_at" | "request_id"> &
  Partial<
    Pick<
      HoldRow,
      "key_id" | "idem_key" | "job_id" | "tier" | "provider" | "model" | "price_in" | "price_out" | "tokens_in_est"
    >
  >;

/** How long resolved holds are kept for late settles. */
export const RESOLVED_HOLD_TTL_MS = 24 * 3_600_000;

/** Sets `hold.amount` aside for a call until `hold.expires_at` at the latest. */
export function placeHold(sql: SqlStorage, hold: NewHold, now: number): void {
  sql.exec(
    `INSERT INTO holds (id, amount, created_at, expires_at, request_id, state, key_id, idem_key, job_id, tier,
       provider, model, price_in, price_out, tokens_in_est)
     VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    hold.id,
    hold.amount,
    now,
    hold.expires_at,
    hold.request_id,
    hold.key_id ?? null,
    hold.idem_key ?? null,
    hold.job_id ?? null,
    hold.tier ?? null,
    hold.provider ?? null,
    hold.model ?? null,
    hold.price_in ?? 0,
    hold.price_out ?? 0,
    hold.tokens_in_est ?? 0,
  );
  sql.exec("UPDATE account SET held = held + ?, last_seen = ? WHERE singleton = 1", hold.amount, now);
  if (hold.key_id) sql.exec("UPDATE keys SET held = held + ? WHERE id = ?", hold.amount, hold.key_id);
}

export function holdRow(sql: SqlStorage, id: string): HoldRow | undefined {
  return sql.exec<HoldRow>("SELECT * FROM holds WHERE id = ?", id).toArray()[0];
}

/** Open holds whose time is up, oldest first. */
export function dueHolds(sql: SqlStorage, now: number): HoldRow[] {
  return sql
    .exec<HoldRow>("SELECT * FROM holds WHERE state = 'open' AND expires_at <= ? ORDER BY expires_at", now)
    .toArray();
}

/** When the next open hold expires (null when none is open). */
export function nextExpiry(sql: SqlStorage): number | null {
  return sql.exec<{ at: number | null }>("SELECT MIN(expires_at) AS at FROM holds WHERE state = 'open'").one().at;
}

/**
 * Closes an open hold: its amount leaves the account's (and key's) `held`, and it keeps what it
 * was charged and by which record. The charge itself is the caller's to apply.
 */
export function closeHold(
  sql: SqlStorage,
  hold: HoldRow,
  state: Exclude<HoldState, "open">,
  charged: number,
  recordId: string | null,
  now: number,
): void {
  sql.exec(
    "UPDATE holds SET state = ?, charged = ?, record_id = ?, resolved_at = ? WHERE id = ?",
    state,
    charged,
    recordId,
    now,
    hold.id,
  );
  sql.exec("UPDATE account SET held = held - ?, last_seen = ? WHERE singleton = 1", hold.amount, now);
  if (hold.key_id) sql.exec("UPDATE keys SET held = held - ? WHERE id = ?", hold.amount, hold.key_id);
}

/** A stream's latest report: who answers at what price, and the output delivered so far. */
export function recordProgress(
  sql: SqlStorage,
  id: string,
  report: { provider: string; model: string; priceIn: number; priceOut: number; delivered: number },
  extendTo: number,
): void {
  sql.exec(
    `UPDATE holds SET provider = ?, model = ?, price_in = ?, price_out = ?,
       delivered_out = MAX(delivered_out, ?), expires_at = MAX(expires_at, ?)
     WHERE id = ? AND state = 'open'`,
    report.provider,
    report.model,
    report.priceIn,
    report.priceOut,
    report.delivered,
    extendTo,
    id,
  );
}

/** Forgets holds resolved before `before`; returns when the oldest resolved hold left will go (or null). */
export function pruneResolvedHolds(sql: SqlStorage, before: number): number | null {
  sql.exec("DELETE FROM holds WHERE state != 'open' AND resolved_at < ?", before);
  const oldest = sql
    .exec<{ at: number | null }>("SELECT MIN(resolved_at) AS at FROM holds WHERE state != 'open'")
    .one().at;
  return oldest === null ? null : oldest + RESOLVED_HOLD_TTL_MS;
}
