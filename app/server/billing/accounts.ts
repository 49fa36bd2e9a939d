// The account index in KV_BILLING: one key per account with its last known balance, so the
// admin dashboard can list and search accounts without waking every ledger.
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

/** Every indexed account id, page by page (for retention across all ledgers). */
export async function* allAccounts(kv: KVNamespace): AsyncGenerator<AccountSummary> {
  let cursor: string | undefined;
  do {
    const page = await listAccounts(kv, { limit: 1000, cursor });
    yield* page.accounts;
    cursor = page.cursor ?? undefined;
  } while (cursor);
}
