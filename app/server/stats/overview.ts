// The operator overview (issue 16), read from the per-day stats objects (day-stats.ts): credits,
// tokens and asks for today, 7 and 30 days with the daily series; top accounts by spend; per
// provider the last 24 hours' answers, failures, last error and median latency; recent errors.
// Thirty small reads in parallel, whatever the number of accounts or records.
import { creditsFromMicro } from "../billing/money";
import type { DaySummary } from "./day-stats";
import { dayOf, type StatsNamespace, statsOf } from "./events";
import { medianMs } from "./latency";

const DAY_MS = 86_400_000;
export const OVERVIEW_DAYS = 30;
const TOP = 10;

export interface ProviderHealth {
  provider: string;
  answers: number;
  failures: number;
  last_error: string | null;
  last_error_at: number | null;
  median_ms: number | null;
}

function totalsOf(summaries: DaySummary[]) {
  const sum = (pick: (s: DaySummary) => number) => summaries.reduce((total, s) => total + pick(s), 0);
  return {
    asks: sum((s) => s.totals.asks),
    failed: sum((s) => s.totals.failed),
    credits: creditsFromMicro(sum((s) => s.totals.micro)),
    tokens: sum((s) => s.totals.tokens),
  };
}

/** Provider figures for hours since `since`, merged over the days given. */
function healthOf(summaries: DaySummary[]): ProviderHealth[] {
  const byProvider = new Map<string, ProviderHealth & { histogram: Array<{ bucket: number; n: number }> }>();
  for (const summary of summaries) {
    for (const row of summary.providers) {
      const entry = byProvider.get(row.provider) ?? {
        provider: row.provider,
        answers: 0,
        failures: 0,
        last_error: null,
        last_error_at: null,
        median_ms: null,
        histogram: [],
      };
      entry.answers += row.answers;
      entry.failures += row.failures;
      if (row.last_error_at !== null && (entry.last_error_at ?? 0) < row.last_error_at) {
        entry.last_error = row.last_error;
        entry.last_error_at = row.last_error_at;
      }
      byProvider.set(row.provider, entry);
    }
    for (const row of summary.latency) byProvider.get(row.provider)?.histogram.push(row);
  }
  return [...byProvider.values()]
    .map(({ histogram, ...health }) => ({ ...health, median_ms: medianMs(histogram) }))
    .sort((a, b) => a.provider.localeCompare(b.provider));
}

/** Per provider, the asks of the last `windowMs` (24 hours at most: today's and yesterday's objects), by whole hours. */
export async function providerHealth(
  namespace: StatsNamespace,
  now = Date.now(),
  windowMs = DAY_MS,
): Promise<ProviderHealth[]> {
  const since = now - Math.min(windowMs, DAY_MS);
  const days = [dayOf(since), dayOf(now)];
  return healthOf(await Promise.all(days.map((day) => statsOf(namespace, day).summary(since))));
}

export async function operatorOverview(namespace: StatsNamespace, now = Date.now()) {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => dayOf(today - (OVERVIEW_DAYS - 1 - i) * DAY_MS));
  const since = now - DAY_MS;
  // Provider figures only from the last two days' objects; older days answer totals only.
  const summaries = await Promise.all(
    days.map((day, i) => statsOf(namespace, day).summary(i >= OVERVIEW_DAYS - 2 ? since : now + DAY_MS)),
  );
  const accounts = new Map<string, { account: string; micro: number; asks: number; tokens: number }>();
  for (const summary of summaries) {
    for (const row of summary.accounts) {
      const entry = accounts.get(row.account) ?? { account: row.account, micro: 0, asks: 0, tokens: 0 };
      entry.micro += row.micro;
      entry.asks += row.asks;
      entry.tokens += row.tokens;
      accounts.set(row.account, entry);
    }
  }
  return {
    periods: {
      today: totalsOf(summaries.slice(-1)),
      week: totalsOf(summaries.slice(-7)),
      month: totalsOf(summaries),
    },
    daily: summaries.map((summary, i) => ({
      day: days[i] ?? "",
      credits: creditsFromMicro(summary.totals.micro),
      tokens: summary.totals.tokens,
      calls: summary.totals.asks,
    })),
    topAccounts: [...accounts.values()]
      .sort((a, b) => b.micro - a.micro || b.asks - a.asks)
      .slice(0, TOP)
      .map(({ micro, ...rest }) => ({ ...rest, credits: creditsFromMicro(micro) })),
    providers: healthOf(summaries.slice(-2)),
    errors: summaries
      .slice(-2)
      .flatMap((summary) => summary.errors)
      .sort((a, b) => b.at - a.at)
      .slice(0, 20),
  };
}

export type OperatorOverview = Awaited<ReturnType<typeof operatorOverview>>;
