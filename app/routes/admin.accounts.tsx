// Accounts: search the account index by email prefix (or `guest:`), show guests or email
// accounts only, and order by balance or last seen.
import { Form, Link } from "react-router";
import { z } from "zod";
import {
  type AccountRow,
  arrange,
  needsScan,
  parseView,
  prefixFor,
  SCAN_LIMIT,
  SORTED_PAGE,
} from "~/components/admin/account-list";
import { AccountsTable } from "~/components/admin/accounts-table";
import { ProblemBox } from "~/components/admin/field";
import { searchAccounts } from "~/server/admin/accounts";
import { scopeOf } from "~/server/context";
import type { Route } from "./+types/admin.accounts";
import { attempt } from "./admin.server";

const cursorSchema = z.string().max(1024).optional().catch(undefined);
const emailLike = z.email();

/** Every account under `prefix`, up to SCAN_LIMIT, read a page at a time. */
async function scan(kv: KVNamespace, prefix: string) {
  const rows: AccountRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await searchAccounts(kv, { q: prefix, cursor, limit: 100 });
    rows.push(...page.accounts);
    cursor = page.cursor ?? undefined;
  } while (cursor && rows.length < SCAN_LIMIT);
  return { accounts: rows, truncated: Boolean(cursor) };
}

export async function loader({ context, url }: Route.LoaderArgs) {
  const view = parseView(url.searchParams);
  const cursor = cursorSchema.parse(url.searchParams.get("cursor") ?? undefined);
  const kv = scopeOf(context).env.KV_BILLING;
  const found = await attempt(async () => {
    if (needsScan(view)) {
      const all = await scan(kv, prefixFor(view));
      return { accounts: arrange(all.accounts, view).slice(0, SORTED_PAGE), cursor: null, truncated: all.truncated };
    }
    const page = await searchAccounts(kv, { q: prefixFor(view), cursor, limit: 25 });
    return { accounts: arrange(page.accounts, view), cursor: page.cursor, truncated: false };
  });
  return { view, found, email: emailLike.safeParse(view.q).success ? view.q : null };
}

export default function AdminAccounts({ loaderData }: Route.ComponentProps) {
  const { view, found, email } = loaderData;
  const exact = found.ok && found.value.accounts.some((account) => account.account === email);
  return (
    <div className="flex flex-col gap-4">
      <h1 tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">
        Accounts
      </h1>
      <Form method="get" role="search" className="flex max-w-2xl flex-wrap items-end gap-2">
        <div className="min-w-48 flex-1">
          <label htmlFor="account-search" className="label">
            Search by email, email prefix or “guest:”
          </label>
          <input id="account-search" name="q" type="search" defaultValue={view.q} className="field" />
        </div>
        <div>
          <label htmlFor="account-kind" className="label">
            Show
          </label>
          <select id="account-kind" name="kind" defaultValue={view.kind} className="field">
            <option value="all">All accounts</option>
            <option value="email">Email accounts</option>
            <option value="guest">Guests</option>
          </select>
        </div>
        {view.sort !== "account" && <input type="hidden" name="sort" value={view.sort} />}
        <button type="submit" className="btn-primary">
          Search
        </button>
      </Form>
      {email && !exact && (
        <p className="text-sm">
          No account for {email} has been used yet.{" "}
          <Link
            to={`/admin/accounts/${encodeURIComponent(email)}`}
            className="font-medium text-indigo-700 underline dark:text-indigo-300"
          >
            Open {email} anyway
          </Link>{" "}
          to grant it credits before its first chat.
        </p>
      )}
      {found.ok ? (
        <AccountsTable
          accounts={found.value.accounts}
          next={found.value.cursor}
          view={view}
          truncated={found.value.truncated}
        />
      ) : (
        <ProblemBox title="The search failed" message={found.problem.message} />
      )}
    </div>
  );
}
