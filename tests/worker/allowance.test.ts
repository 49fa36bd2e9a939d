// ALLOWANCE: the cron tops active accounts up to a level once per period, however often it runs.
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { grantAllowances, periodOf } from "../../app/server/billing/allowance";
import { ledgerOf } from "../../app/server/billing/ledger-client";
import { parseConfig } from "../../app/server/config";
import { adminHeaders, balanceOf, call, grant, uniqueEmail } from "./helpers";

const config = parseConfig({ ALLOWANCE: JSON.stringify({ email: { credits: 5, every: "month" } }) });

async function indexed(email: string, credits: number) {
  await grant(email, credits);
  await runDurableObjectAlarm(ledgerOf(env.LEDGER, email));
}

async function allowanceRecords(email: string) {
  const response = await call(`/api/billing/usage?kind=allowance&email=${encodeURIComponent(email)}`, {
    headers: adminHeaders(),
  });
  return (await response.json<{ records: Array<Record<string, unknown>> }>()).records;
}

describe("periods", () => {
  it("are UTC days, ISO weeks and months", () => {
    const at = Date.UTC(2026, 10, 28, 23, 59);
    expect(periodOf("day", at)).toBe("2026-11-28");
    expect(periodOf("week", at)).toBe("2026-W48");
    expect(periodOf("month", at)).toBe("2026-11");
    // 1 January 2021 was a Friday: still the last ISO week of 2020.
    expect(periodOf("week", Date.UTC(2021, 0, 1))).toBe("2020-W53");
  });
});

describe("ALLOWANCE", () => {
  it("is parsed into micro-credits and refused by name when malformed", () => {
    expect(config.allowances.email).toEqual({ levelMicro: 5_000_000, every: "month" });
    expect(parseConfig({ ALLOWANCE: '{"email":{"credits":5,"every":"fortnight"}}' }).problems[0]?.name).toBe(
      "ALLOWANCE",
    );
  });

  it("tops an active account up to the level once per period, even when the cron runs at once three times", async () => {
    const email = uniqueEmail("allow");
    await indexed(email, 1.25);
    const now = Date.now();
    await Promise.all([1, 2, 3].map(() => grantAllowances(config, env, now)));
    await grantAllowances(config, env, now);
    expect((await balanceOf(email)).balance).toBe(5);
    const records = await allowanceRecords(email);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: "allowance", credits: 3.75, ref: `email:${periodOf("month", now)}` });
  });

  it("tops up again the next period, and never lowers a balance above the level", async () => {
    const rich = uniqueEmail("rich");
    const poor = uniqueEmail("poor");
    await indexed(rich, 9);
    await indexed(poor, 0);
    const now = Date.now();
    await grantAllowances(config, env, now);
    await grant(poor, 2);
    await grantAllowances(config, env, now);
    expect((await balanceOf(poor)).balance).toBe(2);
    await grantAllowances(config, env, now + 32 * 86_400_000);
    expect((await balanceOf(poor)).balance).toBe(5);
    expect((await balanceOf(rich)).balance).toBe(9);
    expect(await allowanceRecords(rich)).toEqual([]);
  });

  it("skips accounts not seen since the previous period began", async () => {
    const email = uniqueEmail("idle");
    await indexed(email, 0);
    await grantAllowances(config, env, Date.now() + 70 * 86_400_000);
    expect((await balanceOf(email)).balance).toBe(0);
  });
});
