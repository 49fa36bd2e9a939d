// The account at a glance: balance, what is held by calls in flight, and lifetime totals.
import { when } from "./accounts-table";
import type { AccountDetail } from "./types";

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div className="card">
      <dt className="muted text-xs font-medium tracking-wide uppercase">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function AccountSummary({ detail }: { detail: AccountDetail }) {
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title" className="sr-only">
        Summary
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Balance" value={detail.balance} testId="account-balance" />
        <Stat label="Held now" value={detail.held} />
        <Stat label="Spent" value={detail.totals.spent} />
        <Stat label="Granted + adjusted" value={Number((detail.totals.granted + detail.totals.adjusted).toFixed(6))} />
      </dl>
      <p className="muted mt-2 text-sm">
        {detail.kind === "guest" ? "Guest account" : "Email account"} · created {when(detail.created_at)} · last seen{" "}
        {when(detail.last_seen)} (UTC)
      </p>
    </section>
  );
}
