// The order the cron takes queued jobs in: round-robin by account, each account's own jobs
// oldest first, accounts in the order of their oldest waiting job. One account's flood then
// waits its turn behind everyone else's first job instead of starving them.

export interface QueuedJob {
  id: string;
  account: string;
}

/** `queue` (oldest first) reordered: every account's 1st job, then every account's 2nd, … */
export function fairOrder<T extends QueuedJob>(queue: readonly T[]): T[] {
  const lanes = new Map<string, T[]>();
  for (const job of queue) {
    const lane = lanes.get(job.account);
    if (lane) lane.push(job);
    else lanes.set(job.account, [job]);
  }
  const order: T[] = [];
  const all = [...lanes.values()];
  for (let round = 0; order.length < queue.length; round++) {
    for (const lane of all) {
      const job = lane[round];
      if (job) order.push(job);
    }
  }
  return order;
}
