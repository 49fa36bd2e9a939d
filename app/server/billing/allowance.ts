// ALLOWANCE (issue 16): the cron tops every active account of a configured kind up to its level
// once per period (day, week or month, UTC). The ledger remembers `allowance:<kind>:<period>` in
// the transaction that credits, so a cron that runs twice — or two crons at once — credits once.
// Active: seen (asked, was charged or credited) since the start of the previous period.
import type { Config } from "../config";
import { everyIndexedAccount } from "./account-walk";
import { type LedgerNamespace, ledgerOf } from "./ledger-client";

type Every = "day" | "week" | "month";
const DAY_MS = 86_400_000;
const BATCH = 10;

function startOf(every: Every, now: number): number {
  const date = new Date(now);
  if (every === "month") return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  if (every === "day") return day;
  // ISO weeks start on Monday.
  return day - ((date.getUTCDay() + 6) % 7) * DAY_MS;
}

/** The period `now` falls in: 2026-11-28, 2026-W48 (ISO week), 2026-11. */
export function periodOf(every: Every, now: number): string {
  const start = new Date(startOf(every, now));
  if (every === "day") return start.toISOString().slice(0, 10);
  if (every === "month") return start.toISOString().slice(0, 7);
  // The ISO week's year is the year of its Thursday.
  const thursday = new Date(start.getTime() + 3 * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / DAY_MS / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** The start of the period before the one `now` falls in. */
export function previousPeriodStart(every: Every, now: number): number {
  return startOf(every, startOf(every, now) - 1);
}

export async function grantAllowances(
  config: Pick<Config, "allowances">,
  bindings: { LEDGER: LedgerNamespace; KV_BILLING: KVNamespace },
  now = Date.now(),
) {
  let checked = 0;
  let applied = 0;
  if (!config.allowances.email && !config.allowances.guest) return { checked, applied };
  let batch: Array<Promise<void>> = [];
  for await (const summary of everyIndexedAccount(bindings.KV_BILLING)) {
    const rule = config.allowances[summary.kind];
    if (!rule || (summary.last_seen ?? 0) < previousPeriodStart(rule.every, now)) continue;
    checked += 1;
    const ref = { account: summary.account, kind: summary.kind };
    const period = `${summary.kind}:${periodOf(rule.every, now)}`;
    batch.push(
      ledgerOf(bindings.LEDGER, summary.account)
        .allowance(ref, { period, levelMicro: rule.levelMicro })
        .then((result) => {
          if (result.status === "applied") applied += 1;
        }),
    );
    if (batch.length >= BATCH) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  return { checked, applied };
}
