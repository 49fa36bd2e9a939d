// An account's API keys inside its ledger: the one authority on whether a key is valid, what it
// may still spend and what it has spent (docs/decisions/009). Only a key's SHA-256 is stored.
// Called inside the ledger's transactions.
import type { KeyView, NewKeyOptions } from "./types";

export type KeyRow = KeyView & { hash: string };

/** last_used_at is approximate: written at most this often per key. */
export const LAST_USED_EVERY_MS = 60_000;

export function keyRow(sql: SqlStorage, id: string): KeyRow | undefined {
  return sql.exec<KeyRow>("SELECT * FROM keys WHERE id = ?", id).toArray()[0];
}

export function insertKey(
  sql: SqlStorage,
  key: { id: string; hash: string; prefix: string },
  options: NewKeyOptions,
  now: number,
): void {
  sql.exec(
    "INSERT INTO keys (id, hash, name, prefix, created_at, expires_at, credit_limit) VALUES (?, ?, ?, ?, ?, ?, ?)",
    key.id,
    key.hash,
    options.name ?? null,
    key.prefix,
    now,
    options.expiresAt ?? null,
    options.creditLimit ?? null,
  );
}

export function listKeys(sql: SqlStorage): KeyView[] {
  return sql.exec<KeyRow>("SELECT * FROM keys ORDER BY created_at DESC, id").toArray().map(viewOfKey);
}

/** Revokes a key (once: the first revocation's time is kept); null when there is no such key. */
export function revokeKey(sql: SqlStorage, id: string, now: number): KeyView | null {
  sql.exec("UPDATE keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", now, id);
  const row = keyRow(sql, id);
  return row ? viewOfKey(row) : null;
}

/** A key that may be used now: not revoked, not expired. */
export function usable(row: KeyRow, now: number): boolean {
  return row.revoked_at === null && (row.expires_at === null || row.expires_at > now);
}

export function touchKey(sql: SqlStorage, row: KeyRow, now: number): void {
  if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_EVERY_MS) {
    sql.exec("UPDATE keys SET last_used_at = ? WHERE id = ?", now, row.id);
  }
}

/** What the key may still spend beyond its open holds (unbounded without a limit). */
export function keyRoom(row: Pick<KeyRow, "credit_limit" | "spent" | "held">): number {
  return row.credit_limit === null ? Number.POSITIVE_INFINITY : Math.max(0, row.credit_limit - row.spent - row.held);
}

export function viewOfKey(row: KeyRow): KeyView {
  const { hash: _hash, ...view } = row;
  return view;
}
