// The ledger's rules as plain functions over its SQLite storage: opening an account, holding
// (after authentication, the per-account rate limit and the idempotency check — all in the one
// call an ask makes before its provider), progress, settling, releasing and expiring holds, and
// admin adjustments. The Durable Object (ledger.ts) runs each inside one transaction.
import { SlidingWindow } from "../http/sliding-window";
import { chargeLate, chargeOpenHold, expireHold } from "./charges";
import { closeHold, dueHolds, holdRow, nextExpiry, placeHold, recordProgress } from "./holds";
import { keyRoom, keyRow } from "./key-store";
import { authenticate } from "./ledger-auth";
import { type AccountRow, accountRow } from "./ledger-queries";
import { writeRecord } from "./ledger-records";
import { type LowBalanceWatch, openingFlag, watchBalance } from "./low-balance";
import { operationKey, readOperation, rememberOperation, resolveAskKey } from "./operations";
import type {
  AccountRef,
  AdjustInput,
  AdjustResult,
  Caller,
  ProgressReport,
  ReserveInput,
  ReserveResult,
  SettleInput,
  SettleResult,
} from "./types";

export interface BookSettings {
  /** Opening credits of a new account of this kind. */
  openingGrant(kind: AccountRef["kind"]): number;
  /** How long a hold lives unless settled: LLM_DEADLINE_MS + HOLD_GRACE_MS. */
  holdTtlMs(): number;
  /** LOW_BALANCE_THRESHOLD and where its alert goes. */
  lowBalance(): LowBalanceWatch;
}

