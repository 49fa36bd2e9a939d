// The credits authority: one Durable Object per account (docs/decisions/001, 009). Every change
// runs synchronously inside one SQLite transaction, so concurrent calls are serialized and the
// invariant `balance = granted + adjusted − spent ≥ 0` holds at every commit. This class is the
// RPC surface and the alarm; the rules are in book.ts, reads in ledger-queries.ts, keys in
// key-store.ts, the schema in schema.ts.
import { DurableObject } from "cloudflare:workers";
import { hashKey, mintKey } from "../auth/api-key";
import { loadConfig } from "../config";
import { migrate } from "../storage/migrate";
import { writeAccountIndex } from "./accounts";
import { Book } from "./book";
import { applyAllowance, applyTopUp } from "./grants";
import { holdRow, nextExpiry, pruneResolvedHolds, RESOLVED_HOLD_TTL_MS } from "./holds";
import { insertKey, keyRow, listKeys, revokeKey, viewOfKey } from "./key-store";
import { authenticate } from "./ledger-auth";
import { accountRow, dailyTotals, ledgerAudit, unopenedView, usagePage, viewOf } from "./ledger-queries";
import { pruneUsageRecords } from "./ledger-records";
import { forgetOperationsBefore, OPERATION_TTL_MS } from "./operations";
import { deliverDue, nextDelivery } from "./outbox";
import { LEDGER_MIGRATIONS } from "./schema";
import type {
  AccountRef,
  AdjustInput,
  AllowanceInput,
  AllowanceResult,
  Authenticated,
  BalanceView,
  Caller,
  Denied,
  KeyView,
  NewKeyOptions,
  ProgressReport,
  PruneResult,
  ReserveInput,
  SettleInput,
  TopUpInput,
  TopUpResult,
  UsageQuery,
} from "./types";

/** The account index in KV is refreshed at most this often per account (each refresh is a KV write). */
const INDEX_DELAY_MS = 5_000;

