import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CreditLedger } from "../../app/server/billing/ledger";
import type { AccountRef } from "../../app/server/billing/types";
import {
  adminHeaders,
  balanceOf,
  call,
  callWith,
  expectEnvelope,
  grant,
  onBehalfOf,
  postJson,
  uniqueEmail,
} from "./helpers";

const MICRO = 1_000_000;

function ledger(account: string) {
  return env.LEDGER.get(env.LEDGER.idFromName(`acct:${account}`));
}

function emailRef(label = "ledger"): AccountRef {
  return { account: uniqueEmail(label), kind: "email" };
}

const usage = (requestId: string) => ({
  provider: "openai",
  model: "gpt-4o-mini",
  tokensIn: 10,
  tokensOut: 10,
  estimated: false,
  requestId,
  outcome: "complete" as const,
});

/** One full call: hold `cost`, then settle `cost`. */
async function call1(stub: DurableObjectStub<CreditLedger>, ref: AccountRef, cost: number, i: number) {
  const holdId = `hold-${i}-${crypto.randomUUID()}`;
  const held = await stub.reserve(ref, {
    holdId,
    minimumMicro: cost,
    worstMicro: cost,
    requestId: `r${i}`,
    idempotent: false,
  });
  if (held.status !== "held") return held.status;
  await stub.settle(ref, { holdId, costMicro: cost, usage: usage(`r${i}`) });
  return "settled";
}

async function expectInvariant(stub: DurableObjectStub<CreditLedger>, ref: AccountRef) {
  const view = await stub.balance(ref);
  const audit = await stub.audit();
  expect(view.balance).toBeGreaterThanOrEqual(0);
  expect(view.balance).toBe(view.granted + view.adjusted - view.spent);
  expect(audit.recordedUsage).toBe(view.spent);
  expect(audit.recordedAdjustments).toBe(view.adjusted);
  expect(audit.recordedGrants).toBe(view.granted);
  expect(audit.openHolds).toBe(view.held);
  return view;
}

