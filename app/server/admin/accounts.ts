// Admin reads for the dashboard: search the account index, and one account in full.
import { z } from "zod";
import { listAccounts } from "../billing/accounts";
import { namedAccount } from "../billing/adjust";
import { balanceBody, type LedgerNamespace, ledgerOf } from "../billing/ledger-client";
import { creditsFromMicro } from "../billing/money";
import type { UsageQuery } from "../billing/types";
import { usageFeed } from "../billing/usage";

export const DASHBOARD_DAYS = 30;

export const accountSearchSchema = z.object({
  q: z.string().trim().toLowerCase().max(254).default(""),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(1024).optional(),
});

export type AccountSearch = z.output<typeof accountSearchSchema>;

export async function searchAccounts(kv: KVNamespace, query: AccountSearch) {
  const page = await listAccounts(kv, { prefix: query.q, limit: query.limit, cursor: query.cursor });
  return {
    ok: true as const,
    accounts: page.accounts.map((summary) => ({
      ...summary,
      balance: creditsFromMicro(summary.balance),
      spent: creditsFromMicro(summary.spent),
    })),
    cursor: page.cursor,
  };
}

export async function accountDetail(namespace: LedgerNamespace, account: string, usageQuery: UsageQuery) {
  const ref = namedAccount(account);
  const ledger = ledgerOf(namespace, ref.account);
  const [view, daily, usage] = await Promise.all([
    ledger.balance(ref),
    ledger.dailyTotals(DASHBOARD_DAYS),
    usageFeed(namespace, ref, usageQuery),
  ]);
  return {
    ok: true as const,
    ...balanceBody(view),
    created_at: view.created_at,
    last_seen: view.last_seen,
    totals: {
      granted: creditsFromMicro(view.granted),
      adjusted: creditsFromMicro(view.adjusted),
      spent: creditsFromMicro(view.spent),
    },
    daily: daily.map((day) => ({
      day: day.day,
      credits: creditsFromMicro(day.micro),
      tokens: day.tokens,
      calls: day.calls,
    })),
    usage: { records: usage.records, next_cursor: usage.next_cursor },
  };
}