export class CreditLedger extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly book: Book;
  /** The alarm as last set (null: none), so a later time never replaces an earlier one. */
  private alarmAt: number | null = null;
  private indexPending = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(ctx.storage, LEDGER_MIGRATIONS);
    this.book = new Book(this.sql, {
      openingGrant: (kind) => (kind === "guest" ? this.config.guestMicro : this.config.newAccountMicro),
      holdTtlMs: () => this.config.llm.deadlineMs + this.config.llm.holdGraceMs,
      lowBalance: () => ({
        thresholdMicro: this.config.lowBalance.thresholdMicro,
        url: this.config.lowBalance.webhookUrl,
      }),
    });
    // Start-up: holds that fell due while the object was away are resolved before anything else,
    // and an alarm is set for those still open — a crash leaves nothing held for good.
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
      if (this.transact((now) => this.book.expireDue(now)) > 0) this.scheduleIndex();
      const next = this.book.soonestExpiry;
      if (next !== null) this.scheduleAlarm(next);
    });
  }

  private get config() {
    return loadConfig(this.env);
  }

  private transact<T>(work: (now: number) => T): T {
    const now = Date.now();
    const result = this.ctx.storage.transactionSync(() => work(now));
    // A low-balance alert was queued: the alarm delivers it, after this call has answered.
    if (this.book.queued) {
      this.book.queued = false;
      this.scheduleAlarm(Date.now());
    }
    return result;
  }

  // ---- reads ---------------------------------------------------------------------------

  balance(ref: AccountRef): BalanceView {
    // An account nobody has used yet: show the opening grant it would receive.
    if (!accountRow(this.sql)) return unopenedView(ref, this.opening(ref));
    this.expireIfDue();
    return viewOf(accountRow(this.sql) as NonNullable<ReturnType<typeof accountRow>>);
  }

  /** The caller's balance, after checking who it is (one round trip for keys and sessions). */
  read(
    who: Caller | AccountRef,
    settles?: SettleInput[],
  ): { status: "ok"; view: BalanceView; keyId: string | null } | Denied {
    this.carry(settles);
    const auth = this.authenticate(who);
    if (auth.status === "denied") return auth;
    return { status: "ok", view: this.balance(auth.ref), keyId: auth.keyId };
  }

  usage(query: UsageQuery) {
    return usagePage(this.sql, query);
  }

  usageFor(who: Caller | AccountRef, query: UsageQuery, settles?: SettleInput[]) {
    this.carry(settles);
    const auth = this.authenticate(who);
    if (auth.status === "denied") return auth;
    return { status: "ok" as const, ref: auth.ref, page: usagePage(this.sql, query) };
  }

  dailyTotals(days: number, now = Date.now()) {
    return dailyTotals(this.sql, days, now);
  }

  audit() {
    return ledgerAudit(this.sql);
  }

  authenticate(who: Caller | AccountRef): Authenticated | Denied {
    // An account caller without a key has nothing to check (and nothing to write).
    if (!("via" in who) || (who.via === "account" && !who.tokenKeyId)) return authenticate(this.sql, who, Date.now());
    return this.transact((now) => authenticate(this.sql, who, now));
  }

  // ---- the hold → settle | release | expiry cycle (docs/decisions/004, 009) -----------------

  reserve(who: Caller | AccountRef, input: ReserveInput) {
    const result = this.transact((now) => this.book.reserve(who, input, now));
    if (input.settles?.length) this.scheduleIndex();
    if (result.status === "held") {
      this.scheduleIndex();
      this.scheduleAlarm(input.expiresAt ?? Date.now() + this.config.llm.deadlineMs + this.config.llm.holdGraceMs);
    }
    return result;
  }

  /** A stream's delivered amount so far (cheap; a hold that is no longer open ignores it). */
  progress(holdId: string, report: ProgressReport): void {
    this.transact((now) => this.book.progress(holdId, report, now));
  }

  settle(ref: AccountRef, input: SettleInput) {
    const result = this.transact((now) => this.book.settle(ref, input, now));
    this.scheduleIndex();
    return result;
  }

  /** Several settles in one transaction (those that found no call to ride on). */
  settleMany(ref: AccountRef, inputs: SettleInput[]) {
    const results = this.transact((now) => inputs.map((input) => this.book.settle(ref, input, now)));
    this.scheduleIndex();
    return results;
  }

  release(holdId: string): { released: number } {
    return this.transact((now) => this.book.release(holdId, now));
  }

  /** What became of a hold (a job's lease asks), resolving it first if its time is up. */
  holdState(holdId: string): { state: string; charged: number } | null {
    this.expireIfDue();
    const hold = holdRow(this.sql, holdId);
    return hold ? { state: hold.state, charged: hold.charged } : null;
  }

  // ---- admin adjustments ----------------------------------------------------------------

  adjust(ref: AccountRef, input: AdjustInput) {
    const result = this.transact((now) => this.book.adjust(ref, input, now));
    if (result.status === "applied") this.scheduleIndex();
    return result;
  }

  // ---- money from outside: Stripe top-ups, allowances (issue 16) ---------------------------

  /**
   * Credits a payment once per event id. `ref` names the account when the ledger may not have
   * one yet (a payment from a new email opens it); without it, only an existing account is credited.
   */
  topUp(ref: AccountRef | null, input: TopUpInput): TopUpResult {
    const result = this.transact((now) => {
      const existing = accountRow(this.sql);
      if (!existing && !ref) return { status: "no_account" as const };
      const account = existing ?? this.book.ensureAccount(ref as AccountRef, now);
      const applied = applyTopUp(this.sql, account, input, now);
      this.book.watch(now);
      return applied;
    });
    if (result.status === "applied") this.scheduleIndex();
    return result;
  }

  /** Tops the account up to `levelMicro` once per period. */
  allowance(ref: AccountRef, input: AllowanceInput): AllowanceResult {
    const result = this.transact((now) => {
      const applied = applyAllowance(this.sql, this.book.ensureAccount(ref, now), input, now);
      this.book.watch(now);
      return applied;
    });
    if (result.status === "applied") this.scheduleIndex();
    return result;
  }

  // ---- API keys (docs/decisions/009) ------------------------------------------------------

  /** A new key for this account (an admin names the account; a caller is checked first). */
  async createKey(
    who: Caller | AccountRef,
    options: NewKeyOptions,
  ): Promise<{ status: "ok"; key: KeyView; secret: string; account: string } | Denied | { status: "guest" }> {
    const auth = "via" in who ? this.authenticate(who) : null;
    if (auth?.status === "denied") return auth;
    const ref = auth?.ref ?? (who as AccountRef);
    if (ref.kind !== "email") return { status: "guest" };
    const minted = mintKey(this.ctx.id.toString());
    const hash = await hashKey(minted.key);
    const key = this.transact((now) => {
      this.book.ensureAccount(ref, now);
      insertKey(this.sql, { id: minted.id, hash, prefix: minted.prefix }, options, now);
      return viewOfKey(keyRow(this.sql, minted.id) as NonNullable<ReturnType<typeof keyRow>>);
    });
    return { status: "ok", key, secret: minted.key, account: ref.account };
  }

  listKeys(
    who: Caller | AccountRef,
    settles?: SettleInput[],
  ): { status: "ok"; keys: KeyView[]; account: string } | Denied {
    this.carry(settles);
    const auth = this.authenticate(who);
    if (auth.status === "denied") return auth;
    return { status: "ok", keys: listKeys(this.sql), account: auth.ref.account };
  }

  /** Revokes one of this account's keys; `who` (absent for the admin) must be this account. */
  revokeKey(who: Caller | AccountRef | null, id: string) {
    const auth = who ? this.authenticate(who) : null;
    if (auth?.status === "denied") return auth;
    const account = accountRow(this.sql);
    if (!account || (auth && auth.ref.account !== account.account)) return { status: "not_found" as const };
    const key = this.transact((now) => revokeKey(this.sql, id, now));
    return key ? { status: "ok" as const, key, account: account.account } : { status: "not_found" as const };
  }

  // ---- retention and the alarm ------------------------------------------------------------

  /** Deletes usage records older than `before`; balances and counters are never touched. */
  pruneUsage(before: number, limit: number, dryRun: boolean): PruneResult {
    const result = pruneUsageRecords(this.sql, before, limit, dryRun);
    if (result.deleted > 0) forgetOperationsBefore(this.sql, Date.now() - OPERATION_TTL_MS);
    return result;
  }

  /**
   * Expires holds whose time is up (charging what they delivered), forgets resolved holds and
   * idempotency keys after a day, refreshes the account index, delivers queued webhooks (and
   * retries failed ones), and sets the next alarm.
   */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const pruneAt = this.transact((now) => {
      if (this.book.expireDue(now) > 0) this.indexPending = true;
      forgetOperationsBefore(this.sql, now - OPERATION_TTL_MS);
      return pruneResolvedHolds(this.sql, now - RESOLVED_HOLD_TTL_MS);
    });
    if (this.indexPending) {
      this.indexPending = false;
      const row = accountRow(this.sql);
      if (row) await writeAccountIndex(this.env.KV_BILLING, viewOf(row));
    }
    await deliverDue(this.sql, this.config.lowBalance.webhookSecret, Date.now());
    const next = [this.book.soonestExpiry, pruneAt, nextDelivery(this.sql)].filter((at): at is number => at !== null);
    if (next.length) this.scheduleAlarm(Math.min(...next));
  }

  // ---- internals ------------------------------------------------------------------------

  /** Expires due holds — a read only writes when one is due (the alarm normally has done it). */
  private expireIfDue(): void {
    const next = nextExpiry(this.sql);
    if (next !== null && next <= Date.now() && this.transact((now) => this.book.expireDue(now)) > 0) {
      this.scheduleIndex();
    }
  }

  /** Applies settles that rode on a read. */
  private carry(settles: SettleInput[] | undefined): void {
    if (!settles?.length) return;
    this.transact((now) => this.book.settleCarried(settles, now));
    this.scheduleIndex();
  }

  private opening(ref: AccountRef): number {
    return ref.kind === "guest" ? this.config.guestMicro : this.config.newAccountMicro;
  }

  private scheduleAlarm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }

  private scheduleIndex(): void {
    this.indexPending = true;
    this.scheduleAlarm(Date.now() + INDEX_DELAY_MS);
  }
}