export class Book {
  /** Asks per minute, in memory (an evicted ledger forgets, erring on the client's side). */
  private readonly asks = new SlidingWindow();
  /** Set when a transaction queued a webhook, so the ledger sets its alarm to deliver it. */
  queued = false;
  /**
   * No open hold expires before this: a lower bound, lowered by every hold placed here and
   * recomputed whenever due holds are looked for (−Infinity until then), so an ask's hold looks
   * for due holds only once one may be due.
   */
  private openUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sql: SqlStorage,
    private readonly settings: BookSettings,
  ) {}

  /** The account row, created with its one-time opening grant on first use. */
  ensureAccount(ref: AccountRef, now: number): AccountRow {
    const existing = accountRow(this.sql);
    if (existing) return existing;
    const grant = this.settings.openingGrant(ref.kind);
    this.sql.exec(
      `INSERT INTO account (singleton, account, kind, created_at, last_seen, granted, balance, low_alerted)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
      ref.account,
      ref.kind,
      now,
      now,
      grant,
      grant,
      openingFlag(this.settings.lowBalance(), grant),
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

  /** After a change to the balance: a low-balance crossing queues its alert (low-balance.ts). */
  watch(now: number): void {
    if (watchBalance(this.sql, this.settings.lowBalance(), now)) this.queued = true;
  }

  /** Charges and closes every open hold whose time is up; returns how many. */
  expireDue(now: number): number {
    const due = dueHolds(this.sql, now);
    for (const hold of due) {
      expireHold(this.sql, hold, now);
      if (hold.idem_key) resolveAskKey(this.sql, hold.idem_key, hold.id, "released", null);
    }
    if (due.length > 0) this.watch(now);
    this.openUntil = nextExpiry(this.sql) ?? Number.POSITIVE_INFINITY;
    return due.length;
  }

  /** When the soonest open hold expires, as expireDue last found it (null: none is open). */
  get soonestExpiry(): number | null {
    return Number.isFinite(this.openUntil) ? this.openUntil : null;
  }

  /** expireDue, skipped while no open hold can be due yet (an ask's hold, on its critical path). */
  private expireDueOnHold(now: number): number {
    return now < this.openUntil ? 0 : this.expireDue(now);
  }

  /**
   * Settles that rode on another call (pending-settles.ts), for this account's own holds; the
   * account's row as they left it (undefined: no account yet, or nothing to settle).
   */
  settleCarried(settles: SettleInput[] | undefined, now: number): AccountRow | undefined {
    if (!settles?.length) return undefined;
    let account = accountRow(this.sql);
    if (!account) return undefined;
    for (const input of settles) {
      const ref: AccountRef = { account: account.account, kind: account.kind };
      account = this.settleOn(ref, input, now, account).account ?? account;
    }
    return account;
  }

  reserve(who: Caller | AccountRef, input: ReserveInput, now: number): ReserveResult {
    const settled = this.settleCarried(input.settles, now);
    const auth = authenticate(this.sql, who, now);
    if (auth.status === "denied") return auth;
    if (input.rateLimit) {
      const decision = this.asks.hit(input.rateLimit, 60, now);
      if (!decision.allowed) return { status: "rate_limited", retryAfterSec: decision.retryAfterSec };
    }
    let account = settled ?? this.ensureAccount(auth.ref, now);
    if (this.expireDueOnHold(now) > 0) account = accountRow(this.sql) as AccountRow;
    const idemKey = input.idemKey ?? (input.idempotent ? input.holdId : undefined);
    if (idemKey) {
      const prior = readOperation(this.sql, operationKey.ask(idemKey));
      if (prior) {
        if (input.fingerprint && prior.fingerprint && prior.fingerprint !== input.fingerprint) {
          return { status: "key_reused" };
        }
        if (prior.state === "settled") return { status: "replay", result: prior.result };
        const hold = prior.holdId ? holdRow(this.sql, prior.holdId) : undefined;
        if (prior.state === "held" && hold?.state === "open") return { status: "in_progress" };
        // Released, expired or partly charged: the key may run again.
      }
    }
    const available = account.balance - account.held;
    if (available < input.minimumMicro) {
      const shortfall = { balance: account.balance, available: Math.max(0, available) };
      return { status: "insufficient", ...shortfall, neededMicro: input.minimumMicro };
    }
    const key = auth.keyId ? keyRow(this.sql, auth.keyId) : undefined;
    const room = key ? keyRoom(key) : Number.POSITIVE_INFINITY;
    if (key && room < input.minimumMicro) {
      return { status: "key_limit", limit: key.credit_limit ?? 0, remaining: room, neededMicro: input.minimumMicro };
    }
    const amount = Math.max(0, Math.min(available, room, input.worstMicro));
    const expiresAt = input.expiresAt ?? now + this.settings.holdTtlMs();
    placeHold(
      this.sql,
      {
        id: input.holdId,
        amount,
        expires_at: expiresAt,
        request_id: input.requestId,
        key_id: auth.keyId,
        idem_key: idemKey ?? null,
        job_id: input.jobId ?? null,
        tier: input.tier ?? null,
        provider: input.provider ?? null,
        model: input.model ?? null,
        price_in: input.priceIn ?? 0,
        price_out: input.priceOut ?? 0,
        tokens_in_est: input.tokensInEst ?? 0,
      },
      now,
    );
    this.openUntil = Math.min(this.openUntil, expiresAt);
    if (idemKey) {
      const operation = {
        state: "held" as const,
        result: null,
        fingerprint: input.fingerprint ?? null,
        holdId: input.holdId,
      };
      rememberOperation(this.sql, operationKey.ask(idemKey), operation, now);
    }
    return {
      status: "held",
      heldMicro: amount,
      balance: account.balance,
      available: available - amount,
      account: auth.ref,
      keyId: auth.keyId,
    };
  }

  progress(holdId: string, report: ProgressReport, now: number): void {
    recordProgress(this.sql, holdId, report, now + this.settings.holdTtlMs());
  }

  settle(ref: AccountRef, input: SettleInput, now: number): SettleResult {
    return this.settleOn(ref, input, now).result;
  }

  /**
   * Settles one hold; `known` is the account's row as it stands now when the caller has it (its
   * balance, held and spent — `low_alerted` is read by the low-balance watch itself). Returns the
   * row as the settle left it, when it changed it.
   */
  private settleOn(
    ref: AccountRef,
    input: SettleInput,
    now: number,
    known?: AccountRow,
  ): { result: SettleResult; account: AccountRow | undefined } {
    const hold = holdRow(this.sql, input.holdId);
    if (hold?.state === "settled") return { result: this.settledResult(hold.id), account: known };
    const account = known ?? this.ensureAccount(ref, now);
    const details = { ...input.usage };
    const charge =
      hold?.state === "open"
        ? chargeOpenHold(this.sql, hold, input.costMicro, details, "settled", now, account)
        : chargeLate(this.sql, hold, input.costMicro, details, now, account);
    if (hold?.idem_key) {
      // Only a complete answer is replayed; a partial one lets the key run again.
      const complete = input.usage.outcome === "complete" && input.outcome !== undefined;
      const state = complete ? "settled" : "released";
      resolveAskKey(this.sql, hold.idem_key, hold.id, state, complete ? (input.outcome ?? null) : null);
    }
    this.watch(now);
    return {
      result: { chargedMicro: charge.charged, balance: charge.account.balance, recordId: charge.recordId },
      account: charge.account,
    };
  }

  release(holdId: string, now: number): { released: number } {
    const hold = holdRow(this.sql, holdId);
    if (hold?.state !== "open") return { released: 0 };
    closeHold(this.sql, hold, "released", 0, null, now);
    if (hold.idem_key) resolveAskKey(this.sql, hold.idem_key, hold.id, "released", null);
    return { released: hold.amount };
  }

  adjust(ref: AccountRef, input: AdjustInput, now: number): AdjustResult {
    const fingerprint = JSON.stringify([input.set ?? null, input.delta ?? null]);
    const key = input.key === undefined ? null : operationKey.adjust(input.key);
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
    if (key) rememberOperation(this.sql, key, { state: "applied", result: JSON.stringify(applied), fingerprint }, now);
    this.watch(now);
    return applied;
  }

  private settledResult(holdId: string): SettleResult {
    const row = this.sql
      .exec<{ charged: number; record_id: string | null; balance_after: number | null }>(
        `SELECT h.charged, h.record_id, r.balance_after FROM holds h LEFT JOIN records r ON r.id = h.record_id
         WHERE h.id = ?`,
        holdId,
      )
      .one();
    return { chargedMicro: row.charged, balance: row.balance_after ?? 0, recordId: row.record_id ?? "" };
  }
}
