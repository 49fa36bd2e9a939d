// One Durable Object per account counting what the account may only have so much of: stored
// uploads (bytes and files) and queued jobs. Each admission is one synchronous check-and-insert
// here, so concurrent uploads or job creations can never together pass a limit that each
// alone would. KV listings and R2 are too slow to agree for that; they are only read to repair
// (an upload whose outcome was never reported, a job that left the queue).
import { DurableObject } from "cloudflare:workers";
import { type Migration, migrate } from "../storage/migrate";
import { uploadPrefix } from "../uploads/keys";

const MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE IF NOT EXISTS uploads (
     key TEXT PRIMARY KEY,
     size INTEGER NOT NULL CHECK (size >= 0),
     -- 'pending' while the body streams into R2 (counted in full), then 'stored'.
     state TEXT NOT NULL,
     check_at INTEGER
   );
   CREATE TABLE IF NOT EXISTS queued_jobs (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
   CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`,
];

/** A pending upload not reported by then is looked up in R2 (the Worker may have died). */
export const PENDING_CHECK_MS = 60 * 60_000;
/** A queued job whose record does not exist yet may still be being created. */
const JOB_CREATION_GRACE_MS = 60_000;
/** Uploads made before quotas existed are counted once, up to this many objects. */
const BACKFILL_MAX_OBJECTS = 20_000;

export type UploadUsage = { bytes: number; files: number };

export type UploadAdmission = { ok: true; usage: UploadUsage } | { ok: false; usage: UploadUsage };
export type JobAdmission = { ok: true; queued: number } | { ok: false; queued: number };

export class AccountQuota extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(ctx.storage, MIGRATIONS);
  }

  // ---- uploads ----------------------------------------------------------------------------

  /** What the account's uploads take up (its uploads older than quotas counted the first time). */
  async uploadUsage(account: string): Promise<UploadUsage> {
    await this.backfill(account);
    return this.usage();
  }

  /** Counts an upload of `size` bytes under `key` before its body is read, or refuses it. */
  async admitUpload(
    account: string,
    key: string,
    size: number,
    limits: UploadUsage,
    now = Date.now(),
  ): Promise<UploadAdmission> {
    await this.backfill(account);
    const usage = this.usage();
    if (usage.bytes + size > limits.bytes || usage.files + 1 > limits.files) return { ok: false, usage };
    this.sql.exec(
      "INSERT INTO uploads (key, size, state, check_at) VALUES (?, ?, 'pending', ?)",
      key,
      size,
      now + PENDING_CHECK_MS,
    );
    await this.alarmBy(now + PENDING_CHECK_MS);
    return { ok: true, usage: { bytes: usage.bytes + size, files: usage.files + 1 } };
  }

  private usage(): UploadUsage {
    return this.sql.exec<UploadUsage>("SELECT COALESCE(SUM(size), 0) AS bytes, COUNT(*) AS files FROM uploads").one();
  }

  /** The upload is in R2 with this size. */
  uploadStored(key: string, size: number): void {
    this.sql.exec("UPDATE uploads SET state = 'stored', size = ?, check_at = NULL WHERE key = ?", size, key);
  }

  /** The upload failed, or its object was deleted: its bytes and its file are free again. */
  uploadGone(key: string): void {
    this.sql.exec("DELETE FROM uploads WHERE key = ?", key);
  }

  // ---- queued jobs --------------------------------------------------------------------------

  /** Counts a new queued job, or refuses it when `max` are queued already. */
  async admitJob(id: string, max: number, now = Date.now()): Promise<JobAdmission> {
    let queued = this.queuedJobs();
    if (queued >= max) {
      // Jobs leave the queue in their own records (run, canceled); ask them before refusing.
      await this.ctx.blockConcurrencyWhile(() => this.forgetDequeuedJobs(now));
      queued = this.queuedJobs();
      if (queued >= max) return { ok: false, queued };
    }
    this.sql.exec("INSERT OR IGNORE INTO queued_jobs (id, created_at) VALUES (?, ?)", id, now);
    return { ok: true, queued: queued + 1 };
  }

  private queuedJobs(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM queued_jobs").one().n;
  }

  private async forgetDequeuedJobs(now: number): Promise<void> {
    const rows = this.sql.exec<{ id: string; created_at: number }>("SELECT id, created_at FROM queued_jobs").toArray();
    const jobs = this.env.JOBS;
    const states = await Promise.all(rows.map((row) => jobs.get(jobs.idFromName(row.id)).get()));
    rows.forEach((row, i) => {
      const job = states[i];
      const gone = job ? job.status !== "queued" : row.created_at < now - JOB_CREATION_GRACE_MS;
      if (gone) this.sql.exec("DELETE FROM queued_jobs WHERE id = ?", row.id);
    });
  }

  // ---- repair ---------------------------------------------------------------------------------

  /** Pending uploads nobody reported on: R2 says whether they were stored. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const due = this.sql
      .exec<{ key: string }>("SELECT key FROM uploads WHERE state = 'pending' AND check_at <= ?", now)
      .toArray();
    for (const { key } of due) {
      const object = await this.env.R2_UPLOADS.head(key);
      if (object) this.uploadStored(key, object.size);
      else this.uploadGone(key);
    }
    const next = this.sql.exec<{ at: number | null }>("SELECT MIN(check_at) AS at FROM uploads").one().at;
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  private async alarmBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /**
   * Counts, once, the account's objects already in its folder (uploads older than quotas). The
   * folder of an ordinary email is the one the old, lossy naming gave it too, where another
   * account's files may lie: only objects whose metadata names this account are its own.
   */
  private async backfill(account: string): Promise<void> {
    if (this.fact("backfilled")) return;
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.fact("backfilled")) return;
      let cursor: string | undefined;
      let seen = 0;
      do {
        const page = await this.env.R2_UPLOADS.list({
          prefix: uploadPrefix(account),
          cursor,
          limit: 1000,
          include: ["customMetadata"],
        });
        for (const object of page.objects) {
          if (object.customMetadata?.account !== account) continue;
          this.sql.exec(
            "INSERT OR IGNORE INTO uploads (key, size, state) VALUES (?, ?, 'stored')",
            object.key,
            object.size,
          );
        }
        seen += page.objects.length;
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor && seen < BACKFILL_MAX_OBJECTS);
      this.sql.exec("INSERT OR REPLACE INTO facts (name, value) VALUES ('backfilled', 1)");
    });
  }

  private fact(name: string): number | null {
    return this.sql.exec<{ value: number }>("SELECT value FROM facts WHERE name = ?", name).toArray()[0]?.value ?? null;
  }
}
