// The */5 cron: run a bounded batch of queued jobs, fail runs that never reported back, top
// accounts up to their ALLOWANCE, and apply the retention settings. It never throws out of the
// handler; each step logs its own failure in the same JSON shape as request logs.
import { cleanup } from "./admin/cleanup";
import { grantAllowances } from "./billing/allowance";
import { loadConfig } from "./config";
import type { RequestScope } from "./context";
import { queuedJobIds, runningJobIds } from "./jobs/mirror";
import { claimJob, executeJob, recordOf } from "./jobs/service";
import { errorDetail, log } from "./log";

const RETENTION_BATCH = 500;

async function step(scope: RequestScope, name: string, work: () => Promise<Record<string, unknown>>) {
  try {
    log("info", scope.requestId, `cron ${name}`, await work());
  } catch (error) {
    log("error", scope.requestId, `cron ${name} failed`, { error: errorDetail(error) });
  }
}

export async function runQueuedJobs(scope: RequestScope, runner: string) {
  const perTick = scope.config.retention.jobsPerTick;
  const claimed = [];
  for (const id of await queuedJobIds(scope.env.KV_BILLING, perTick * 4)) {
    if (claimed.length >= perTick) break;
    const job = await claimJob(scope, id, runner);
    if (job) claimed.push(job);
  }
  const never = new AbortController().signal;
  const finished = await Promise.all(claimed.map((job) => executeJob(scope, job, runner, never)));
  return { ran: finished.length, succeeded: finished.filter((job) => job.status === "succeeded").length };
}

/** A backstop for the jobs' own alarms: running jobs whose lease ran out recover (record.ts). */
export async function reapStaleJobs(scope: RequestScope) {
  let recovered = 0;
  for (const id of await runningJobIds(scope.env.KV_BILLING, 100)) {
    if ((await recordOf(scope.env.JOBS, id).recover()).ok) recovered += 1;
  }
  return { recovered };
}

export async function runScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const started = new Date(controller.scheduledTime || Date.now()).toISOString();
  const scope: RequestScope = { env, ctx, config: loadConfig(env), requestId: `cron-${started}` };
  const { retention } = scope.config;
  await step(scope, "jobs", () => runQueuedJobs(scope, `cron:${started}`));
  await step(scope, "reap", () => reapStaleJobs(scope));
  await step(scope, "allowances", () => grantAllowances(scope.config, env));
  await step(scope, "usage retention", () =>
    cleanup(env, { kind: "usage", older_than_days: retention.usageDays, limit: RETENTION_BATCH, dry_run: false }),
  );
  await step(scope, "job retention", () =>
    cleanup(env, { kind: "jobs", older_than_days: retention.jobDays, limit: RETENTION_BATCH, dry_run: false }),
  );
}
