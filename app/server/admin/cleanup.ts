// Retention: prune old usage records (in each account's ledger) and old finished jobs, and let
// dormant guests leave the account index. Balances and their counters are never touched; a dry
// run only counts. Every run is bounded — at most `accounts` ledgers and MAX_JOBS_SCANNED job
// copies — and answers cursors to continue from, so the work per call stays the same however
// many accounts and jobs exist (the cron keeps its cursors between ticks: cron.ts).
import { z } from "zod";
import { type AccountSummary, forgetAccount, listAccounts, mayBeDormantGuest } from "../billing/accounts";
import { ledgerOf } from "../billing/ledger-client";
import { jobKey } from "../jobs/mirror";
import { FINISHED, type JobStatus } from "../jobs/model";

/** Ledgers one admin call visits at most (the cron visits RETENTION_ACCOUNTS_PER_TICK). */
export const ADMIN_CLEANUP_ACCOUNTS = 1000;
/** How many job copies one run looks at, at most. */
const MAX_JOBS_SCANNED = 10_000;
/** KV lists at most this many keys per page. */
const KV_PAGE = 1000;

const cursor = z.string().min(1).max(4096).optional();

export const cleanupSchema = z
  .object({
    kind: z.enum(["usage", "jobs", "both"]).default("both"),
    older_than_days: z.number({ error: "is required (a whole number of days)" }).int().min(1).max(3650),
    limit: z.number().int().min(1).max(10_000).default(500),
    dry_run: z.boolean().default(false),
    /** Where a previous run stopped (its `usage.cursor` / `jobs.cursor`). */
    usage_cursor: cursor,
    jobs_cursor: cursor,
  })
  .strict();

export type CleanupInput = z.output<typeof cleanupSchema>;

export interface Tally {
  scanned: number;
  matched: number;
  deleted: number;
}

export interface UsagePass {
  before: number;
  limit: number;
  dryRun: boolean;
  cursor?: string;
  /** Ledgers to visit at most. */
  accounts: number;
  /** Guests last seen before this (ms) with nothing left leave the index; none when absent. */
  dormantBefore?: number;
}

async function isDormantGuest(env: Env, summary: AccountSummary, cutoff: number): Promise<boolean> {
  if (!mayBeDormantGuest(summary, cutoff)) return false;
  const view = await ledgerOf(env.LEDGER, summary.account).balance({ account: summary.account, kind: "guest" });
  return view.balance === 0 && view.held === 0 && (view.last_seen ?? 0) < cutoff;
}

export async function pruneUsage(env: Env, pass: UsagePass) {
  const tally = { scanned: 0, matched: 0, deleted: 0, accounts: 0, retired: 0, cursor: null as string | null };
  let next = pass.cursor;
  do {
    // A page never runs past the visit limit, so its cursor is exactly where to resume.
    const size = Math.min(KV_PAGE, pass.accounts - tally.accounts);
    const page = await listAccounts(env.KV_BILLING, { limit: size, cursor: next });
    for (const summary of page.accounts) {
      tally.accounts += 1;
      if (pass.dormantBefore !== undefined && (await isDormantGuest(env, summary, pass.dormantBefore))) {
        tally.retired += 1;
        if (!pass.dryRun) await forgetAccount(env.KV_BILLING, summary.account);
        continue;
      }
      const remaining = pass.limit - tally.deleted;
      const result = await ledgerOf(env.LEDGER, summary.account).pruneUsage(
        pass.before,
        Math.max(1, remaining),
        pass.dryRun || remaining <= 0,
      );
      tally.scanned += result.scanned;
      tally.matched += result.matched;
      tally.deleted += result.deleted;
    }
    next = page.cursor ?? undefined;
  } while (next && tally.accounts < pass.accounts);
  tally.cursor = next ?? null;
  return tally;
}

export async function pruneJobs(
  env: Env,
  pass: { before: number; limit: number; dryRun: boolean; cursor?: string; scan?: number },
) {
  const tally = { scanned: 0, matched: 0, deleted: 0, sample: [] as string[], cursor: null as string | null };
  const jobs = env.JOBS;
  const scan = pass.scan ?? MAX_JOBS_SCANNED;
  let next = pass.cursor;
  do {
    const page = await env.KV_BILLING.list<{ status: JobStatus; updated_at: number }>({
      prefix: jobKey(""),
      limit: Math.min(KV_PAGE, scan - tally.scanned),
      cursor: next,
    });
    for (const key of page.keys) {
      tally.scanned += 1;
      const meta = key.metadata;
      if (!meta || !FINISHED.includes(meta.status) || meta.updated_at >= pass.before) continue;
      tally.matched += 1;
      const id = key.name.slice(jobKey("").length);
      if (tally.sample.length < 20) tally.sample.push(id);
      if (!pass.dryRun && tally.deleted < pass.limit && (await jobs.get(jobs.idFromName(id)).erase())) {
        tally.deleted += 1;
      }
    }
    next = page.list_complete ? undefined : page.cursor;
  } while (next && tally.scanned < scan);
  tally.cursor = next ?? null;
  return tally;
}

export async function cleanup(env: Env, input: CleanupInput, now = Date.now()) {
  const before = now - input.older_than_days * 86_400_000;
  const common = { before, limit: input.limit, dryRun: input.dry_run };
  return {
    ok: true as const,
    dry_run: input.dry_run,
    cutoff: new Date(before).toISOString(),
    limit: input.limit,
    ...(input.kind !== "jobs"
      ? {
          usage: await pruneUsage(env, { ...common, cursor: input.usage_cursor, accounts: ADMIN_CLEANUP_ACCOUNTS }),
        }
      : {}),
    ...(input.kind !== "usage" ? { jobs: await pruneJobs(env, { ...common, cursor: input.jobs_cursor }) } : {}),
  };
}
