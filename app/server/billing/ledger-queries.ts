// Read-only queries over one ledger's SQLite storage: the account row and its view, usage pages,
// daily totals and the audit sums. Plain functions over SqlStorage, so the Durable Object stays
// the small transactional surface and these can be read (and tested) on their own.
import {
  type AccountRef,
  type BalanceView,
  type DailyTotal,
  GRANT_KINDS,
  type LedgerRecord,
  type UsagePage,
  type UsageQuery,
} from "./types";

export type AccountRow = {
  account: string;
  kind: AccountRef["kind"];
  created_at: number;
  last_seen: number;
  granted: number;
  adjusted: number;
  spent: number;
  balance: number;
  held: number;
  /** 1 once a low-balance alert went out for the current stay below the threshold. */
  low_alerted: number;
};

type RecordRow = Omit<LedgerRecord, "estimated"> & { estimated: number | null; seq: number };

/** Sums that must agree with the account row; used by tests and operators. */
export interface LedgerAudit {
  recordedUsage: number;
  recordedAdjustments: number;
  recordedGrants: number;
  openHolds: number;
}

const DAY_MS = 86_400_000;

export function accountRow(sql: SqlStorage): AccountRow | undefined {
  return sql.exec<AccountRow>("SELECT * FROM account WHERE singleton = 1").toArray()[0];
}

/** An account nobody has used yet: the opening grant it would receive. */
export function unopenedView(ref: AccountRef, opening: number): BalanceView {
  return {
    ...ref,
    balance: opening,
    held: 0,
    granted: opening,
    adjusted: 0,
    spent: 0,
    created_at: null,
    last_seen: null,
  };
}

export function viewOf(row: AccountRow): BalanceView {
  const { account, kind, balance, held, granted, adjusted, spent, created_at, last_seen } = row;
  return { account, kind, balance, held, granted, adjusted, spent, created_at, last_seen };
}

/** Records newest first, `limit` at a time, with the sequence to continue before. */
export function usagePage(sql: SqlStorage, query: UsageQuery): UsagePage {
  const conditions: Array<[string, Array<string | number>]> = [];
  if (query.beforeSeq !== undefined) conditions.push(["seq < ?", [query.beforeSeq]]);
  if (query.since !== undefined) conditions.push(["at >= ?", [query.since]]);
  if (query.until !== undefined) conditions.push(["at < ?", [query.until]]);
  if (query.keyId !== undefined) conditions.push(["key_id = ?", [query.keyId]]);
  if (query.kinds?.length) conditions.push([`kind IN (${query.kinds.map(() => "?").join(", ")})`, query.kinds]);
  const where = conditions.length ? `WHERE ${conditions.map(([clause]) => clause).join(" AND ")}` : "";
  const rows = sql
    .exec<RecordRow>(
      `SELECT * FROM records ${where} ORDER BY seq DESC LIMIT ?`,
      ...conditions.flatMap(([, args]) => args),
      query.limit + 1,
    )
    .toArray();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    records: page.map(toRecord),
    nextBeforeSeq: rows.length > query.limit && last ? last.seq : null,
  };
}

/** Usage per UTC day for the last `days` days (today included), zeros where nothing happened. */
export function dailyTotals(sql: SqlStorage, days: number, now = Date.now()): DailyTotal[] {
  const since = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  const rows = sql
    .exec<{ day: string; micro: number; tokens: number; calls: number }>(
      `SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, SUM(micro) AS micro,
              SUM(COALESCE(tokens_in, 0) + COALESCE(tokens_out, 0)) AS tokens, COUNT(*) AS calls
       FROM records WHERE kind = 'usage' AND at >= ? GROUP BY day`,
      since,
    )
    .toArray();
  const byDay = new Map(rows.map((row) => [row.day, row]));
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(since + i * DAY_MS).toISOString().slice(0, 10);
    const row = byDay.get(day);
    return { day, micro: row?.micro ?? 0, tokens: row?.tokens ?? 0, calls: row?.calls ?? 0 };
  });
}

export function ledgerAudit(sql: SqlStorage): LedgerAudit {
  const sum = (kind: LedgerRecord["kind"]) =>
    sql.exec<{ total: number }>("SELECT COALESCE(SUM(micro), 0) AS total FROM records WHERE kind = ?", kind).one()
      .total;
  return {
    recordedUsage: sum("usage"),
    recordedAdjustments: sum("adjustment"),
    recordedGrants: GRANT_KINDS.reduce((total, kind) => total + sum(kind), 0),
    openHolds: sql
      .exec<{ total: number }>("SELECT COALESCE(SUM(amount), 0) AS total FROM holds WHERE state = 'open'")
      .one().total,
  };
}

function toRecord(row: RecordRow): LedgerRecord {
  const { seq: _seq, ...rest } = row;
  return { ...rest, estimated: row.estimated === 1 };
}
