// The KV side of jobs: a copy of each job and the indexes listings and the cron read. Written
// only by the job's own Durable Object (from its alarm), so copies never arrive out of order.
import type { QueuedJob } from "./fairness";
import type { Job, JobStatus, JobSummary } from "./model";

const NEWEST_FIRST = 9_999_999_999_999;

export const jobKey = (id: string) => `job:${id}`;
const ownerPrefix = (account: string, view: JobStatus | "all") => `jobs:${account}:${view}:`;
const ownerKey = (job: Pick<Job, "account" | "created_at" | "id">, view: JobStatus | "all") =>
  `${ownerPrefix(job.account, view)}${String(NEWEST_FIRST - job.created_at).padStart(13, "0")}:${job.id}`;
export const QUEUED_PREFIX = "jobq:";
export const RUNNING_PREFIX = "jobr:";
const queueKey = (job: Pick<Job, "created_at" | "id">) =>
  `${QUEUED_PREFIX}${String(job.created_at).padStart(13, "0")}:${job.id}`;

export interface JobCopyMeta {
  account: string;
  status: JobStatus;
  updated_at: number;
}

/** Writes the copy and moves the job between status indexes (`previous` is what was indexed). */
export async function mirrorJob(kv: KVNamespace, job: Job, summary: JobSummary, previous: JobStatus | null) {
  const writes: Promise<unknown>[] = [
    kv.put(jobKey(job.id), JSON.stringify(job), {
      metadata: { account: job.account, status: job.status, updated_at: job.updated_at } satisfies JobCopyMeta,
    }),
    kv.put(ownerKey(job, "all"), "", { metadata: summary }),
    kv.put(ownerKey(job, job.status), "", { metadata: summary }),
  ];
  if (previous && previous !== job.status) writes.push(kv.delete(ownerKey(job, previous)));
  // The account rides in the queue key's metadata, so the cron can be fair from one listing.
  if (job.status === "queued") writes.push(kv.put(queueKey(job), job.account, { metadata: { account: job.account } }));
  else writes.push(kv.delete(queueKey(job)));
  if (job.status === "running") writes.push(kv.put(`${RUNNING_PREFIX}${job.id}`, job.account));
  else writes.push(kv.delete(`${RUNNING_PREFIX}${job.id}`));
  await Promise.all(writes);
}

export async function unmirrorJob(kv: KVNamespace, job: Job) {
  await Promise.all([
    kv.delete(jobKey(job.id)),
    kv.delete(ownerKey(job, "all")),
    kv.delete(ownerKey(job, job.status)),
    kv.delete(queueKey(job)),
    kv.delete(`${RUNNING_PREFIX}${job.id}`),
  ]);
}

export async function listOwnJobs(
  kv: KVNamespace,
  account: string,
  options: { status?: JobStatus; limit: number; cursor?: string },
) {
  const page = await kv.list<JobSummary>({
    prefix: ownerPrefix(account, options.status ?? "all"),
    limit: options.limit,
    cursor: options.cursor,
  });
  return {
    jobs: page.keys.flatMap((key) => (key.metadata ? [key.metadata] : [])),
    cursor: page.list_complete ? null : page.cursor,
  };
}

/** Jobs waiting in the queue, oldest first, with their accounts (one KV listing). */
export async function queuedJobs(kv: KVNamespace, limit: number): Promise<QueuedJob[]> {
  const page = await kv.list<{ account?: string }>({ prefix: QUEUED_PREFIX, limit });
  return page.keys.flatMap((key) => {
    const id = key.name.split(":").at(-1) ?? "";
    // A copy written before the account was kept in the metadata is a lane of its own.
    return id ? [{ id, account: key.metadata?.account ?? `unknown:${id}` }] : [];
  });
}

export async function runningJobIds(kv: KVNamespace, limit: number): Promise<string[]> {
  const page = await kv.list({ prefix: RUNNING_PREFIX, limit });
  return page.keys.map((key) => key.name.slice(RUNNING_PREFIX.length));
}
