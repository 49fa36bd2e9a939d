// The credits authority: one Durable Object per account (docs/decisions/001). Every change runs
// synchronously inside one SQLite transaction, so concurrent calls are serialized and the
// invariant `balance = granted + adjusted − spent ≥ 0` holds at every commit. This class is the
// transactional RPC surface; reads are in ledger-queries.ts, holds in holds.ts, records in
// ledger-records.ts, idempotency keys in operations.ts, the schema in schema.ts.
import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../config";
import { migrate } from "../storage/migrate";
import { writeAccountIndex } from "./accounts";
import { expireHolds, placeHold, takeHold } from "./holds";
import {
  type AccountRow,
  accountRow,
  dailyTotals,
  ledgerAudit,
  unopenedView,
  usagePage,
  viewOf,
} from "./ledger-queries";
import { pruneUsageRecords, writeRecord } from "./ledger-records";
import {
  forgetOperationsBefore,
  OPERATION_TTL_MS,
  operationKey,
  readOperation,
  rememberOperation,
  setOperationResult,
  setOperationState,
} from "./operations";
import { LEDGER_MIGRATIONS } from "./schema";
import type {
  AccountRef,
  AdjustInput,
  AdjustResult,
  BalanceView,
  PruneResult,
  ReserveInput,
  ReserveResult,
  SettleInput,
  SettleResult,
  UsageQuery,
} from "./types";

/** Holds outlive the longest call by this much before they are returned unclaimed. */
const HOLD_GRACE_MS = 5 * 60_000;
/** The account index in KV is refreshed at most this often per account. */
const INDEX_DELAY_MS = 1_000;

