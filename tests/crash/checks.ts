// What the harness asserts about an account, and the running tally of checks.
import type { AccountView, UsageRecord } from "./client.ts";

export const micro = (credits: number) => Math.round(credits * 1_000_000);

export class Tally {
  passed = 0;
  readonly failures: string[] = [];

  check(ok: boolean, what: string): boolean {
    if (ok) this.passed += 1;
    else {
      this.failures.push(what);
      console.log(`  FAIL ${what}`);
    }
    return ok;
  }
}

export const usageOf = (view: AccountView): UsageRecord[] => view.usage.records.filter((r) => r.kind === "usage");

/**
 * The ledger's invariant, from the outside: balance = granted + adjusted − spent ≥ 0, nothing
 * held, and the records add up to the counters.
 */
export function checkLedger(tally: Tally, label: string, view: AccountView): void {
  const { granted, adjusted, spent } = view.totals;
  tally.check(view.held === 0, `${label}: nothing held (held ${view.held})`);
  tally.check(view.balance >= 0, `${label}: balance ${view.balance} is not negative`);
  tally.check(
    micro(view.balance) === micro(granted) + micro(adjusted) - micro(spent),
    `${label}: balance ${view.balance} = granted ${granted} + adjusted ${adjusted} − spent ${spent}`,
  );
  const sum = (kind: string) =>
    view.usage.records.filter((r) => r.kind === kind).reduce((total, r) => total + micro(r.credits), 0);
  tally.check(sum("usage") === micro(spent), `${label}: usage records add up to spent ${spent}`);
  tally.check(sum("grant") === micro(granted), `${label}: grant records add up to granted ${granted}`);
}
