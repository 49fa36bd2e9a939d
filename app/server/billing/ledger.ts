// The credits authority: one Durable Object per account. Every change runs synchronously inside
// one SQLite transaction, so concurrent calls are serialized and the invariant
// `balance = granted + adjusted − spent ≥ 0` holds at every commit.
import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../config";
import { writeAccountIndex } from "./accounts";
import { LEDGER_SCHEMA } from "./schema";
import type {
  AccountRef,
  AdjustInput,
  AdjustResult,
  BalanceView,
  DailyTotal,
  LedgerRecord,
  PruneResult,
  ReserveInput,
  ReserveResult,
  SettleInput,
  SettleResult,
  UsagePage,
  UsageQuery,
} from "./types";

type AccountRow = {
  account: string;
  kind: "email" | "guest";
  created_at: number;
  last_seen: number;
  granted: number;
  adjusted: number;
  spent: number;
  balance: number;
  held: number;
};

type RecordRow = Omit<LedgerRecord, "estimated"> & {
  estimated: number | null;
  seq: number;
};

/** Holds outlive the longest call by this much before they are returned unclaimed. */
const HOLD_GRACE_MS = 5 * 60_000;
/** How long idempotency keys are remembered. */
const OPERATION_TTL_MS = 24 * 3_600_000;
/** The account index in KV is refreshed at most this often per account. */
const INDEX_DELAY_MS = 1_000;

