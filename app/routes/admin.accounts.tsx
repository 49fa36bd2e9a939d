// Accounts: search the account index by email prefix (or `guest:`), newest balances shown.
import { Form, Link } from "react-router";
import { z } from "zod";
import { AccountsTable } from "~/components/admin/accounts-table";
import { ProblemBox } from "~/components/admin/field";
import { searchAccounts } from "~/server/admin/accounts";
import { scopeOf } from "~/server/context";
import type { Route } from "./+types/admin.accounts";
import { attempt } from "./admin.server";

const query = z.object({
  q: z.string().trim().toLowerCase().max(254).catch(""),
  cursor: z.string().max(1024).optional().catch(undefined),
});

const emailLike = z.email();

export async function loader({ context, url }: Route.LoaderArgs) {
  const parsed = query.safeParse({
    q: url.searchParams.get("q") ?? "",
    cursor: url.searchParams.get("cursor") ?? undefined,
  });
  const { q, cursor } = parsed.success ? parsed.data : { q: "", cursor: undefined };
  const found = await attempt(() => searchAccounts(scopeOf(context).env.KV_BILLING, { q, cursor, limit: 25 }));
  return { q, cursor: cursor ?? null, found, email: emailLike.safeParse(q).success ? q : null };
}

export default function AdminAccounts({ loaderData }: Route.ComponentProps) {
  const { q, found, email } = loaderData;
  const exact = found.ok && found.value.accounts.some((account) => account.account === email);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Accounts</h1>
      <Form method="get" role="search" className="flex max-w-xl items-end gap-2">
        <div className="flex-1">
          <label htmlFor="account-search" className="label">
            Search by email, email prefix or “guest:”
          </label>
          <input id="account-search" name="q" type="search" defaultValue={q} className="field" />
        </div>
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
        <AccountsTable accounts={found.value.accounts} next={found.value.cursor} q={q} />
      ) : (
        <ProblemBox title="The search failed" message={found.problem.message} />
      )}
    </div>
  );
}
