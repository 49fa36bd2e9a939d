// Holds: credits set aside for calls in flight (docs/decisions/004-hold-cap-settle.md). Called
// inside the ledger's transactions; every change to a hold moves the account's `held` with it.

/** Sets `amount` aside for a call, until `expiresAt` at the latest. */
export function placeHold(
  sql: SqlStorage,
  hold: { id: string; amount: number; expiresAt: number; requestId: string },
  now: number,
): void {
  sql.exec(
    "INSERT INTO holds (id, amount, created_at, expires_at, request_id) VALUES (?, ?, ?, ?, ?)",
    hold.id,
    hold.amount,
    now,
    hold.expiresAt,
    hold.requestId,
  );
  sql.exec("UPDATE account SET held = held + ?, last_seen = ? WHERE singleton = 1", hold.amount, now);
}

/**
 * Removes a hold and returns its amount (null when there is none, e.g. it expired). The caller
 * takes the amount off the account's `held` in the same statement that charges or returns it.
 */
export function takeHold(sql: SqlStorage, id: string): number | null {
  const hold = sql.exec<{ amount: number }>("SELECT amount FROM holds WHERE id = ?", id).toArray()[0];
  if (!hold) return null;
  sql.exec("DELETE FROM holds WHERE id = ?", id);
  return hold.amount;
}

/** Returns the funds of calls that never came back (a crashed isolate, say). */
export function expireHolds(sql: SqlStorage, now: number): void {
  const expired = sql
    .exec<{ total: number; n: number }>(
      "SELECT COALESCE(SUM(amount), 0) AS total, COUNT(*) AS n FROM holds WHERE expires_at <= ?",
      now,
    )
    .one();
  if (expired.n === 0) return;
  sql.exec("DELETE FROM holds WHERE expires_at <= ?", now);
  sql.exec("UPDATE account SET held = held - ? WHERE singleton = 1", expired.total);
}
