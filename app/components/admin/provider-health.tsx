// Per provider, what recent asks found: answers, failures, median latency and the last error —
// so an operator sees an outage that configuration alone would call "ready".
import type { ProviderHealth } from "~/server/stats/overview";
import { ColumnHeaders } from "./column-headers";

const time = (at: number | null) => (at === null ? "" : new Date(at).toISOString().slice(11, 19));

export function ProviderHealthTable({ rows, title }: { rows: ProviderHealth[]; title: string }) {
  return (
    <section className="card overflow-x-auto" aria-labelledby="provider-health-title">
      <h2 id="provider-health-title" className="mb-2 font-semibold">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="muted text-sm">No asks in this window.</p>
      ) : (
        <table className="w-full text-left text-sm tabular-nums" data-testid="provider-health">
          <thead>
            <ColumnHeaders
              cellClassName="py-1 pr-3 font-medium"
              columns={[
                { label: "Provider" },
                { label: "Answers", numeric: true },
                { label: "Failures", numeric: true },
                { label: "Median latency", numeric: true },
                { label: "Last error (UTC)" },
              ]}
            />
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.provider} data-failing={row.answers === 0 && row.failures > 0 ? "" : undefined}>
                <th scope="row" className="py-1 pr-3 font-medium">
                  {row.provider}
                </th>
                <td className="pr-3 text-right">{row.answers}</td>
                <td className={`pr-3 text-right ${row.failures ? "text-red-800 dark:text-red-200" : ""}`}>
                  {row.failures}
                </td>
                <td className="pr-3 text-right">{row.median_ms === null ? "–" : `≈ ${row.median_ms} ms`}</td>
                <td className="break-all">
                  {row.last_error ? `${time(row.last_error_at)} ${row.last_error}` : "none"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** True when recent asks reached providers and none answered: an outage, whatever /ready says. */
export function allFailing(rows: ProviderHealth[]): boolean {
  return rows.length > 0 && rows.every((row) => row.answers === 0 && row.failures > 0);
}
