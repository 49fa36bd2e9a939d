// The */5 cron: run a bounded batch of queued jobs, fail runs that never reported back, and
// apply the retention settings. It never throws out of the handler; each step logs its own
// failure in the same JSON shape as request logs.
import { cleanup } from "./admin/cleanup";
import { loadConfig } from "./config";
import type { RequestScope } from "./context";
import { fairOrder } from "./jobs/fairness";
import { queuedJobs, runningJobIds } from "./jobs/mirror";
import { claimJob, executeJob, recordOf } from "./jobs/service";
import { errorDetail, log } from "./log";

/** A run may take the whole LLM deadline; past this margin it is presumed dead. */
const RUN_LEASE_MARGIN_MS = 10 * 60_000;
const RETENTION_BATCH = 500;
/** Queued jobs looked at per tick: one KV listing, enough to see many accounts' queues. */
const QUEUE_SCAN = 1000;

async function step(scope: RequestScope, name: string, work: () => Promise<Record<string, unknown>>) {
  try {
    log("info", scope.requestId, `cron ${name}`, await work());
  } catch (error) {
    log("error", scope.requestId, `cron ${name} failed`, { error: errorDetail(error) });
  }
}

/** Claims up to JOBS_PER_TICK queued jobs, round-robin by account, and runs them. */
export async function runQueuedJobs(scope: RequestScope, runner: string) {
  const perTick = scope.config.retention.jobsPerTick;
  const claimed = [];
  // The KV queue may lag: a job another runner took is skipped (its claim fails), bounded.
  let attempts = 0;
  for (const { id } of fairOrder(await queuedJobs(scope.env.KV_BILLING, QUEUE_SCAN))) {
    if (claimed.length >= perTick || attempts >= perTick * 4) break;
    attempts += 1;
    const job = await claimJob(scope, id, runner);
    if (job) claimed.push(job);
  }
  const never = new AbortController().signal;
  const finished = await Promise.all(claimed.map((job) => executeJob(scope, job, runner, never)));
  return { ran: finished.length, succeeded: finished.filter((job) => job.status === "succeeded").length };
}

export async function reapStaleJobs(scope: RequestScope) {
  const lease = scope.config.llm.deadlineMs + RUN_LEASE_MARGIN_MS;
  let reaped = 0;
  for (const id of await runningJobIds(scope.env.KV_BILLING, 100)) {
    if ((await recordOf(scope.env.JOBS, id).reap(lease)).ok) reaped += 1;
  }
  return { reaped };
}

export async function runScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const started = new Date(controller.scheduledTime || Date.now()).toISOString();
  const scope: RequestScope = { env, ctx, config: loadConfig(env), requestId: `cron-${started}` };
  const { retention } = scope.config;
  await step(scope, "jobs", () => runQueuedJobs(scope, `cron:${started}`));
  await step(scope, "reap", () => reapStaleJobs(scope));
  await step(scope, "usage retention", () =>
    cleanup(env, { kind: "usage", older_than_days: retention.usageDays, limit: RETENTION_BATCH, dry_run: false }),
  );
  await step(scope, "job retention", () =>
    cleanup(env, { kind: "jobs", older_than_days: retention.jobDays, limit: RETENTION_BATCH, dry_run: false }),
  );
}
