// Search results: each account with its last known balance and when it was last used.
import { Link } from "react-router";
import { ColumnHeaders } from "./column-headers";

interface AccountRow {
  account: string;
  kind: "email" | "guest";
  balance: number;
  last_seen: number | null;
}

export function when(ms: number | null): string {
  return ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 16) : "never";
}

export function AccountsTable({ accounts, next, q }: { accounts: AccountRow[]; next: string | null; q: string }) {
  if (!accounts.length) return <p className="muted">No accounts match{q ? ` “${q}”` : ""}.</p>;
  return (
    <div className="card overflow-x-auto p-0">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Accounts</caption>
        <thead className="border-b border-zinc-200 dark:border-zinc-800">
          <ColumnHeaders
            columns={[
              { label: "Account" },
              { label: "Kind" },
              { label: "Balance", numeric: true },
              { label: "Last seen (UTC)" },
            ]}
          />
        </thead>
        <tbody>
          {accounts.map((row) => (
            <tr key={row.account} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800">
              <td className="px-4 py-2">
                <Link
                  to={`/admin/accounts/${encodeURIComponent(row.account)}`}
                  className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
                >
                  {row.account}
                </Link>
              </td>
              <td className="px-4 py-2">{row.kind}</td>
              <td className="px-4 py-2 text-right tabular-nums">{row.balance}</td>
              <td className="px-4 py-2 tabular-nums">{when(row.last_seen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && (
        <div className="border-t border-zinc-200 px-4 py-2 text-right dark:border-zinc-800">
          <Link to={`?q=${encodeURIComponent(q)}&cursor=${encodeURIComponent(next)}`} className="btn-outline">
            Next page →
          </Link>
        </div>
      )}
    </div>
  );
}
