// One Durable Object per job: the authority for its document. Every change is a synchronous
// compare-and-set here, so a job is claimed (queued → running) exactly once however many runners
// race for it. A claim is a lease (LLM_DEADLINE_MS + HOLD_GRACE_MS): when it runs out with the job
// still running, the run is presumed dead and the job recovers — failed `interrupted` if its hold
// was charged, queued again if nothing was. The alarm does that, and mirrors the state to KV.
import { DurableObject } from "cloudflare:workers";
import { ledgerOf } from "../billing/ledger-client";
import { loadConfig } from "../config";
import { type Migration, migrate } from "../storage/migrate";
import { mirrorJob, unmirrorJob } from "./mirror";
import { FINISHED, type Job, type JobResult, type JobStatus, jobHoldId, summaryOf } from "./model";

export type Change = { ok: true; job: Job } | { ok: false; job: Job | null };

const MIRROR_DELAY_MS = 10;
/** When a dead run's hold is still open, look again this much later. */
const RECHECK_MS = 5_000;

/** The job's SQLite schema, as migrations (app/server/storage/migrate.ts): append to change it. */
const JOB_MIGRATIONS: readonly Migration[] = [
  // 1: the job document and the status last copied to KV.
  `CREATE TABLE IF NOT EXISTS job (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    doc TEXT NOT NULL,
    mirrored_status TEXT
  )`,
];

const leaseOver = (job: Job, now: number) => job.status === "running" && (job.lease_until ?? Infinity) <= now;

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
    await this.alarmBy(Date.now() + MIRROR_DELAY_MS);
    return job;
  }

  /** Title and metadata changes, and cancelling a queued job (or a running one whose lease ran out). */
  async edit(
    account: string,
    patch: { title?: string | null; metadata?: Job["metadata"]; cancel?: boolean },
    now = Date.now(),
  ): Promise<Change> {
    const job = this.get();
    if (!job || job.account !== account) return { ok: false, job: null };
    if (patch.cancel && job.status !== "queued" && !leaseOver(job, now)) return { ok: false, job };
    const next: Job = {
      ...job,
      ...(patch.title === undefined ? {} : { title: patch.title }),
      ...(patch.metadata === undefined ? {} : { metadata: patch.metadata }),
      ...(patch.cancel ? { status: "canceled" as const, finished_at: now, lease_until: null } : {}),
      updated_at: now,
    };
    return this.save(next);
  }

  /** queued → running for exactly one caller, with a lease of `leaseMs`. */
  async claim(runner: string, now = Date.now(), leaseMs = this.leaseMs()): Promise<Change> {
    const job = this.get();
    if (job?.status !== "queued") return { ok: false, job };
    const lease_until = now + leaseMs;
    const attempt = (job.attempt ?? 0) + 1;
    const change = await this.save({
      ...job,
      status: "running",
      runner,
      attempt,
      lease_until,
      started_at: now,
      updated_at: now,
    });
    await this.alarmBy(lease_until);
    return change;
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
      lease_until: null,
    });
  }

  /**
   * A run whose lease ran out: failed `interrupted` when its hold was charged (it may have been
   * answered; it is never billed twice), queued again when it never held or was released.
   */
  async recover(now = Date.now()): Promise<Change> {
    const job = this.get();
    if (!job || !leaseOver(job, now)) return { ok: false, job };
    const hold = await ledgerOf(this.env.LEDGER, job.account).holdState(jobHoldId(job));
    if (hold?.state === "open") {
      await this.alarmBy(now + RECHECK_MS);
      return { ok: false, job };
    }
    const charged = hold !== null && hold.state !== "released";
    if (!charged) return this.save({ ...job, status: "queued", runner: null, lease_until: null, updated_at: now });
    return this.save({
      ...job,
      status: "failed",
      error: {
        code: "interrupted",
        message: "The run stopped without reporting back after it was billed; it was not retried.",
      },
      finished_at: now,
      updated_at: now,
      lease_until: null,
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
    let job = this.get();
    if (!job) return;
    if (leaseOver(job, Date.now())) job = (await this.recover()).job ?? job;
    const row = this.sql.exec<{ mirrored_status: JobStatus | null }>("SELECT mirrored_status FROM job").one();
    await mirrorJob(this.env.KV_BILLING, job, summaryOf(job), row.mirrored_status);
    // A change made while this alarm was writing schedules another alarm, which will catch up.
    this.sql.exec("UPDATE job SET mirrored_status = ?", job.status);
    if (job.status === "running" && job.lease_until) await this.alarmBy(job.lease_until);
  }

  private leaseMs(): number {
    const { llm } = loadConfig(this.env);
    return llm.deadlineMs + llm.holdGraceMs;
  }

  private async save(job: Job): Promise<Change> {
    this.sql.exec("UPDATE job SET doc = ?", JSON.stringify(job));
    await this.alarmBy(Date.now() + MIRROR_DELAY_MS);
    return { ok: true, job };
  }

  /** Makes sure an alarm fires by `at` (an earlier one stays). */
  private async alarmBy(at: number): Promise<void> {
    const scheduled = await this.ctx.storage.getAlarm();
    if (scheduled === null || scheduled > at) await this.ctx.storage.setAlarm(at);
  }
}