describe("the credit ledger", () => {
  it("lets exactly the affordable calls through when 100 race for a balance that pays for 30", async () => {
    const ref = emailRef("race");
    const stub = ledger(ref.account);
    const cost = 12_345;
    await stub.adjust(ref, { set: cost * 30, actor: "test" });
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => call1(stub, ref, cost, i)));
    expect(outcomes.filter((o) => o === "settled")).toHaveLength(30);
    expect(outcomes.filter((o) => o === "insufficient")).toHaveLength(70);
    const view = await expectInvariant(stub, ref);
    expect(view.balance).toBe(0);
    expect(view.spent).toBe(cost * 30);
    expect(view.held).toBe(0);
  });

  it("keeps the invariant when adjustments land while calls are in flight", async () => {
    const ref = emailRef("adjust-race");
    const stub = ledger(ref.account);
    await stub.adjust(ref, { set: 500_000, actor: "test" });
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      work.push(call1(stub, ref, 20_000 + i, i));
      if (i % 6 === 0) work.push(stub.adjust(ref, { delta: i % 12 === 0 ? 100_000 : -50_000, actor: "test" }));
    }
    await Promise.all(work);
    await expectInvariant(stub, ref);
  });

  it("charges a settle replayed with the same hold once", async () => {
    const ref = emailRef("replay");
    const stub = ledger(ref.account);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    const held = await stub.reserve(ref, {
      holdId: "h1",
      minimumMicro: 1000,
      worstMicro: 5000,
      requestId: "r",
      idempotent: true,
    });
    expect(held.status).toBe("held");
    const again = await stub.reserve(ref, {
      holdId: "h1",
      minimumMicro: 1000,
      worstMicro: 5000,
      requestId: "r",
      idempotent: true,
    });
    expect(again.status).toBe("in_progress");
    const first = await stub.settle(ref, { holdId: "h1", costMicro: 3000, usage: usage("r") });
    const second = await stub.settle(ref, { holdId: "h1", costMicro: 3000, usage: usage("r") });
    expect(second).toEqual(first);
    const view = await expectInvariant(stub, ref);
    expect(view.balance).toBe(MICRO - 3000);
  });

  it("applies an adjustment replayed with the same key once", async () => {
    const ref = emailRef("adjust-key");
    const stub = ledger(ref.account);
    const a = await stub.adjust(ref, { delta: 7 * MICRO, actor: "test", key: "k-1" });
    const b = await stub.adjust(ref, { delta: 7 * MICRO, actor: "test", key: "k-1" });
    expect(a.status).toBe("applied");
    expect(b).toMatchObject({ status: "applied", balance: 7 * MICRO, replayed: true });
    expect((await stub.adjust(ref, { delta: 1, actor: "test", key: "k-1" })).status).toBe("key_reused");
    expect((await expectInvariant(stub, ref)).balance).toBe(7 * MICRO);
  });

  it("returns the whole hold when a call fails", async () => {
    const ref = emailRef("release");
    const stub = ledger(ref.account);
    await stub.adjust(ref, { set: 10_000, actor: "test" });
    await stub.reserve(ref, { holdId: "h", minimumMicro: 100, worstMicro: 8000, requestId: "r", idempotent: false });
    expect((await stub.balance(ref)).held).toBe(8000);
    expect(await stub.release("h")).toEqual({ released: 8000 });
    expect(await stub.release("h")).toEqual({ released: 0 });
    const view = await expectInvariant(stub, ref);
    expect(view).toMatchObject({ balance: 10_000, held: 0, spent: 0 });
  });

  it("returns holds whose calls never came back", async () => {
    const ref = emailRef("expiry");
    const stub = ledger(ref.account);
    await stub.adjust(ref, { set: 10_000, actor: "test" });
    await stub.reserve(ref, { holdId: "lost", minimumMicro: 1, worstMicro: 9000, requestId: "r", idempotent: false });
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE holds SET expires_at = 0");
    });
    expect((await stub.balance(ref)).held).toBe(0);
    await expectInvariant(stub, ref);
  });

  it("never charges past the hold plus unheld funds, so the balance cannot go negative", async () => {
    const ref = emailRef("overrun");
    const stub = ledger(ref.account);
    await stub.adjust(ref, { set: 10_000, actor: "test" });
    await stub.reserve(ref, { holdId: "a", minimumMicro: 1, worstMicro: 6000, requestId: "a", idempotent: false });
    await stub.reserve(ref, { holdId: "b", minimumMicro: 1, worstMicro: 4000, requestId: "b", idempotent: false });
    // Call a used far more than it held; call b's hold must stay covered.
    const a = await stub.settle(ref, { holdId: "a", costMicro: 50_000, usage: usage("a") });
    expect(a.chargedMicro).toBe(6000);
    const b = await stub.settle(ref, { holdId: "b", costMicro: 4000, usage: usage("b") });
    expect(b.chargedMicro).toBe(4000);
    expect((await expectInvariant(stub, ref)).balance).toBe(0);
  });

  it("grants guests their opening credits once per guest id, and new accounts NEW_ACCOUNT_CREDITS", async () => {
    const guest: AccountRef = { account: `guest:${crypto.randomUUID().replace(/-/g, "")}`, kind: "guest" };
    const stub = ledger(guest.account);
    expect((await stub.balance(guest)).balance).toBe(1 * MICRO);
    await call1(stub, guest, 400_000, 1);
    await call1(stub, guest, 400_000, 2);
    const view = await expectInvariant(stub, guest);
    expect(view).toMatchObject({ granted: MICRO, balance: 200_000 });
    const fresh = emailRef("fresh");
    expect((await ledger(fresh.account).balance(fresh)).balance).toBe(0);
  });

  it("keeps the account index in KV for the dashboard", async () => {
    const ref = emailRef("indexed");
    const stub = ledger(ref.account);
    await stub.adjust(ref, { set: 3 * MICRO, actor: "test" });
    await runDurableObjectAlarm(stub);
    const stored = await env.KV_BILLING.get<{ balance: number; kind: string }>(`acct:${ref.account}`, "json");
    expect(stored).toMatchObject({ balance: 3 * MICRO, kind: "email" });
    const search = await call(`/api/admin/accounts?q=${ref.account.slice(0, 12)}`, { headers: adminHeaders() });
    const found = await search.json<{ accounts: Array<{ account: string; balance: number }> }>();
    expect(found.accounts).toContainEqual(expect.objectContaining({ account: ref.account, balance: 3 }));
  });
});

