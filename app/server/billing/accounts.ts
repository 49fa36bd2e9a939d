// The account index in KV_BILLING: one key per account with its last known balance, so the
// admin dashboard can list and search accounts without waking every ledger. Retention walks it
// a page at a time from a cursor, and drops guests that have gone dormant.
import { z } from "zod";
import type { BalanceView } from "./types";

const PREFIX = "acct:";

export interface AccountSummary {
  account: string;
  kind: "email" | "guest";
  created_at: number | null;
  last_seen: number | null;
  balance: number;
  /** Settled usage in all (micro-credits), so the dashboard can sort by spend. */
  spent: number;
}

const summarySchema = z.object({
  account: z.string(),
  kind: z.enum(["email", "guest"]),
  created_at: z.number().nullable(),
  last_seen: z.number().nullable(),
  balance: z.number(),
  // Entries written before `spent` was kept read as 0 until the account changes again.
  spent: z.number().default(0),
});

export async function writeAccountIndex(kv: KVNamespace, view: BalanceView): Promise<void> {
  const summary: AccountSummary = {
    account: view.account,
    kind: view.kind,
    created_at: view.created_at,
    last_seen: view.last_seen,
    balance: view.balance,
    spent: view.spent,
  };
  await kv.put(PREFIX + view.account, JSON.stringify(summary), { metadata: summary });
}

export interface AccountList {
  accounts: AccountSummary[];
  cursor: string | null;
}

/** Accounts whose id starts with `prefix` (an email prefix, or `guest:`), in key order. */
export async function listAccounts(
  kv: KVNamespace,
  options: { prefix?: string; limit: number; cursor?: string },
): Promise<AccountList> {
  const page = await kv.list<AccountSummary>({
    prefix: PREFIX + (options.prefix ?? ""),
    limit: options.limit,
    cursor: options.cursor,
  });
  const accounts: AccountSummary[] = [];
  for (const key of page.keys) {
    const parsed = summarySchema.safeParse(key.metadata);
    if (parsed.success) accounts.push(parsed.data);
  }
  return { accounts, cursor: page.list_complete ? null : page.cursor };
}

/**
 * A guest that may leave the index: it shows no balance and was last seen before `cutoff`. (Its
 * ledger has the last word: the index may lag behind it.) A guest's tokens expire within days,
 * so nobody can use such an account again.
 */
export function mayBeDormantGuest(summary: AccountSummary, cutoff: number): boolean {
  return summary.kind === "guest" && summary.balance === 0 && (summary.last_seen ?? 0) < cutoff;
}

export async function forgetAccount(kv: KVNamespace, account: string): Promise<void> {
  await kv.delete(PREFIX + account);
}
