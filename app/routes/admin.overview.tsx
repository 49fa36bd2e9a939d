// The dashboard's first page: how the service is doing — spend, tokens and asks for today, 7 and
// 30 days with the daily chart, top accounts, each provider's last 24 hours and recent errors —
// from the per-day stats the gateway keeps (app/server/stats/).
import { Periods, RecentErrors, TopAccounts } from "~/components/admin/overview-figures";
import { ProviderHealthTable } from "~/components/admin/provider-health";
import { SpendChart } from "~/components/admin/spend-chart";
import { scopeOf } from "~/server/context";
import { operatorOverview } from "~/server/stats/overview";
import type { Route } from "./+types/admin.overview";

export function meta() {
  return [{ title: "Overview · Cognomega admin" }];
}

export async function loader({ context }: Route.LoaderArgs) {
  return operatorOverview(scopeOf(context).env.STATS);
}

export default function AdminOverview({ loaderData }: Route.ComponentProps) {
  const { periods, daily, topAccounts, providers, errors } = loaderData;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">
          Overview
        </h1>
        <a href="/admin/usage.csv" download className="btn-outline">
          Download CSV
        </a>
      </div>
      <Periods periods={periods} />
      <SpendChart days={daily} />
      <div className="grid gap-6 lg:grid-cols-2">
        <TopAccounts rows={topAccounts} />
        <ProviderHealthTable rows={providers} title="Providers, last 24 hours" />
      </div>
      <RecentErrors rows={errors} />
    </div>
  );
}
