// One Durable Object per job: the authority for its document. Every change is a synchronous
// compare-and-set here, so a job is claimed (queued → running) exactly once however many
// runners race for it; the alarm then mirrors the latest state to KV.
import { DurableObject } from "cloudflare:workers";
import { type Migration, migrate } from "../storage/migrate";
import { mirrorJob, unmirrorJob } from "./mirror";
import { FINISHED, type Job, type JobResult, type JobStatus, summaryOf } from "./model";

export type Change = { ok: true; job: Job } | { ok: false; job: Job | null };

const MIRROR_DELAY_MS = 10;

/** The job's SQLite schema, as migrations (app/server/storage/migrate.ts): append to change it. */
const JOB_MIGRATIONS: readonly Migration[] = [
  // 1: the job document and the status last copied to KV.
  `CREATE TABLE IF NOT EXISTS job (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    doc TEXT NOT NULL,
    mirrored_status TEXT
  )`,
];

export class JobRecord extends DurableObject<Env> {
  private migrated = false;

  /** The storage, migrated on first use — also after an erase, which deletes everything. */
  private get sql(): SqlStorage {
    if (!this.migrated) {
      migrate(this.ctx.storage, JOB_MIGRATIONS);
      this.migrated = true;
    }
    return this.ctx.storage.sql;
  }

  get(): Job | null {
    const row = this.sql.exec<{ doc: string }>("SELECT doc FROM job").toArray()[0];
    return row ? (JSON.parse(row.doc) as Job) : null;
  }

  /** Stores a new job; creating the same job again returns the stored one. */
  async create(job: Job): Promise<Job> {
    const existing = this.get();
    if (existing) return existing;
    this.sql.exec("INSERT INTO job (singleton, doc) VALUES (1, ?)", JSON.stringify(job));
    await this.mirrorSoon();
    return job;
  }

  /** Title and metadata changes, and cancelling a queued job. */
  async edit(
    account: string,
    patch: { title?: string | null; metadata?: Job["metadata"]; cancel?: boolean },
    now = Date.now(),
  ): Promise<Change> {
    const job = this.get();
    if (!job || job.account !== account) return { ok: false, job: null };
    if (patch.cancel && job.status !== "queued") return { ok: false, job };
    const next: Job = {
      ...job,
      ...(patch.title === undefined ? {} : { title: patch.title }),
      ...(patch.metadata === undefined ? {} : { metadata: patch.metadata }),
      ...(patch.cancel ? { status: "canceled" as const, finished_at: now } : {}),
      updated_at: now,
    };
    return this.save(next);
  }

  /** queued → running, for exactly one caller. */
  async claim(runner: string, now = Date.now()): Promise<Change> {
    const job = this.get();
    if (job?.status !== "queued") return { ok: false, job };
    return this.save({ ...job, status: "running", runner, started_at: now, updated_at: now });
  }

  /** running → succeeded | failed, only for the runner that claimed it. */
  async finish(
    runner: string,
    outcome: { result: JobResult } | { error: { code: string; message: string } },
    now = Date.now(),
  ): Promise<Change> {
    const job = this.get();
    if (job?.status !== "running" || job.runner !== runner) return { ok: false, job };
    const status: JobStatus = "result" in outcome ? "succeeded" : "failed";
    return this.save({
      ...job,
      status,
      result: "result" in outcome ? outcome.result : null,
      error: "error" in outcome ? outcome.error : null,
      finished_at: now,
      updated_at: now,
    });
  }

  /** A run that never reported back (its isolate died) is failed, not run again. */
  async reap(olderThanMs: number, now = Date.now()): Promise<Change> {
    const job = this.get();
    if (job?.status !== "running" || (job.started_at ?? now) > now - olderThanMs) return { ok: false, job };
    return this.save({
      ...job,
      status: "failed",
      error: { code: "interrupted", message: "The run stopped without reporting back; it was not retried." },
      finished_at: now,
      updated_at: now,
    });
  }

  /** Deletes a finished job and its KV copies (retention). */
  async erase(): Promise<boolean> {
    const job = this.get();
    if (!job || !FINISHED.includes(job.status)) return false;
    await unmirrorJob(this.env.KV_BILLING, job);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.migrated = false;
    return true;
  }

  override async alarm(): Promise<void> {
    const job = this.get();
    if (!job) return;
    const row = this.sql.exec<{ mirrored_status: JobStatus | null }>("SELECT mirrored_status FROM job").one();
    await mirrorJob(this.env.KV_BILLING, job, summaryOf(job), row.mirrored_status);
    // A change made while this alarm was writing schedules another alarm, which will catch up.
    this.sql.exec("UPDATE job SET mirrored_status = ?", job.status);
  }

  private async save(job: Job): Promise<Change> {
    this.sql.exec("UPDATE job SET doc = ?", JSON.stringify(job));
    await this.mirrorSoon();
    return { ok: true, job };
  }

  private async mirrorSoon(): Promise<void> {
    const scheduled = await this.ctx.storage.getAlarm();
    if (scheduled === null) await this.ctx.storage.setAlarm(Date.now() + MIRROR_DELAY_MS);
  }
}