describe("GET /api/credits", () => {
  it.each(["/api/credits", "/credits", "/api/v1/credits"])("%s shows the caller's balance", async (path) => {
    const email = uniqueEmail("reader");
    await grant(email, 2.5);
    const response = await call(`${path}?email=${email}`, { headers: onBehalfOf() });
    expect(await response.json()).toMatchObject({ ok: true, account: email, balance: 2.5, available: 2.5, held: 0 });
  });

  it("answers 401 without an identity", async () => {
    await expectEnvelope(await call("/api/credits"), 401, "unauthorized");
  });
});

describe("POST /api/credits/adjust", () => {
  it("sets or moves a balance and answers the new and previous balance", async () => {
    const email = uniqueEmail("adjusted");
    const set = await postJson("/api/credits/adjust", { email, set: 10, reason: "welcome" }, adminHeaders());
    expect(await set.json()).toMatchObject({ ok: true, email, previous: 0, balance: 10 });
    const delta = await postJson("/api/credits/adjust", { email: email.toUpperCase(), delta: -2.25 }, adminHeaders());
    expect(await delta.json()).toMatchObject({ previous: 10, balance: 7.75 });
    expect(await balanceOf(email)).toMatchObject({ balance: 7.75 });
  });

  it("refuses a change that would take the balance below zero with 409", async () => {
    const email = uniqueEmail("floor");
    await grant(email, 1);
    const response = await postJson("/api/credits/adjust", { email, delta: -1.5 }, adminHeaders());
    const body = await expectEnvelope(response, 409, "balance_would_be_negative");
    expect(body.error).toMatchObject({ balance: 1 });
    expect(await balanceOf(email)).toMatchObject({ balance: 1 });
  });

  it("applies a retried request with the same Idempotency-Key once", async () => {
    const email = uniqueEmail("retry");
    const headers = adminHeaders({ "Idempotency-Key": `grant-${crypto.randomUUID()}` });
    await postJson("/api/credits/adjust", { email, delta: 5 }, headers);
    const again = await postJson("/api/credits/adjust", { email, delta: 5 }, headers);
    expect(await again.json()).toMatchObject({ balance: 5, replayed: true });
    expect(await balanceOf(email)).toMatchObject({ balance: 5 });
  });

  const bad: Array<[string, string]> = [
    ["a missing email", JSON.stringify({ delta: 1 })],
    ["an invalid email", JSON.stringify({ email: "nobody", delta: 1 })],
    ["both set and delta", JSON.stringify({ email: "a@example.com", set: 1, delta: 1 })],
    ["neither set nor delta", JSON.stringify({ email: "a@example.com" })],
    ["a string for a number", JSON.stringify({ email: "a@example.com", delta: "5" })],
    ["NaN", '{"email":"a@example.com","delta":NaN}'],
    ["Infinity", '{"email":"a@example.com","set":Infinity}'],
    ["a huge number", JSON.stringify({ email: "a@example.com", delta: 1e300 })],
    ["a negative set", JSON.stringify({ email: "a@example.com", set: -1 })],
    ["more than six decimals", JSON.stringify({ email: "a@example.com", delta: 0.0000001 })],
    ["an unknown field", JSON.stringify({ email: "a@example.com", delta: 1, force: true })],
    ["an array", "[]"],
    ["null", "null"],
    ["an over-long reason", JSON.stringify({ email: "a@example.com", delta: 1, reason: "x".repeat(501) })],
    ["a malformed Idempotency-Key", JSON.stringify({ email: "a@example.com", delta: 1 })],
  ];

  it.each(bad)("answers %s with 400 and changes nothing", async (name, body) => {
    const headers = adminHeaders(name === "a malformed Idempotency-Key" ? { "Idempotency-Key": "spaces are bad" } : {});
    const response = await call("/api/credits/adjust", { method: "POST", headers, body });
    expect(response.status).toBe(400);
    await expectEnvelope(response, 400);
    expect(await balanceOf("a@example.com")).toMatchObject({ balance: 0 });
  });

  it("is admin-only", async () => {
    const response = await postJson("/api/credits/adjust", { email: "a@example.com", delta: 100 });
    await expectEnvelope(response, 401, "admin_key_required");
  });
});

