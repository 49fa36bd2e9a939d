// Retention: prune old usage records (in every account's ledger) and old finished jobs.
// Balances and their counters are never touched; a dry run only counts.
import { z } from "zod";
import { allAccounts } from "../billing/accounts";
import { ledgerOf } from "../billing/ledger-client";
import { jobKey } from "../jobs/mirror";
import { FINISHED, type JobStatus } from "../jobs/model";

export const cleanupSchema = z
  .object({
    kind: z.enum(["usage", "jobs", "both"]).default("both"),
    older_than_days: z.number({ error: "is required (a whole number of days)" }).int().min(1).max(3650),
    limit: z.number().int().min(1).max(10_000).default(500),
    dry_run: z.boolean().default(false),
  })
  .strict();

export type CleanupInput = z.output<typeof cleanupSchema>;

export interface Tally {
  scanned: number;
  matched: number;
  deleted: number;
}

/** How many job copies one run looks at, at most. */
const MAX_JOBS_SCANNED = 10_000;

async function pruneUsage(env: Env, before: number, limit: number, dryRun: boolean) {
  const tally: Tally & { accounts: number } = { scanned: 0, matched: 0, deleted: 0, accounts: 0 };
  for await (const account of allAccounts(env.KV_BILLING)) {
    tally.accounts += 1;
    const remaining = limit - tally.deleted;
    const result = await ledgerOf(env.LEDGER, account.account).pruneUsage(
      before,
      Math.max(1, remaining),
      dryRun || remaining <= 0,
    );
    tally.scanned += result.scanned;
    tally.matched += result.matched;
    tally.deleted += result.deleted;
  }
  return tally;
}

async function pruneJobs(env: Env, before: number, limit: number, dryRun: boolean) {
  const tally: Tally & { sample: string[] } = { scanned: 0, matched: 0, deleted: 0, sample: [] };
  const jobs = env.JOBS;
  let cursor: string | undefined;
  do {
    const page = await env.KV_BILLING.list<{ status: JobStatus; updated_at: number }>({
      prefix: jobKey(""),
      limit: 1000,
      cursor,
    });
    for (const key of page.keys) {
      tally.scanned += 1;
      const meta = key.metadata;
      if (!meta || !FINISHED.includes(meta.status) || meta.updated_at >= before) continue;
      tally.matched += 1;
      const id = key.name.slice(jobKey("").length);
      if (tally.sample.length < 20) tally.sample.push(id);
      if (!dryRun && tally.deleted < limit && (await jobs.get(jobs.idFromName(id)).erase())) tally.deleted += 1;
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor && tally.scanned < MAX_JOBS_SCANNED);
  return tally;
}

export async function cleanup(env: Env, input: CleanupInput, now = Date.now()) {
  const before = now - input.older_than_days * 86_400_000;
  return {
    ok: true as const,
    dry_run: input.dry_run,
    cutoff: new Date(before).toISOString(),
    limit: input.limit,
    ...(input.kind !== "jobs" ? { usage: await pruneUsage(env, before, input.limit, input.dry_run) } : {}),
    ...(input.kind !== "usage" ? { jobs: await pruneJobs(env, before, input.limit, input.dry_run) } : {}),
  };
}
