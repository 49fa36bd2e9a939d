// The overview's figures: today / 7 / 30 days side by side, the top accounts by spend, and the
// latest errors with their request ids.
import { Link } from "react-router";
import type { OperatorOverview } from "~/server/stats/overview";
import { ColumnHeaders } from "./column-headers";

type Period = OperatorOverview["periods"]["today"];

function PeriodCard({ label, period, testId }: { label: string; period: Period; testId: string }) {
  return (
    <div className="card" data-testid={testId}>
      <h2 className="muted text-xs font-medium tracking-wide uppercase">{label}</h2>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm tabular-nums">
        <dt className="muted">Credits spent</dt>
        <dd className="text-right text-lg font-semibold">{period.credits}</dd>
        <dt className="muted">Tokens</dt>
        <dd className="text-right">{period.tokens}</dd>
        <dt className="muted">Asks</dt>
        <dd className="text-right">
          {period.asks}
          {period.failed ? ` (${period.failed} failed)` : ""}
        </dd>
      </dl>
    </div>
  );
}

export function Periods({ periods }: { periods: OperatorOverview["periods"] }) {
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <PeriodCard label="Today (UTC)" period={periods.today} testId="period-today" />
      <PeriodCard label="Last 7 days" period={periods.week} testId="period-week" />
      <PeriodCard label="Last 30 days" period={periods.month} testId="period-month" />
    </div>
  );
}

export function TopAccounts({ rows }: { rows: OperatorOverview["topAccounts"] }) {
  return (
    <section className="card overflow-x-auto" aria-labelledby="top-accounts-title">
      <h2 id="top-accounts-title" className="mb-2 font-semibold">
        Top accounts by spend (30 days)
      </h2>
      {rows.length === 0 ? (
        <p className="muted text-sm">Nobody has asked yet.</p>
      ) : (
        <table className="w-full text-left text-sm tabular-nums" data-testid="top-accounts">
          <thead>
            <ColumnHeaders
              cellClassName="py-1 pr-3 font-medium"
              columns={[
                { label: "Account" },
                { label: "Credits", numeric: true },
                { label: "Asks", numeric: true },
                { label: "Tokens", numeric: true },
              ]}
            />
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.account}>
                <td className="py-1 pr-3 break-all">
                  <Link to={`/admin/accounts/${encodeURIComponent(row.account)}`} className="underline">
                    {row.account}
                  </Link>
                </td>
                <td className="pr-3 text-right">{row.credits}</td>
                <td className="pr-3 text-right">{row.asks}</td>
                <td className="text-right">{row.tokens}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function RecentErrors({ rows }: { rows: OperatorOverview["errors"] }) {
  return (
    <section className="card overflow-x-auto" aria-labelledby="errors-title">
      <h2 id="errors-title" className="mb-2 font-semibold">
        Recent errors
      </h2>
      {rows.length === 0 ? (
        <p className="muted text-sm">No errors in the last two days.</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm" data-testid="recent-errors">
          {rows.map((row) => (
            <li key={`${row.at}-${row.request_id}-${row.provider}`} className="break-all">
              <span className="muted tabular-nums">
                {new Date(row.at).toISOString().slice(0, 19).replace("T", " ")}
              </span>{" "}
              {row.provider ? `${row.provider}: ` : ""}
              {row.message} · <code>{row.request_id}</code> · {row.account}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