describe("the usage feed", () => {
  async function seeded(count: number) {
    const ref = emailRef("feed");
    const stub = ledger(ref.account);
    await stub.adjust(ref, { set: MICRO, actor: "admin:test", reason: "seed" });
    for (let i = 0; i < count; i++) await call1(stub, ref, 1000 + i, i);
    return ref.account;
  }

  it.each(["/api/billing/usage", "/api/usage", "/usage", "/api/v1/usage", "/api/v1/billing/usage"])(
    "%s lists the caller's records newest first",
    async (path) => {
      const email = await seeded(3);
      const response = await call(`${path}?email=${email}`, { headers: onBehalfOf() });
      const body = await response.json<{ records: Array<{ kind: string; credits: number; request_id: string }> }>();
      expect(body.records.map((r) => r.kind)).toEqual(["usage", "usage", "usage", "adjustment"]);
      expect(body.records[0]).toMatchObject({ credits: 0.001002, request_id: "r2" });
      expect(body.records[3]).toMatchObject({ credits: 1 });
    },
  );

  it("pages with limit and cursor, and filters by kind", async () => {
    const email = await seeded(25);
    const first = await (await call(`/api/usage?email=${email}`, { headers: onBehalfOf() })).json<{
      records: unknown[];
      next_cursor: string;
    }>();
    expect(first.records).toHaveLength(20);
    const second = await (
      await call(`/api/usage?email=${email}&cursor=${first.next_cursor}`, { headers: onBehalfOf() })
    ).json<{
      records: unknown[];
      next_cursor: string | null;
    }>();
    expect(second.records).toHaveLength(6);
    expect(second.next_cursor).toBeNull();
    const posted = await postJson("/api/usage", { limit: 5, kind: "adjustment" }, onBehalfOf(email));
    const adjustments = await posted.json<{ records: Array<{ kind: string; actor: string; reason: string }> }>();
    expect(adjustments.records).toEqual([
      expect.objectContaining({ kind: "adjustment", actor: "admin:test", reason: "seed" }),
    ]);
  });

  it("filters by since and until", async () => {
    const email = await seeded(2);
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await (await call(`/api/usage?email=${email}&since=${future}`, { headers: onBehalfOf() })).json<{
      records: unknown[];
    }>();
    expect(none.records).toHaveLength(0);
    const all = await (await call(`/api/usage?email=${email}&until=${future}`, { headers: onBehalfOf() })).json<{
      records: unknown[];
    }>();
    expect(all.records).toHaveLength(3);
  });

  it.each([
    ["limit=0"],
    ["limit=101"],
    ["limit=99999999999"],
    ["limit=ten"],
    ["cursor=%%%"],
    ["cursor=bm90LWEtY3Vyc29y"],
    ["since=yesterday"],
    [`since=${new Date().toISOString()}&until=2000-01-01T00:00:00Z`],
    ["kind=refund"],
  ])("answers %s with 400", async (query) => {
    await expectEnvelope(
      await call(`/api/usage?email=a@example.com&${query}`, { headers: onBehalfOf() }),
      400,
      "invalid_request",
    );
  });

  it("answers a POST body of the wrong shape with 400", async () => {
    const headers = onBehalfOf("a@example.com");
    await expectEnvelope(await postJson("/api/usage", { limit: "lots" }, headers), 400);
    await expectEnvelope(await postJson("/api/usage", [1, 2], headers), 400);
  });
});

describe("admin account reads", () => {
  it("shows one account with its usage and 30 daily totals", async () => {
    const ref = emailRef("detail");
    const stub = ledger(ref.account);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    await call1(stub, ref, 50_000, 1);
    const response = await call(`/api/admin/accounts/${encodeURIComponent(ref.account)}?limit=5`, {
      headers: adminHeaders(),
    });
    const body = await response.json<{
      balance: number;
      daily: Array<{ day: string; credits: number; tokens: number; calls: number }>;
      usage: { records: unknown[] };
    }>();
    expect(body.balance).toBe(0.95);
    expect(body.daily).toHaveLength(30);
    expect(body.daily.at(-1)).toMatchObject({
      day: new Date().toISOString().slice(0, 10),
      credits: 0.05,
      tokens: 20,
      calls: 1,
    });
    expect(body.usage.records).toHaveLength(2);
  });

  it("is admin-only and validates its input", async () => {
    await expectEnvelope(await call("/api/admin/accounts"), 401);
    await expectEnvelope(await call("/api/admin/accounts?limit=1000", { headers: adminHeaders() }), 400);
    await expectEnvelope(await call("/api/admin/accounts/not%20an%20email", { headers: adminHeaders() }), 400);
    const disabled = await callWith({ ADMIN_API_KEY: "" }, "/api/admin/accounts", { headers: adminHeaders() });
    await expectEnvelope(disabled, 503, "admin_disabled");
  });
});
