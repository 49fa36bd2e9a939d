// The account's ledger, newest first, a page at a time: asks, grants and adjustments.
import { Link } from "react-router";
import { WideRegion } from "../wide-region";
import { ColumnHeaders } from "./column-headers";
import type { LedgerRow } from "./types";

interface Props {
  records: LedgerRow[];
  next: string | null;
  trail: string[];
}

function pageLink(trail: string[]): string {
  return trail.length ? `?page=${encodeURIComponent(trail.join(","))}` : "?";
}

type UsageRow = Extract<LedgerRow, { provider: unknown }>;

const asUsage = (row: LedgerRow): UsageRow | null => ("provider" in row ? row : null);

function detailOf(row: LedgerRow): string {
  const usage = asUsage(row);
  if (usage) {
    const tier = usage.tier ? ` · tier ${usage.tier}` : "";
    return `${usage.provider} · ${usage.model}${tier}${usage.outcome === "partial" ? " · cut short" : ""}`;
  }
  return "actor" in row ? [row.actor, row.reason].filter(Boolean).join(" — ") : "";
}

function tokensOf(row: LedgerRow): string {
  const usage = asUsage(row);
  return usage ? String((usage.tokens_in ?? 0) + (usage.tokens_out ?? 0)) : "";
}

export function UsageTable({ records, next, trail }: Props) {
  return (
    <section className="card p-0" aria-labelledby="ledger-title">
      <h2 id="ledger-title" className="px-4 pt-4 text-lg font-semibold">
        Usage and changes
      </h2>
      {records.length === 0 ? (
        <p className="muted px-4 py-4">Nothing recorded{trail.length ? " on this page" : " yet"}.</p>
      ) : (
        <WideRegion label="Usage and changes, table">
          <table className="mt-2 w-full text-left text-sm" data-testid="usage-table">
            <thead className="border-b border-zinc-200 dark:border-zinc-800">
              <ColumnHeaders
                columns={[
                  { label: "Time (UTC)" },
                  { label: "Kind" },
                  { label: "Detail" },
                  { label: "Tokens", numeric: true },
                  { label: "Credits", numeric: true },
                  { label: "Balance after", numeric: true },
                ]}
              />
            </thead>
            <tbody>
              {records.map((row) => (
                <tr key={row.id} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800">
                  <td className="px-4 py-2 whitespace-nowrap tabular-nums">
                    {row.time.replace("T", " ").slice(0, 19)}
                  </td>
                  <td className="px-4 py-2">{row.kind}</td>
                  <td className="px-4 py-2">{detailOf(row)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{tokensOf(row)}</td>
                  <td className="px-4 py-2 text-right tabular-nums">
                    {row.kind === "usage" ? `−${row.credits}` : `${row.credits > 0 ? "+" : ""}${row.credits}`}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{row.balance_after}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </WideRegion>
      )}
      {(trail.length > 0 || next) && (
        <nav
          aria-label="Ledger pages"
          className="flex justify-between gap-2 border-t border-zinc-200 px-4 py-2 dark:border-zinc-800"
        >
          {trail.length ? (
            <Link to={pageLink(trail.slice(0, -1))} className="btn-outline" preventScrollReset>
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          {next && (
            <Link to={pageLink([...trail, next])} className="btn-outline" preventScrollReset>
              Older →
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}
