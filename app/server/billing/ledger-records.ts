// Appending to a ledger's records, and pruning old usage records (retention). Called inside the
// ledger's transactions; balances and their counters are the Durable Object's to change.
import type { LedgerRecord, PruneResult } from "./types";

type NewRecord = Pick<LedgerRecord, "id" | "kind" | "at" | "micro" | "balance_after"> &
  Partial<Omit<LedgerRecord, "id" | "kind" | "at" | "micro" | "balance_after">>;

const RECORD_COLUMNS = [
  "id",
  "kind",
  "at",
  "micro",
  "balance_after",
  "provider",
  "model",
  "tokens_in",
  "tokens_out",
  "estimated",
  "request_id",
  "job_id",
  "tier",
  "actor",
  "reason",
  "outcome",
  "key_id",
  "price_in",
  "price_out",
  "ref",
] as const satisfies ReadonlyArray<keyof NewRecord>;

/** Appends one record; columns a record kind does not use stay NULL. */
export function writeRecord(sql: SqlStorage, record: NewRecord): void {
  const values = RECORD_COLUMNS.map((column) => {
    const value = record[column];
    return typeof value === "boolean" ? (value ? 1 : 0) : (value ?? null);
  });
  sql.exec(
    `INSERT INTO records (${RECORD_COLUMNS.join(", ")}) VALUES (${RECORD_COLUMNS.map(() => "?").join(", ")})`,
    ...values,
  );
}

/** Deletes up to `limit` usage records older than `before` (none on a dry run), oldest first. */
export function pruneUsageRecords(sql: SqlStorage, before: number, limit: number, dryRun: boolean): PruneResult {
  const count = (where: string, ...args: number[]) =>
    sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM records WHERE ${where}`, ...args).one().n;
  const scanned = count("kind = 'usage'");
  const matched = count("kind = 'usage' AND at < ?", before);
  if (dryRun || matched === 0) return { scanned, matched, deleted: 0 };
  const cursor = sql.exec(
    `DELETE FROM records WHERE seq IN (
       SELECT seq FROM records WHERE kind = 'usage' AND at < ? ORDER BY seq LIMIT ?)`,
    before,
    limit,
  );
  return { scanned, matched, deleted: cursor.rowsWritten };
}