export class CreditLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private indexPending = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(ctx.storage, LEDGER_MIGRATIONS);
  }

  // ---- reads ---------------------------------------------------------------------------

  balance(ref: AccountRef): BalanceView {
    if (!accountRow(this.sql)) {
      // An account nobody has used yet: show the opening grant it would receive.
      return unopenedView(ref, this.openingGrant(ref.kind));
    }
    expireHolds(this.sql, Date.now());
    return viewOf(accountRow(this.sql) as AccountRow);
  }

  usage(query: UsageQuery) {
    return usagePage(this.sql, query);
  }

  dailyTotals(days: number, now = Date.now()) {
    return dailyTotals(this.sql, days, now);
  }

  audit() {
    return ledgerAudit(this.sql);
  }

  // ---- the reserve → settle | release cycle (docs/decisions/004) ---------------------------

  reserve(ref: AccountRef, input: ReserveInput): ReserveResult {
    const now = Date.now();
    const key = operationKey.reserve(input.holdId);
    const result = this.ctx.storage.transactionSync((): ReserveResult => {
      const prior = readOperation(this.sql, key);
      if (prior) {
        if (input.fingerprint && prior.fingerprint && prior.fingerprint !== input.fingerprint) {
          return { status: "key_reused" };
        }
        if (prior.state === "settled") return { status: "replay", result: prior.result };
        if (prior.state === "held") return { status: "in_progress" };
        // A released reservation may be tried again under the same key.
      }
      this.ensureAccount(ref, now);
      expireHolds(this.sql, now);
      const current = accountRow(this.sql) as AccountRow;
      const available = current.balance - current.held;
      if (available < input.minimumMicro) {
        const shortfall = { balance: current.balance, available: Math.max(0, available) };
        return { status: "insufficient", ...shortfall, neededMicro: input.minimumMicro };
      }
      const amount = Math.max(0, Math.min(available, input.worstMicro));
      const expiresAt = now + loadConfig(this.env).llm.deadlineMs + HOLD_GRACE_MS;
      placeHold(this.sql, { id: input.holdId, amount, expiresAt, requestId: input.requestId }, now);
      rememberOperation(this.sql, key, { state: "held", result: null, fingerprint: input.fingerprint ?? null }, now);
      return { status: "held", heldMicro: amount, balance: current.balance, available: available - amount };
    });
    if (result.status === "held") this.scheduleIndex();
    return result;
  }

  settle(ref: AccountRef, input: SettleInput): SettleResult {
    const now = Date.now();
    const key = operationKey.settle(input.holdId);
    const result = this.ctx.storage.transactionSync((): SettleResult => {
      const prior = readOperation(this.sql, key);
      if (prior?.result) return JSON.parse(prior.result) as SettleResult;
      const account = this.ensureAccount(ref, now);
      const heldHere = takeHold(this.sql, input.holdId) ?? 0;
      // This call may use its own hold plus whatever no other call is holding, never more.
      const free = Math.max(0, account.balance - account.held);
      const charged = Math.max(0, Math.min(input.costMicro, heldHere + free, account.balance));
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
      const { usage } = input;
      writeRecord(this.sql, {
        id: recordId,
        kind: "usage",
        at: now,
        micro: charged,
        balance_after: balance,
        provider: usage.provider,
        model: usage.model,
        tokens_in: usage.tokensIn,
        tokens_out: usage.tokensOut,
        estimated: usage.estimated,
        request_id: usage.requestId,
        job_id: usage.jobId ?? null,
        tier: usage.tier ?? null,
        outcome: usage.outcome,
      });
      const settled: SettleResult = { chargedMicro: charged, balance, recordId };
      rememberOperation(this.sql, key, { state: "settled", result: JSON.stringify(settled), fingerprint: null }, now);
      setOperationState(this.sql, operationKey.reserve(input.holdId), "settled");
      return settled;
    });
    this.scheduleIndex();
    return result;
  }

  /** Keeps a settled call's outcome so a replay of its Idempotency-Key returns it. */
  recordOutcome(holdId: string, outcome: unknown): void {
    setOperationResult(this.sql, operationKey.reserve(holdId), "settled", JSON.stringify(outcome));
  }

  release(holdId: string): { released: number } {
    const now = Date.now();
    return this.ctx.storage.transactionSync(() => {
      const amount = takeHold(this.sql, holdId);
      if (amount === null) return { released: 0 };
      this.sql.exec("UPDATE account SET held = held - ?, last_seen = ? WHERE singleton = 1", amount, now);
      setOperationState(this.sql, operationKey.reserve(holdId), "released");
      return { released: amount };
    });
  }

  // ---- admin adjustments ----------------------------------------------------------------

  adjust(ref: AccountRef, input: AdjustInput): AdjustResult {
    const now = Date.now();
    const fingerprint = JSON.stringify([input.set ?? null, input.delta ?? null]);
    const key = input.key === undefined ? null : operationKey.adjust(input.key);
    const result = this.ctx.storage.transactionSync((): AdjustResult => {
      const prior = key ? readOperation(this.sql, key) : undefined;
      if (prior?.result) {
        if (prior.fingerprint !== fingerprint) return { status: "key_reused" };
        return { ...(JSON.parse(prior.result) as AdjustResult), replayed: true } as AdjustResult;
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
      writeRecord(this.sql, {
        id: recordId,
        kind: "adjustment",
        at: now,
        micro: change,
        balance_after: target,
        actor: input.actor,
        reason: input.reason ?? null,
        outcome: input.set !== undefined ? "set" : "delta",
      });
      const applied: AdjustResult = {
        status: "applied",
        previous: account.balance,
        balance: target,
        recordId,
        replayed: false,
      };
      if (key)
        rememberOperation(this.sql, key, { state: "applied", result: JSON.stringify(applied), fingerprint }, now);
      return applied;
    });
    if (result.status === "applied") this.scheduleIndex();
    return result;
  }

  // ---- retention --------------------------------------------------------------------------

  /** Deletes usage records older than `before`; balances and counters are never touched. */
  pruneUsage(before: number, limit: number, dryRun: boolean): PruneResult {
    const result = pruneUsageRecords(this.sql, before, limit, dryRun);
    if (result.deleted > 0) forgetOperationsBefore(this.sql, Date.now() - OPERATION_TTL_MS);
    return result;
  }

  override async alarm(): Promise<void> {
    this.indexPending = false;
    const row = accountRow(this.sql);
    if (row) await writeAccountIndex(this.env.KV_BILLING, viewOf(row));
  }

  // ---- internals ------------------------------------------------------------------------

  private openingGrant(kind: AccountRef["kind"]): number {
    const config = loadConfig(this.env);
    return kind === "guest" ? config.guestMicro : config.newAccountMicro;
  }

  /** Creates the account with its one-time opening grant on first use. */
  private ensureAccount(ref: AccountRef, now: number): AccountRow {
    const existing = accountRow(this.sql);
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
      writeRecord(this.sql, {
        id: `grt_${crypto.randomUUID()}`,
        kind: "grant",
        at: now,
        micro: grant,
        balance_after: grant,
        actor: "system",
        reason: ref.kind === "guest" ? "guest opening credits" : "new account credits",
      });
    }
    return accountRow(this.sql) as AccountRow;
  }

  private scheduleIndex(): void {
    if (this.indexPending) return;
    this.indexPending = true;
    void this.ctx.storage.setAlarm(Date.now() + INDEX_DELAY_MS);
  }
}
