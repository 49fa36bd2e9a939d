// The */5 cron: run a bounded batch of queued jobs, fail runs that never reported back, top
// accounts up to their ALLOWANCE, and apply the retention settings a bounded slice at a time
// (resuming where the last tick stopped). It never throws out of the handler; each step logs its
// own failure in the same JSON shape as request logs.
import { pruneJobs, pruneUsage } from "./admin/cleanup";
import { grantAllowances } from "./billing/allowance";
import { loadConfig } from "./config";
import type { RequestScope } from "./context";
import { fairOrder } from "./jobs/fairness";
import { queuedJobs, runningJobIds } from "./jobs/mirror";
import { claimJob, executeJob, recordOf } from "./jobs/service";
import { errorDetail, log } from "./log";

const RETENTION_BATCH = 500;
const DAY_MS = 86_400_000;
/** Job copies one tick's retention looks at. */
const JOBS_SCANNED_PER_TICK = 1000;
/** Where retention stopped last tick (KV list cursors of the account index and the job copies). */
export const RETENTION_STATE_KEY = "cron:retention";
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

/** A backstop for the jobs' own alarms: running jobs whose lease ran out recover (record.ts). */
export async function reapStaleJobs(scope: RequestScope) {
  let recovered = 0;
  for (const id of await runningJobIds(scope.env.KV_BILLING, 100)) {
    if ((await recordOf(scope.env.JOBS, id).recover()).ok) recovered += 1;
  }
  return { recovered };
}

interface RetentionState {
  usage?: string;
  jobs?: string;
}

/** A cursor KV no longer accepts starts that walk over from the beginning. */
async function fromCursor<T>(cursor: string | undefined, walk: (cursor?: string) => Promise<T>): Promise<T> {
  if (!cursor) return walk();
  try {
    return await walk(cursor);
  } catch {
    return walk();
  }
}

/**
 * One tick of retention: RETENTION_ACCOUNTS_PER_TICK ledgers (pruning usage, retiring dormant
 * guests from the index) and JOBS_SCANNED_PER_TICK job copies, each from where the last tick
 * stopped; a walk that reaches the end starts over next tick.
 */
export async function retentionTick(scope: RequestScope, now = Date.now()) {
  const { env, config } = scope;
  const { retention } = config;
  const state = (await env.KV_BILLING.get<RetentionState>(RETENTION_STATE_KEY, "json")) ?? {};
  const usage = await fromCursor(state.usage, (cursor) =>
    pruneUsage(env, {
      before: now - retention.usageDays * DAY_MS,
      limit: RETENTION_BATCH,
      dryRun: false,
      cursor,
      accounts: retention.accountsPerTick,
      dormantBefore: now - retention.guestDays * DAY_MS,
    }),
  );
  const jobs = await fromCursor(state.jobs, (cursor) =>
    pruneJobs(env, {
      before: now - retention.jobDays * DAY_MS,
      limit: RETENTION_BATCH,
      dryRun: false,
      cursor,
      scan: JOBS_SCANNED_PER_TICK,
    }),
  );
  const next: RetentionState = { usage: usage.cursor ?? undefined, jobs: jobs.cursor ?? undefined };
  await env.KV_BILLING.put(RETENTION_STATE_KEY, JSON.stringify(next));
  const { sample: _sample, ...jobTally } = jobs;
  return { usage: { ...usage, cursor: Boolean(usage.cursor) }, jobs: { ...jobTally, cursor: Boolean(jobs.cursor) } };
}

export async function runScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const started = new Date(controller.scheduledTime || Date.now()).toISOString();
  const scope: RequestScope = { env, ctx, config: loadConfig(env), requestId: `cron-${started}` };
  await step(scope, "jobs", () => runQueuedJobs(scope, `cron:${started}`));
  await step(scope, "reap", () => reapStaleJobs(scope));
  await step(scope, "allowances", () => grantAllowances(scope.config, env));
  await step(scope, "retention", () => retentionTick(scope));
}
