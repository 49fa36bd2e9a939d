// One UTC day of the gateway's activity, for the operator overview (issue 16): per account the
// asks, credits and tokens; per provider and hour the answers, failures, last error and a latency
// histogram; the day's latest errors with their request ids. Written after responses (events.ts),
// read by the overview a day at a time — the dashboard never scans ledgers' raw records.
import { DurableObject } from "cloudflare:workers";
import { migrate } from "../storage/migrate";
import type { AskNote } from "./events";
import { latencyBucket } from "./latency";

const HOUR_MS = 3_600_000;
const KEEP_ERRORS = 100;
export const TOP_ACCOUNTS = 50;

const MIGRATIONS = [
  `
CREATE TABLE accounts (account TEXT PRIMARY KEY, asks INTEGER NOT NULL, failed INTEGER NOT NULL,
  micro INTEGER NOT NULL, tokens INTEGER NOT NULL);
CREATE TABLE providers (provider TEXT NOT NULL, hour INTEGER NOT NULL, answers INTEGER NOT NULL,
  failures INTEGER NOT NULL, last_error TEXT, last_error_at INTEGER, PRIMARY KEY (provider, hour));
CREATE TABLE latency (provider TEXT NOT NULL, hour INTEGER NOT NULL, bucket INTEGER NOT NULL,
  n INTEGER NOT NULL, PRIMARY KEY (provider, hour, bucket));
CREATE TABLE errors (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, request_id TEXT,
  account TEXT, provider TEXT, message TEXT);
`,
];

export type ProviderHours = {
  provider: string;
  answers: number;
  failures: number;
  last_error: string | null;
  last_error_at: number | null;
};

export interface DaySummary {
  totals: { asks: number; failed: number; micro: number; tokens: number };
  accounts: Array<{ account: string; asks: number; micro: number; tokens: number }>;
  providers: ProviderHours[];
  latency: Array<{ provider: string; bucket: number; n: number }>;
  errors: Array<{
    at: number;
    request_id: string | null;
    account: string | null;
    provider: string | null;
    message: string | null;
  }>;
}

const EMPTY: DaySummary = {
  totals: { asks: 0, failed: 0, micro: 0, tokens: 0 },
  accounts: [],
  providers: [],
  latency: [],
  errors: [],
};

export class DayStats extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  private migrated = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
  }

  record(notes: AskNote[]): void {
    // The schema is made by the first write: the overview reads 30 days, most of which may never
    // have been written, and a read of such a day should leave no storage behind.
    if (!this.migrated) migrate(this.ctx.storage, MIGRATIONS);
    this.migrated = true;
    this.ctx.storage.transactionSync(() => {
      for (const note of notes) this.recordOne(note);
      this.sql.exec("DELETE FROM errors WHERE seq <= (SELECT MAX(seq) FROM errors) - ?", KEEP_ERRORS);
    });
  }

  /** The day's totals, top accounts, and provider figures for hours starting at or after `since`. */
  summary(since = 0): DaySummary {
    const written = this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accounts'").toArray();
    if (written.length === 0) return EMPTY;
    const fromHour = Math.floor(since / HOUR_MS) * HOUR_MS;
    return {
      totals: this.sql
        .exec<DaySummary["totals"]>(
          `SELECT COALESCE(SUM(asks), 0) AS asks, COALESCE(SUM(failed), 0) AS failed,
                  COALESCE(SUM(micro), 0) AS micro, COALESCE(SUM(tokens), 0) AS tokens FROM accounts`,
        )
        .one(),
      accounts: this.sql
        .exec<DaySummary["accounts"][number]>(
          "SELECT account, asks, micro, tokens FROM accounts ORDER BY micro DESC, asks DESC LIMIT ?",
          TOP_ACCOUNTS,
        )
        .toArray(),
      providers: this.sql
        .exec<ProviderHours>(
          `SELECT provider, SUM(answers) AS answers, SUM(failures) AS failures,
                  (SELECT last_error FROM providers p2 WHERE p2.provider = p.provider AND p2.hour >= ?
                     AND p2.last_error_at IS NOT NULL ORDER BY p2.last_error_at DESC LIMIT 1) AS last_error,
                  MAX(last_error_at) AS last_error_at
           FROM providers p WHERE hour >= ? GROUP BY provider`,
          fromHour,
          fromHour,
        )
        .toArray(),
      latency: this.sql
        .exec<DaySummary["latency"][number]>(
          "SELECT provider, bucket, SUM(n) AS n FROM latency WHERE hour >= ? GROUP BY provider, bucket",
          fromHour,
        )
        .toArray(),
      errors: this.sql
        .exec<DaySummary["errors"][number]>(
          "SELECT at, request_id, account, provider, message FROM errors ORDER BY seq DESC LIMIT 20",
        )
        .toArray(),
    };
  }

  private recordOne(note: AskNote): void {
    this.sql.exec(
      `INSERT INTO accounts (account, asks, failed, micro, tokens) VALUES (?, 1, ?, ?, ?)
       ON CONFLICT (account) DO UPDATE SET asks = asks + 1, failed = failed + excluded.failed,
         micro = micro + excluded.micro, tokens = tokens + excluded.tokens`,
      note.account,
      note.answered ? 0 : 1,
      note.micro,
      note.tokens,
    );
    const hour = Math.floor(note.at / HOUR_MS) * HOUR_MS;
    for (const attempt of note.attempts) {
      if (attempt.outcome === "skipped") continue;
      const ok = attempt.outcome === "ok";
      this.sql.exec(
        `INSERT INTO providers (provider, hour, answers, failures, last_error, last_error_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (provider, hour) DO UPDATE SET answers = answers + excluded.answers,
           failures = failures + excluded.failures,
           last_error = COALESCE(excluded.last_error, last_error),
           last_error_at = COALESCE(excluded.last_error_at, last_error_at)`,
        attempt.provider,
        hour,
        ok ? 1 : 0,
        ok ? 0 : 1,
        ok ? null : (attempt.reason ?? "failed"),
        ok ? null : note.at,
      );
      if (ok && attempt.ms !== undefined) {
        this.sql.exec(
          `INSERT INTO latency (provider, hour, bucket, n) VALUES (?, ?, ?, 1)
           ON CONFLICT (provider, hour, bucket) DO UPDATE SET n = n + 1`,
          attempt.provider,
          hour,
          latencyBucket(attempt.ms),
        );
      }
      if (!ok) this.error(note, attempt.provider, attempt.reason ?? "failed");
    }
    if (!note.answered && note.error) this.error(note, null, note.error);
  }

  private error(note: AskNote, provider: string | null, message: string): void {
    this.sql.exec(
      "INSERT INTO errors (at, request_id, account, provider, message) VALUES (?, ?, ?, ?, ?)",
      note.at,
      note.requestId,
      note.account,
      provider,
      message.slice(0, 300),
    );
  }
}
