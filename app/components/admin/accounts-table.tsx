// Search results: each account with its last known balance and when it was last used. Headers
// of sortable columns are links that order the list; on a phone the kind and time fold under
// the account so the balance stays on screen.
import { Link } from "react-router";
import { type AccountRow, type AccountSort, type ListView, SCAN_LIMIT, viewHref } from "./account-list";

export function when(ms: number | null): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 16) : "never";
}

interface Props {
  accounts: AccountRow[];
  next: string | null;
  view: ListView;
  /** More accounts matched than were read to sort or filter. */
  truncated: boolean;
}

function SortHeader({
  view,
  sort,
  label,
  className,
}: {
  view: ListView;
  sort: AccountSort;
  label: string;
  className: string;
}) {
  const active = view.sort === sort;
  return (
    <th
      scope="col"
      className={`px-4 py-2 font-medium ${className}`}
      aria-sort={active ? (sort === "account" ? "ascending" : "descending") : undefined}
    >
      <Link
        to={viewHref(view, { sort })}
        className="underline-offset-2 hover:underline aria-[current=true]:underline"
        aria-current={active ? "true" : undefined}
        preventScrollReset
      >
        {label}
        <span aria-hidden="true">{active ? (sort === "account" ? " ↑" : " ↓") : ""}</span>
      </Link>
    </th>
  );
}

export function AccountsTable({ accounts, next, view, truncated }: Props) {
  const filters = [
    view.q && `“${view.q}”`,
    view.kind !== "all" && (view.kind === "guest" ? "guests" : "email accounts"),
  ];
  if (!accounts.length) {
    return (
      <p className="muted">No accounts match{filters.some(Boolean) ? ` ${filters.filter(Boolean).join(", ")}` : ""}.</p>
    );
  }
  return (
    <div className="card p-0">
      <table className="w-full table-fixed text-left text-sm sm:table-auto" data-testid="accounts-table">
        <caption className="sr-only">
          Accounts{view.sort !== "account" ? `, by ${view.sort === "balance" ? "balance" : "last seen"}` : ""}
        </caption>
        <thead className="border-b border-zinc-200 dark:border-zinc-800">
          <tr>
            <SortHeader view={view} sort="account" label="Account" className="w-auto" />
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              Kind
            </th>
            <SortHeader view={view} sort="balance" label="Balance" className="w-28 text-right sm:w-auto" />
            <SortHeader view={view} sort="last_seen" label="Last seen (UTC)" className="hidden sm:table-cell" />
          </tr>
        </thead>
        <tbody>
          {accounts.map((row) => (
            <tr key={row.account} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800">
              <td className="px-4 py-2">
                <Link
                  to={`/admin/accounts/${encodeURIComponent(row.account)}`}
                  className="font-medium wrap-anywhere text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
                >
                  {row.account}
                </Link>
                <span className="muted block text-xs sm:hidden">
                  {row.kind} · last seen {when(row.last_seen)}
                </span>
              </td>
              <td className="hidden px-4 py-2 sm:table-cell">{row.kind}</td>
              <td className="px-4 py-2 text-right tabular-nums" data-testid="account-row-balance">
                {row.balance}
              </td>
              <td className="hidden px-4 py-2 tabular-nums sm:table-cell">{when(row.last_seen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {truncated && (
        <p className="muted border-t border-zinc-200 px-4 py-2 text-sm dark:border-zinc-800">
          Ordered among the first {SCAN_LIMIT.toLocaleString("en")} matching accounts; search by prefix to narrow it.
        </p>
      )}
      {next && (
        <div className="border-t border-zinc-200 px-4 py-2 text-right dark:border-zinc-800">
          <Link to={viewHref(view, {}, next)} className="btn-outline">
            Next page →
          </Link>
        </div>
      )}
    </div>
  );
}
