// The strongly consistent half of a job: one Durable Object per job id holds its status, so a
// job is claimed (queued → running) exactly once however many runners race for it.
import { DurableObject } from "cloudflare:workers";

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export type ClaimState = {
  status: JobStatus;
  updated_at: number;
  runner: string | null;
};

export type TransitionResult = { ok: true; state: ClaimState } | { ok: false; state: ClaimState | null };

export class JobClaim extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS claim (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      status TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      runner TEXT
    )`);
  }

  state(): ClaimState | null {
    return this.sql.exec<ClaimState & { singleton: number }>("SELECT * FROM claim").toArray()[0] ?? null;
  }

  /** Records a new job as queued; repeating it changes nothing. */
  open(now = Date.now()): ClaimState {
    this.sql.exec("INSERT OR IGNORE INTO claim (singleton, status, updated_at) VALUES (1, 'queued', ?)", now);
    return this.state() as ClaimState;
  }

  /** Moves to `to` only from one of `from`; the answer says whether this caller won. */
  transition(from: JobStatus[], to: JobStatus, runner: string | null, now = Date.now()): TransitionResult {
    const current = this.state();
    if (!current || !from.includes(current.status)) return { ok: false, state: current };
    this.sql.exec("UPDATE claim SET status = ?, updated_at = ?, runner = ? WHERE singleton = 1", to, now, runner);
    return { ok: true, state: this.state() as ClaimState };
  }
}
