// The cron's retention: a bounded slice of the account index per tick, resumed from a cursor,
// with dormant guests leaving the index.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ledgerOf } from "../../app/server/billing/ledger-client";
import { RETENTION_STATE_KEY, retentionTick } from "../../app/server/cron";
import { DAY, guest, index, indexed, scope, seedEmails, wipeIndex } from "./retention-fixtures";

describe("retention per cron tick", () => {
  it("starts over once a walk reaches the end of the index", async () => {
    await wipeIndex();
    await seedEmails("w", 3);
    const vars = { RETENTION_ACCOUNTS_PER_TICK: "2" };
    expect((await retentionTick(scope(vars))).usage).toMatchObject({ accounts: 2, cursor: true });
    expect((await retentionTick(scope(vars))).usage).toMatchObject({ accounts: 1, cursor: false });
    expect((await retentionTick(scope(vars))).usage).toMatchObject({ accounts: 2, cursor: true });
  });

  it("starts over when the stored cursor is no longer usable", async () => {
    await wipeIndex();
    await seedEmails("c", 3);
    await env.KV_BILLING.put(RETENTION_STATE_KEY, JSON.stringify({ usage: "not-a-cursor", jobs: "nor-this" }));
    const vars = { RETENTION_ACCOUNTS_PER_TICK: "10" };
    // KV either refuses the cursor (the walk starts over at once) or lists nothing from it
    // (the walk ends, and starts over next tick).
    const first = await retentionTick(scope(vars));
    expect(first.usage.cursor).toBe(false);
    const visited = first.usage.accounts === 3 ? first : await retentionTick(scope(vars));
    expect(visited.usage).toMatchObject({ accounts: 3, cursor: false });
  });

  it("retires only guests with no balance, nothing held and no activity for GUEST_RETENTION_DAYS", async () => {
    await wipeIndex();
    const vars = { RETENTION_ACCOUNTS_PER_TICK: "100", GUEST_RETENTION_DAYS: "30" };
    const dormant = await guest("dormant-guest-0001", 0, 31);
    const recent = await guest("recent-guest-0002", 0, 29);
    const funded = await guest("funded-guest-0003", 1, 90);
    const holding = await guest("holding-guest-0004", 0, 60);
    // A hold in flight keeps the account, whatever its age.
    const ref = { account: holding, kind: "guest" as const };
    const stub = ledgerOf(env.LEDGER, holding);
    await stub.adjust(ref, { set: 100, actor: "test" });
    await stub.reserve(ref, { holdId: "h1", minimumMicro: 100, worstMicro: 100, requestId: "h1", idempotent: false });
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE account SET last_seen = ?, balance = balance", Date.now() - 60 * DAY);
    });
    const email = "old-email@example.com";
    const seen = Date.now() - 400 * DAY;
    await index({ account: email, kind: "email", created_at: seen, last_seen: seen, balance: 0, spent: 0 });

    const dry = await retentionTick(scope(vars));
    expect(dry.usage).toMatchObject({ accounts: 5, retired: 1 });
    expect(await indexed(dormant)).toBe(false);
    for (const account of [recent, funded, holding, email]) expect(await indexed(account)).toBe(true);
  });
});
