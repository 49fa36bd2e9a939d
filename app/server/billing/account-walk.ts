// Every account in the index, a KV page at a time — for the work that must visit each one (the
// admin's all-accounts CSV export, the cron's allowances).
import { type AccountSummary, listAccounts } from "./accounts";

export async function* everyIndexedAccount(kv: KVNamespace): AsyncGenerator<AccountSummary> {
  let cursor: string | undefined;
  do {
    const page = await listAccounts(kv, { limit: 1000, cursor });
    yield* page.accounts;
    cursor = page.cursor ?? undefined;
  } while (cursor);
}
