// Jobs as the API offers them: create, list, read, edit, and run (synchronously or from the
// cron), through the same orchestrator and billing as /api/si/ask.
import { billOf } from "~/shared/ask-events";
import { denied, type Identity } from "../auth/identity";
import { carrying, ledgerOf } from "../billing/ledger-client";
import { creditsFromMicro } from "../billing/money";
import type { RequestScope } from "../context";
import { ApiError, notFound } from "../http/errors";
import { track } from "../in-flight";
import { askOnce } from "../llm/ask";
import { askInput } from "../llm/request";
import { errorDetail, log } from "../log";
import { quotaOf } from "../quotas/client";
import { listOwnJobs } from "./mirror";
import {
  type CreateJobBody,
  JOB_ID,
  type Job,
  jobHoldId,
  type ListJobsQuery,
  type PatchJobBody,
  publicJob,
  type RunJobTarget,
} from "./model";
import type { JobRecord } from "./record";

type Jobs = DurableObjectNamespace<JobRecord>;

export function recordOf(namespace: Jobs, id: string) {
  return namespace.get(namespace.idFromName(id));
}

/** The caller's job, or 404 (someone else's job is not found, not forbidden). */
export async function ownJob(scope: RequestScope, identity: Identity, id: string): Promise<Job> {
  if (!JOB_ID.test(id)) throw notFound("No such job.");
  const job = await recordOf(scope.env.JOBS, id).get();
  if (!job || job.account !== identity.account) throw notFound("No such job.");
  return job;
}

/**
 * A new job needs credits to run on (a positive available balance, else 402) and room in the
 * account's queue (MAX_QUEUED_JOBS, else 429): one account cannot fill the queue for nothing.
 */
async function admitJob(scope: RequestScope, identity: Identity, id: string): Promise<void> {
  const ledger = ledgerOf(scope.env.LEDGER, identity.account);
  const ref = { account: identity.account, kind: identity.kind };
  const read = await carrying(ledger, async (settles) => await ledger.read(ref, settles));
  if (read.status === "denied") throw denied(read.code);
  if (read.view.balance - read.view.held <= 0) {
    throw new ApiError(402, "insufficient_credits", "Creating a job needs a positive balance.", {
      balance: creditsFromMicro(read.view.balance),
    });
  }
  const max = scope.config.maxQueuedJobs;
  const admission = await quotaOf(scope.env.QUOTAS, identity.account).admitJob(id, max);
  if (!admission.ok) {
    throw new ApiError(
      429,
      "too_many_jobs",
      `This account already has ${admission.queued} queued jobs (at most ${max}); wait for some to run.`,
      { queued: admission.queued, limit: max, retry_after: JOB_QUEUE_RETRY_SEC },
      { "Retry-After": String(JOB_QUEUE_RETRY_SEC) },
    );
  }
}

/** The cron empties queues every five minutes; a minute is a fair time to try again. */
const JOB_QUEUE_RETRY_SEC = 60;

export async function createJob(scope: RequestScope, identity: Identity, body: CreateJobBody, tier?: string) {
  const now = Date.now();
  const id = `job_${crypto.randomUUID().replace(/-/g, "")}`;
  await admitJob(scope, identity, id);
  const job: Job = {
    id,
    type: "si",
    status: "queued",
    title: body.title || null,
    metadata: body.metadata ?? {},
    account: identity.account,
    account_kind: identity.kind,
    key_id: identity.keyId,
    input: body.input,
    tier: tier ?? null,
    created_at: now,
    updated_at: now,
    started_at: null,
    finished_at: null,
    runner: null,
    attempt: 0,
    lease_until: null,
    result: null,
    error: null,
  };
  return recordOf(scope.env.JOBS, job.id).create(job);
}

export async function listJobs(scope: RequestScope, identity: Identity, query: ListJobsQuery) {
  const page = await listOwnJobs(scope.env.KV_BILLING, identity.account, query);
  return {
    ok: true as const,
    jobs: page.jobs.map((summary) => ({
      ...summary,
      created_at: new Date(summary.created_at).toISOString(),
      updated_at: new Date(summary.updated_at).toISOString(),
    })),
    cursor: page.cursor,
  };
}

