// The cron's retention over thousands of accounts: each tick visits its bounded slice of the
// index and resumes where the last one stopped. (Its own file: its own storage, seeded once.)
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ledgerOf } from "../../app/server/billing/ledger-client";
import { retentionTick } from "../../app/server/cron";
import { guest, indexed, scope, seedEmails } from "./retention-fixtures";

describe("retention over thousands of accounts", () => {
  it("visits RETENTION_ACCOUNTS_PER_TICK ledgers of thousands, resumes where it stopped, and retires dormant guests", async () => {
    // 60 accounts sort before the guests, 2,000 after them.
    await seedEmails("a", 60);
    await seedEmails("h", 2000);
    const dormant = [await guest("dormant-one-0001", 0, 40), await guest("dormant-two-0002", 0, 31)];
    const recent = await guest("recent-guest-0003", 0, 2);
    const funded = await guest("funded-guest-0004", 5_000_000, 90);
    const vars = { RETENTION_ACCOUNTS_PER_TICK: "50", GUEST_RETENTION_DAYS: "30" };

    const started = performance.now();
    const first = await retentionTick(scope(vars));
    const firstMs = performance.now() - started;
    expect(first.usage).toMatchObject({ accounts: 50, retired: 0, cursor: true });
    for (const account of dormant) expect(await indexed(account)).toBe(true);

    const second = await retentionTick(scope(vars));
    expect(second.usage).toMatchObject({ accounts: 50, retired: 2, cursor: true });
    for (const account of dormant) expect(await indexed(account)).toBe(false);
    for (const account of [recent, funded]) expect(await indexed(account)).toBe(true);
    // The ledgers themselves are untouched.
    const view = await ledgerOf(env.LEDGER, funded).balance({ account: funded, kind: "guest" });
    expect(view.balance).toBe(5_000_000);
    // One tick's work does not grow with the index: 50 ledgers of 2,064, in well under 5 s.
    expect(firstMs).toBeLessThan(5000);
  }, 120_000);
});