export class CreditLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private indexPending = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(LEDGER_SCHEMA);
  }

  // ---- reads ---------------------------------------------------------------------------

  balance(ref: AccountRef): BalanceView {
    const row = this.row();
    if (!row) {
      // An account nobody has used yet: show the opening grant it would receive.
      const opening = this.openingGrant(ref.kind);
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
    this.expireHolds(Date.now());
    return this.view(this.row() ?? row);
  }

  usage(query: UsageQuery): UsagePage {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (query.beforeSeq !== undefined) where.push("seq < ?"), args.push(query.beforeSeq);
    if (query.since !== undefined) where.push("at >= ?"), args.push(query.since);
    if (query.until !== undefined) where.push("at < ?"), args.push(query.until);
    if (query.kinds?.length) {
      where.push(`kind IN (${query.kinds.map(() => "?").join(", ")})`);
      args.push(...query.kinds);
    }
    const rows = this.sql
      .exec<RecordRow>(
        `SELECT * FROM records ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`,
        ...args,
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

  dailyTotals(days: number, now = Date.now()): DailyTotal[] {
    const since = startOfUtcDay(now) - (days - 1) * 86_400_000;
    const rows = this.sql
      .exec<{ day: string; micro: number; tokens: number; calls: number }>(
        `SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, SUM(micro) AS micro,
                SUM(COALESCE(tokens_in, 0) + COALESCE(tokens_out, 0)) AS tokens, COUNT(*) AS calls
         FROM records WHERE kind = 'usage' AND at >= ? GROUP BY day`,
        since,
      )
      .toArray();
    const byDay = new Map(rows.map((row) => [row.day, row]));
    return Array.from({ length: days }, (_, i) => {
      const day = new Date(since + i * 86_400_000).toISOString().slice(0, 10);
      const row = byDay.get(day);
      return {
        day,
        micro: row?.micro ?? 0,
        tokens: row?.tokens ?? 0,
        calls: row?.calls ?? 0,
      };
    });
  }

  /** Sums that must agree with the account row; used by tests and operators. */
  audit(): {
    recordedUsage: number;
    recordedAdjustments: number;
    recordedGrants: number;
    openHolds: number;
  } {
    const sum = (kind: string) =>
      this.sql
        .exec<{ total: number }>("SELECT COALESCE(SUM(micro), 0) AS total FROM records WHERE kind = ?", kind)
        .one().total;
    const holds = this.sql.exec<{ total: number }>("SELECT COALESCE(SUM(amount), 0) AS total FROM holds").one().total;
    return {
      recordedUsage: sum("usage"),
      recordedAdjustments: sum("adjustment"),
      recordedGrants: sum("grant"),
      openHolds: holds,
    };
  }

  // ---- the reserve → settle | release cycle ----------------------------------------------

  reserve(ref: AccountRef, input: ReserveInput): ReserveResult {
    const now = Date.now();
    const result = this.ctx.storage.transactionSync((): ReserveResult => {
      const prior = this.operation(`reserve:${input.holdId}`);
      if (prior) {
        if (input.fingerprint && prior.fingerprint && prior.fingerprint !== input.fingerprint) {
          return { status: "key_reused" };
        }
        if (prior.state === "settled") return { status: "replay", result: prior.result };
        if (prior.state === "held") return { status: "in_progress" };
        // A released reservation may be tried again under the same key.
      }
      const account = this.ensureAccount(ref, now);
      this.expireHolds(now);
      const current = this.row() ?? account;
      const available = current.balance - current.held;
      if (available < input.minimumMicro) {
        return {
          status: "insufficient",
          balance: current.balance,
          available: Math.max(0, available),
          neededMicro: input.minimumMicro,
        };
      }
      const amount = Math.max(0, Math.min(available, input.worstMicro));
      const expires = now + loadConfig(this.env).llm.deadlineMs + HOLD_GRACE_MS;
      this.sql.exec(
        "INSERT INTO holds (id, amount, created_at, expires_at, request_id) VALUES (?, ?, ?, ?, ?)",
        input.holdId,
        amount,
        now,
        expires,
        input.requestId,
      );
      this.sql.exec("UPDATE account SET held = held + ?, last_seen = ? WHERE singleton = 1", amount, now);
      this.remember(`reserve:${input.holdId}`, "held", null, input.fingerprint ?? null, now);
      return {
        status: "held",
        heldMicro: amount,
        balance: current.balance,
        available: available - amount,
      };
    });
    if (result.status === "held") this.scheduleIndex();
    return result;
  }

  settle(ref: AccountRef, input: SettleInput): SettleResult {
    const now = Date.now();
    const result = this.ctx.storage.transactionSync((): SettleResult => {
      const prior = this.operation(`settle:${input.holdId}`);
      if (prior?.result) return JSON.parse(prior.result) as SettleResult;
      const account = this.ensureAccount(ref, now);
      const hold = this.sql
        .exec<{ amount: number }>("SELECT amount FROM holds WHERE id = ?", input.holdId)
        .toArray()[0];
      const heldHere = hold?.amount ?? 0;
      // This call may use its own hold plus whatever no other call is holding, never more.
      const free = Math.max(0, account.balance - account.held);
      const charged = Math.max(0, Math.min(input.costMicro, heldHere + free, account.balance));
      if (hold) this.sql.exec("DELETE FROM holds WHERE id = ?", input.holdId);
      this.sql.exec(
        `UPDATE account SET spent = spent + ?, balance = balance - ?, held = held - ?, last_seen = ?
         WHERE singleton = 1`,
        charged,
        charged,
        heldHere,
        now,
      );
      const balance = account.balance - charged;
      const recordId = `use_${crypto.randomUUID()}`;
      const u = input.usage;
      this.sql.exec(
        `INSERT INTO records (id, kind, at, micro, balance_after, provider, model, tokens_in, tokens_out, estimated,
                              request_id, job_id, tier, outcome)
         VALUES (?, 'usage', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        recordId,
        now,
        charged,
        balance,
        u.provider,
        u.model,
        u.tokensIn,
        u.tokensOut,
        u.estimated ? 1 : 0,
        u.requestId,
        u.jobId ?? null,
        u.tier ?? null,
        u.outcome,
      );
      const settled: SettleResult = {
        chargedMicro: charged,
        balance,
        recordId,
      };
      this.remember(`settle:${input.holdId}`, "settled", JSON.stringify(settled), null, now);
      this.sql.exec("UPDATE operations SET state = 'settled' WHERE key = ?", `reserve:${input.holdId}`);
      return settled;
    });
    this.scheduleIndex();
    return result;
  }

  /** Keeps a settled call's outcome so a replay of its Idempotency-Key returns it. */
  recordOutcome(holdId: string, outcome: unknown): void {
    this.sql.exec(
      "UPDATE operations SET result = ? WHERE key = ? AND state = 'settled'",
      JSON.stringify(outcome),
      `reserve:${holdId}`,
    );
  }

  release(_ref: AccountRef, holdId: string): { released: number } {
    const now = Date.now();
    return this.ctx.storage.transactionSync(() => {
      const hold = this.sql.exec<{ amount: number }>("SELECT amount FROM holds WHERE id = ?", holdId).toArray()[0];
      if (!hold) return { released: 0 };
      this.sql.exec("DELETE FROM holds WHERE id = ?", holdId);
      this.sql.exec("UPDATE account SET held = held - ?, last_seen = ? WHERE singleton = 1", hold.amount, now);
      this.sql.exec("UPDATE operations SET state = 'released' WHERE key = ?", `reserve:${holdId}`);
      return { released: hold.amount };
    });
  }

  // ---- admin adjustments ----------------------------------------------------------------

  adjust(ref: AccountRef, input: AdjustInput): AdjustResult {
    const now = Date.now();
    const fingerprint = JSON.stringify([input.set ?? null, input.delta ?? null]);
    const result = this.ctx.storage.transactionSync((): AdjustResult => {
      if (input.key) {
        const prior = this.operation(`adjust:${input.key}`);
        if (prior?.result) {
          if (prior.fingerprint !== fingerprint) return { status: "key_reused" };
          return {
            ...(JSON.parse(prior.result) as AdjustResult),
            replayed: true,
          } as AdjustResult;
        }
      }
      const account = this.ensureAccount(ref, now);
      const target = input.set !== undefined ? input.set : account.balance + (input.delta ?? 0);
      if (target < 0 || !Number.isSafeInteger(target)) return { status: "negative", balance: account.balance };
      const change = target - account.balance;
      this.sql.exec(
        "UPDATE account SET adjusted = adjusted + ?, balance = ?, last_seen = ? WHERE singleton = 1",
        change,
        target,
        now,
      );
      const recordId = `adj_${crypto.randomUUID()}`;
      this.sql.exec(
        `INSERT INTO records (id, kind, at, micro, balance_after, actor, reason, outcome)
         VALUES (?, 'adjustment', ?, ?, ?, ?, ?, ?)`,
        recordId,
        now,
        change,
        target,
        input.actor,
        input.reason ?? null,
        input.set !== undefined ? "set" : "delta",
      );
      const applied: AdjustResult = {
        status: "applied",
        previous: account.balance,
        balance: target,
        recordId,
        replayed: false,
      };
      if (input.key) this.remember(`adjust:${input.key}`, "applied", JSON.stringify(applied), fingerprint, now);
      return applied;
    });
    if (result.status === "applied") this.scheduleIndex();
    return result;
  }

  // ---- retention --------------------------------------------------------------------------

  /** Deletes usage records older than `before`; balances and counters are never touched. */
  pruneUsage(before: number, limit: number, dryRun: boolean): PruneResult {
    const scanned = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM records WHERE kind = 'usage'").one().n;
    const matched = this.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM records WHERE kind = 'usage' AND at < ?", before)
      .one().n;
    if (dryRun || matched === 0) return { scanned, matched, deleted: 0 };
    const cursor = this.sql.exec(
      `DELETE FROM records WHERE seq IN (
         SELECT seq FROM records WHERE kind = 'usage' AND at < ? ORDER BY seq LIMIT ?)`,
      before,
      limit,
    );
    this.sql.exec("DELETE FROM operations WHERE at < ?", Date.now() - OPERATION_TTL_MS);
    return { scanned, matched, deleted: cursor.rowsWritten };
  }

  override async alarm(): Promise<void> {
    this.indexPending = false;
    const row = this.row();
    if (row) await writeAccountIndex(this.env.KV_BILLING, this.view(row));
  }

  // ---- internals ------------------------------------------------------------------------

  private row(): AccountRow | undefined {
    return this.sql.exec<AccountRow>("SELECT * FROM account WHERE singleton = 1").toArray()[0];
  }

  private view(row: AccountRow): BalanceView {
    return {
      account: row.account,
      kind: row.kind,
      balance: row.balance,
      held: row.held,
      granted: row.granted,
      adjusted: row.adjusted,
      spent: row.spent,
      created_at: row.created_at,
      last_seen: row.last_seen,
    };
  }

  private openingGrant(kind: AccountRef["kind"]): number {
    const config = loadConfig(this.env);
    return kind === "guest" ? config.guestMicro : config.newAccountMicro;
  }

  /** Creates the account with its one-time opening grant on first use. */
  private ensureAccount(ref: AccountRef, now: number): AccountRow {
    const existing = this.row();
    if (existing) return existing;
    const grant = this.openingGrant(ref.kind);
    this.sql.exec(
      `INSERT INTO account (singleton, account, kind, created_at, last_seen, granted, balance)
       VALUES (1, ?, ?, ?, ?, ?, ?)`,
      ref.account,
      ref.kind,
      now,
      now,
      grant,
      grant,
    );
    if (grant > 0) {
      this.sql.exec(
        `INSERT INTO records (id, kind, at, micro, balance_after, actor, reason)
         VALUES (?, 'grant', ?, ?, ?, 'system', ?)`,
        `grt_${crypto.randomUUID()}`,
        now,
        grant,
        grant,
        ref.kind === "guest" ? "guest opening credits" : "new account credits",
      );
    }
    return this.row() as AccountRow;
  }

  /** Returns the funds of calls that never came back (a crashed isolate, say). */
  private expireHolds(now: number): void {
    const expired = this.sql
      .exec<{ total: number; n: number }>(
        "SELECT COALESCE(SUM(amount), 0) AS total, COUNT(*) AS n FROM holds WHERE expires_at <= ?",
        now,
      )
      .one();
    if (expired.n === 0) return;
    this.sql.exec("DELETE FROM holds WHERE expires_at <= ?", now);
    this.sql.exec("UPDATE account SET held = held - ? WHERE singleton = 1", expired.total);
  }

  private operation(key: string) {
    return this.sql
      .exec<{
        state: string;
        result: string | null;
        fingerprint: string | null;
      }>("SELECT state, result, fingerprint FROM operations WHERE key = ?", key)
      .toArray()[0];
  }

  private remember(key: string, state: string, result: string | null, fingerprint: string | null, now: number) {
    this.sql.exec(
      "INSERT OR REPLACE INTO operations (key, fingerprint, state, result, at) VALUES (?, ?, ?, ?, ?)",
      key,
      fingerprint,
      state,
      result,
      now,
    );
  }

  private scheduleIndex(): void {
    if (this.indexPending) return;
    this.indexPending = true;
    void this.ctx.storage.setAlarm(Date.now() + INDEX_DELAY_MS);
  }
}

function toRecord(row: RecordRow): LedgerRecord {
  const { seq: _seq, ...rest } = row;
  return { ...rest, estimated: row.estimated === 1 };
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
}