export async function editJob(scope: RequestScope, identity: Identity, id: string, patch: PatchJobBody) {
  await ownJob(scope, identity, id);
  const change = await recordOf(scope.env.JOBS, id).edit(identity.account, {
    title: patch.title,
    metadata: patch.metadata,
    cancel: patch.status === "canceled",
  });
  if (!change.ok) {
    if (!change.job) throw notFound("No such job.");
    throw new ApiError(
      409,
      "invalid_transition",
      `A ${change.job.status} job cannot be canceled (a running one only once its lease has run out).`,
      {
        status: change.job.status,
      },
    );
  }
  return publicJob(change.job);
}

/** queued → running for `runner`; null when someone else claimed it first. */
export async function claimJob(scope: RequestScope, id: string, runner: string): Promise<Job | null> {
  const claimed = await recordOf(scope.env.JOBS, id).claim(runner);
  return claimed.ok ? claimed.job : null;
}

/**
 * Runs a claimed job to the end (billed like any ask) and records how it finished; counted as
 * work in flight, so a graceful stop waits for it.
 */
export function executeJob(scope: RequestScope, job: Job, runner: string, signal: AbortSignal): Promise<Job> {
  return track(runJob(scope, job, runner, signal));
}

async function runJob(scope: RequestScope, job: Job, runner: string, signal: AbortSignal): Promise<Job> {
  let outcome: Parameters<DurableObjectStub<JobRecord>["finish"]>[1];
  try {
    // The run acts for the job's account, through the key it was created with (if any): a revoked
    // key's queued jobs fail, and a key's credit limit covers its jobs too.
    const ref = { account: job.account, kind: job.account_kind };
    const answer = await askOnce({
      scope,
      caller: { via: "account", ref, ...(job.key_id ? { tokenKeyId: job.key_id } : {}) },
      input: askInput(job.input),
      tier: job.tier ?? undefined,
      jobId: job.id,
      holdId: jobHoldId(job),
      // The hold ends with the lease, so a dead run's job and hold resolve at the same moment.
      ...(job.lease_until ? { expiresAt: job.lease_until } : {}),
      signal,
    });
    // A job keeps the answer and its bill; the balance it left is the account's, not the job's.
    const { balance: _balance, ...bill } = billOf(answer);
    outcome = { result: { text: answer.text, ...bill, finish_reason: answer.finish_reason } };
  } catch (error) {
    if (!(error instanceof ApiError)) logRunFailure(scope, job.id, error);
    outcome = {
      error:
        error instanceof ApiError
          ? { code: error.code, message: error.message }
          : { code: "internal_error", message: "The run failed unexpectedly." },
    };
  }
  const finished = await recordOf(scope.env.JOBS, job.id).finish(runner, outcome);
  return finished.job ?? job;
}

/** POST /api/jobs/run: a queued job of the caller's, or a new one, run now. */
export async function runNow(
  scope: RequestScope,
  identity: Identity,
  target: RunJobTarget,
  tier: string | undefined,
  signal: AbortSignal,
) {
  let id: string;
  if ("id" in target) {
    id = target.id;
    await ownJob(scope, identity, id);
  } else {
    id = (await createJob(scope, identity, target.job, tier)).id;
  }
  const runner = `api:${scope.requestId}`;
  const claimed = await claimJob(scope, id, runner);
  if (!claimed) {
    const current = await ownJob(scope, identity, id);
    throw new ApiError(409, "invalid_transition", `This job is ${current.status}; only a queued job can be run.`, {
      status: current.status,
    });
  }
  return publicJob(await executeJob(scope, claimed, runner, signal));
}

function logRunFailure(scope: RequestScope, id: string, error: unknown) {
  log("error", scope.requestId, "job run failed", { job_id: id, error: errorDetail(error) });
}
