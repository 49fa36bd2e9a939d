// Holds that resolve on their own (issue 18), what an ask is charged (issue 15), and prices
// (issue 16): the ledger's alarm, start-up, progress, late settles and idempotency keys, then the
// same over HTTP.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CreditLedger } from "../../app/server/billing/ledger";
import type { AccountRef, ReserveInput } from "../../app/server/billing/types";
import {
  adminHeaders,
  balanceOf,
  call,
  callWith,
  expectEnvelope,
  grant,
  onBehalfOf,
  postJson,
  readEvents,
  uniqueEmail,
  upstream,
  upstreamLog,
  usageOf,
} from "./helpers";

const MICRO = 1_000_000;
const PRICE = 50_000; // CREDIT_PER_1K 0.05, in micro-credits per 1K tokens

function account(label = "holds"): AccountRef {
  return { account: uniqueEmail(label), kind: "email" };
}
const ledger = (ref: AccountRef) => env.LEDGER.get(env.LEDGER.idFromName(`acct:${ref.account}`));

function hold(id: string, extra: Partial<ReserveInput> = {}): ReserveInput {
  return {
    holdId: id,
    minimumMicro: 1000,
    worstMicro: 100_000,
    requestId: `req-${id}`,
    provider: "openai",
    model: "gpt-4o-mini",
    priceIn: PRICE,
    priceOut: PRICE,
    tokensInEst: 40, // 2,000 micro at the price
    ...extra,
  };
}

const usage = (outcome: "complete" | "partial" = "complete") => ({
  provider: "openai",
  model: "gpt-4o-mini",
  tokensIn: 40,
  tokensOut: 60,
  estimated: false,
  requestId: "r",
  outcome,
});

async function expectInvariant(ref: AccountRef) {
  const stub = ledger(ref);
  const view = await stub.balance(ref);
  const audit = await stub.audit();
  expect(view.balance).toBe(view.granted + view.adjusted - view.spent);
  expect(audit.recordedUsage).toBe(view.spent);
  expect(audit.openHolds).toBe(view.held);
  return view;
}

const records = (ref: AccountRef) =>
  runInDurableObject(ledger(ref), (_i, state) =>
    state.storage.sql.exec("SELECT * FROM records WHERE kind = 'usage' ORDER BY seq").toArray(),
  );

describe("holds that resolve on their own", () => {
  it("expire LLM_DEADLINE_MS + HOLD_GRACE_MS after they are taken", async () => {
    const ref = account();
    await ledger(ref).adjust(ref, { set: MICRO, actor: "test" });
    await ledger(ref).reserve(ref, hold("h", { expiresAt: undefined }));
    const row = await runInDurableObject(ledger(ref), (_i, state) =>
      state.storage.sql.exec<{ created_at: number; expires_at: number }>("SELECT * FROM holds").one(),
    );
    expect(row.expires_at - row.created_at).toBe(6000 + 60_000);
  });

  it("are charged at least the prompt's estimate by the alarm, with an interrupted record, and free their key", async () => {
    const ref = account();
    const stub = ledger(ref);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    const held = await stub.reserve(
      ref,
      hold("lost", { idemKey: "retry-me", fingerprint: "f", expiresAt: Date.now() + 50 }),
    );
    expect(held.status).toBe("held");
    expect((await stub.reserve(ref, hold("again", { idemKey: "retry-me", fingerprint: "f" }))).status).toBe(
      "in_progress",
    );
    // The alarm is due at the hold's expiry; pushed back, it cannot fire on its own before the
    // test runs it (a race on a loaded machine), and it still finds the hold due.
    await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now() + 60_000));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const view = await expectInvariant(ref);
    expect(view).toMatchObject({ held: 0, spent: 2000, balance: MICRO - 2000 });
    expect((await records(ref))[0]).toMatchObject({
      outcome: "interrupted",
      micro: 2000,
      tokens_in: 40,
      tokens_out: 0,
      estimated: 1,
      request_id: "req-lost",
      provider: "openai",
    });
    // The retry with the same Idempotency-Key runs again, once.
    expect((await stub.reserve(ref, hold("retry", { idemKey: "retry-me", fingerprint: "f" }))).status).toBe("held");
  });

  it("are expired by the next hold once due, even one placed after a later hold (the ledger looks only then)", async () => {
    const ref = account();
    const stub = ledger(ref);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    // A long hold first, then a short one: the short one's expiry is the soonest.
    expect((await stub.reserve(ref, hold("long"))).status).toBe("held");
    expect((await stub.reserve(ref, hold("short", { expiresAt: Date.now() + 1000 }))).status).toBe("held");
    expect((await stub.reserve(ref, hold("early"))).status).toBe("held");
    // No alarm runs here: the next hold must find the short one due and charge it first.
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAlarm());
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await stub.reserve(ref, hold("next"))).status).toBe("held");
    const states = await runInDurableObject(stub, (_i, state) =>
      state.storage.sql.exec<{ id: string; state: string }>("SELECT id, state FROM holds ORDER BY id").toArray(),
    );
    expect(Object.fromEntries(states.map((row) => [row.id, row.state]))).toEqual({
      early: "open",
      long: "open",
      next: "open",
      short: "expired",
    });
    expect((await records(ref)).map((record) => record.outcome)).toEqual(["interrupted"]);
    await expectInvariant(ref);
  });

  it("apply settles carried on a hold in order, each from the balance the one before left", async () => {
    const ref = account();
    const stub = ledger(ref);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    for (const id of ["a", "b", "c"]) expect((await stub.reserve(ref, hold(id))).status).toBe("held");
    const settle = (holdId: string, costMicro: number) => ({ holdId, costMicro, usage: usage() });
    const held = await stub.reserve(ref, {
      ...hold("d"),
      settles: [settle("a", 1000), settle("b", 2000), settle("c", 3000), settle("a", 9999)],
    });
    // The fourth settle repeats the first: charged once.
    expect(held).toMatchObject({ status: "held", heldMicro: 100_000, balance: MICRO - 6000 });
    expect((await records(ref)).map((record) => [record.micro, record.balance_after])).toEqual([
      [1000, MICRO - 1000],
      [2000, MICRO - 3000],
      [3000, MICRO - 6000],
    ]);
    expect(await expectInvariant(ref)).toMatchObject({ held: 100_000, spent: 6000 });
  });

  it("are charged for what a stream last reported delivered", async () => {
    const ref = account();
    const stub = ledger(ref);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    await stub.reserve(ref, hold("stream"));
    await stub.progress("stream", {
      provider: "groq",
      model: "llama",
      priceIn: PRICE,
      priceOut: 2 * PRICE,
      delivered: 30,
    });
    await stub.progress("stream", {
      provider: "groq",
      model: "llama",
      priceIn: PRICE,
      priceOut: 2 * PRICE,
      delivered: 10,
    });
    await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("UPDATE holds SET expires_at = 0"));
    await runDurableObjectAlarm(stub);
    const [record] = await records(ref);
    // 40 in at 50,000 and 30 out (the most reported) at 100,000 per 1K.
    expect(record).toMatchObject({ outcome: "interrupted", micro: 2000 + 3000, tokens_out: 30, provider: "groq" });
    await expectInvariant(ref);
  });

  it("charge a settle that arrives after its hold expired for the difference, as a late record", async () => {
    const ref = account();
    const stub = ledger(ref);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    await stub.reserve(ref, hold("slow", { idemKey: "k-slow", fingerprint: "f" }));
    await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("UPDATE holds SET expires_at = 0"));
    await runDurableObjectAlarm(stub);
    const late = await stub.settle(ref, { holdId: "slow", costMicro: 5000, usage: usage(), outcome: '{"text":"hi"}' });
    expect(late.chargedMicro).toBe(5000);
    expect((await records(ref)).map((r) => [r.outcome, r.micro])).toEqual([
      ["interrupted", 2000],
      ["late", 3000],
    ]);
    // Settled again: the stored result, charged once.
    expect(await stub.settle(ref, { holdId: "slow", costMicro: 5000, usage: usage() })).toEqual(late);
    // The complete answer arrived with its charge: the key replays it.
    const replay = await stub.reserve(ref, hold("other", { idemKey: "k-slow", fingerprint: "f" }));
    expect(replay).toEqual({ status: "replay", result: '{"text":"hi"}' });
    expect((await expectInvariant(ref)).spent).toBe(5000);
  });

  it("keep the answer with its charge, so a charged ask always replays; a partial one lets its key run again", async () => {
    const ref = account();
    const stub = ledger(ref);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    await stub.reserve(ref, hold("done", { idemKey: "k1", fingerprint: "f" }));
    await stub.settle(ref, { holdId: "done", costMicro: 3000, usage: usage(), outcome: '{"text":"answer"}' });
    expect(await stub.reserve(ref, hold("x", { idemKey: "k1", fingerprint: "f" }))).toEqual({
      status: "replay",
      result: '{"text":"answer"}',
    });
    expect((await stub.reserve(ref, hold("y", { idemKey: "k1", fingerprint: "g" }))).status).toBe("key_reused");
    await stub.reserve(ref, hold("cut", { idemKey: "k2", fingerprint: "f" }));
    await stub.settle(ref, { holdId: "cut", costMicro: 1000, usage: usage("partial") });
    expect((await stub.reserve(ref, hold("cut-again", { idemKey: "k2", fingerprint: "f" }))).status).toBe("held");
    await stub.reserve(ref, hold("failed", { idemKey: "k3" }));
    await stub.release("failed");
    expect((await stub.reserve(ref, hold("failed-again", { idemKey: "k3" }))).status).toBe("held");
  });

  it("are resolved when the ledger starts again after a crash, and an alarm is set for the rest", async () => {
    const ref = account();
    const stub = ledger(ref);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    await stub.reserve(ref, hold("due"));
    await stub.reserve(ref, hold("later"));
    await runInDurableObject(stub, async (_instance, state) => {
      state.storage.sql.exec("UPDATE holds SET expires_at = 0 WHERE id = 'due'");
      await state.storage.deleteAlarm();
      // A new instance on the same storage is what a restarted runtime builds.
      const restarted = new CreditLedger(state, env);
      await state.blockConcurrencyWhile(async () => {});
      expect(restarted).toBeDefined();
      expect(await state.storage.getAlarm()).not.toBeNull();
      const states = state.storage.sql.exec<{ id: string; state: string }>("SELECT id, state FROM holds").toArray();
      expect(Object.fromEntries(states.map((row) => [row.id, row.state]))).toEqual({ due: "expired", later: "open" });
    });
    await expectInvariant(ref);
  });

  it("are forgotten a day after they resolved, with their idempotency keys", async () => {
    const ref = account();
    const stub = ledger(ref);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    await stub.reserve(ref, hold("old", { idemKey: "old-key" }));
    await stub.settle(ref, { holdId: "old", costMicro: 10, usage: usage() });
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("UPDATE holds SET resolved_at = 1");
      state.storage.sql.exec("UPDATE operations SET at = 1");
    });
    await runDurableObjectAlarm(stub);
    const left = await runInDurableObject(stub, (_i, state) => ({
      holds: state.storage.sql.exec("SELECT * FROM holds").toArray().length,
      keys: state.storage.sql.exec("SELECT * FROM operations WHERE key LIKE 'ask:%'").toArray().length,
    }));
    expect(left).toEqual({ holds: 0, keys: 0 });
  });

  it("count asks per account per minute inside the hold (ACCOUNT_RATE_LIMIT)", async () => {
    const ref = account();
    const stub = ledger(ref);
    await stub.adjust(ref, { set: MICRO, actor: "test" });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await stub.reserve(ref, hold(`r${i}`, { rateLimit: 3 })));
    expect(outcomes.map((o) => o.status)).toEqual(["held", "held", "held", "rate_limited"]);
    expect(outcomes[3]).toMatchObject({ retryAfterSec: expect.any(Number) });
  });
});

describe("what an ask is charged (over HTTP)", () => {
  it("sends 429 rate_limited with Retry-After past ACCOUNT_RATE_LIMIT asks a minute", async () => {
    const email = uniqueEmail("busy");
    await grant(email, 5);
    const vars = { ACCOUNT_RATE_LIMIT: "2" };
    const ask = () =>
      callWith(vars, "/api/si/ask", {
        method: "POST",
        headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
        body: JSON.stringify({ prompt: "hi" }),
      });
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const limited = await ask();
    const body = await expectEnvelope(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(body.error).toMatchObject({ retry_after: expect.any(Number) });
  });

  /** Usage records in an account's ledger, read from the ledger itself (a read through the Worker would carry what is still queued). */
  const usageRecords = async (email: string) => {
    const ledgerOfEmail = env.LEDGER.get(env.LEDGER.idFromName(`acct:${email}`));
    const row = await runInDurableObject(ledgerOfEmail, (_i, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM records WHERE kind = 'usage'").one(),
    );
    return row.n;
  };
  /** Three asks in a row (within a second: a busy account), each answered. */
  const askThreeTimes = async (email: string) => {
    for (let i = 1; i <= 3; i++) {
      const answer = await call("/api/si/ask", {
        method: "POST",
        headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
        body: JSON.stringify({ prompt: `ask ${i}` }),
      });
      expect(answer.status).toBe(200);
      await answer.json();
    }
  };
  /** How many usage records the account has once `n` are there, or `withinMs` has passed. */
  const usageWithin = async (email: string, n: number, withinMs: number) => {
    let seen = 0;
    for (const started = Date.now(); seen < n && Date.now() - started < withinMs; ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = await usageRecords(email);
    }
    return seen;
  };

  it("sends queued settles within FLUSH_MS once one of them is an answer an Idempotency-Key may replay", async () => {
    const email = uniqueEmail("queued");
    await grant(email, 5);
    const ask = (headers: Record<string, string> = {}) =>
      call("/api/si/ask", {
        method: "POST",
        headers: { ...onBehalfOf(email), "Content-Type": "application/json", ...headers },
        body: JSON.stringify({ prompt: "hi" }),
      });
    // Two calls within a second: the account is busy, so a plain settle waits up to a second to ride.
    for (let i = 0; i < 2; i++) expect((await ask()).status).toBe(200);
    // Two asks at once: both holds are taken before either settles, so their settles queue together.
    const answers = await Promise.all([ask(), ask({ "Idempotency-Key": `queued-${crypto.randomUUID()}` })]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await usageRecords(email)).toBe(4);
  });

  it("sends a settle soon after the response when the isolate answers nothing else, even for a busy account", async () => {
    const email = uniqueEmail("idle");
    await grant(email, 5);
    // A busy account, whose settles would otherwise wait up to a second for the next hold to carry them.
    await askThreeTimes(email);
    expect(await usageWithin(email, 3, 500)).toBe(3);
  });

  it("sends every settle of a busy account within a second while other answers keep the isolate busy", async () => {
    const email = uniqueEmail("busy");
    await grant(email, 5);
    // Another account's slow ask keeps an answer in flight, so settles wait for a ride rather than
    // going at once; each hold carries the previous ask's settle, and the last one has no hold
    // after it: its timer must send it, with no other call to ride on.
    const other = uniqueEmail("slow");
    await grant(other, 5);
    const slow = callWith({ OPENAI_BASE: upstream("latency=1000") }, "/api/si/ask", {
      method: "POST",
      headers: { ...onBehalfOf(other), "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "take your time" }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await askThreeTimes(email);
    expect(await usageWithin(email, 3, 1_500)).toBe(3);
    expect((await slow).status).toBe(200);
  });

  it("charges the prompt's estimate when the client leaves a non-streaming ask after it went upstream", async () => {
    const tag = crypto.randomUUID();
    const email = uniqueEmail("leaver");
    await grant(email, 5);
    const controller = new AbortController();
    const pending = callWith({ OPENAI_BASE: upstream(`latency=1500;tag=${tag}`) }, "/api/si/ask", {
      method: "POST",
      headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "are you there" }),
      signal: controller.signal,
    }).catch(() => null);
    for (let i = 0; i < 40 && (await upstreamLog(tag)).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    controller.abort();
    await pending;
    let record: Record<string, unknown> | undefined;
    for (let i = 0; i < 40 && !record; i++) {
      [record] = await usageOf(email, 1);
      if (!record) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // "are you there" is 13 bytes: ceil(13 / 4) + 4 = 8 tokens at 0.05 credits/1K.
    expect(record).toMatchObject({ outcome: "client_closed", tokens_in: 8, tokens_out: 0, credits: 0.0004 });
    expect((await balanceOf(email)).held).toBe(0);
  });

  it("tells the ledger what a stream has delivered while it runs", async () => {
    const email = uniqueEmail("streamer");
    await grant(email, 5);
    const response = await callWith({ OPENAI_BASE: upstream("words=40;token_delay=60") }, "/api/si/ask", {
      method: "POST",
      headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "go slowly", stream: true }),
    });
    const reader = response.body?.getReader();
    // Keep reading, as a client would: the stream only moves (and reports) while it is read.
    let reading = true;
    const drained = (async () => {
      while (reading && !(await reader?.read())?.done) {}
    })().catch(() => {});
    const stub = env.LEDGER.get(env.LEDGER.idFromName(`acct:${email}`));
    let delivered = 0;
    // The first report comes a second after the stream opened, then at most every second.
    for (let i = 0; i < 60 && delivered === 0; i++) {
      delivered = await runInDurableObject(
        stub,
        (_i, state) => state.storage.sql.exec<{ d: number }>("SELECT MAX(delivered_out) AS d FROM holds").one().d ?? 0,
      );
      if (!delivered) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    reading = false;
    expect(delivered).toBeGreaterThan(0);
    await reader?.cancel();
    await drained;
  });

  it("bills a stream cut short by the client for what was delivered, counted conservatively", async () => {
    const email = uniqueEmail("cutter");
    await grant(email, 5);
    const response = await callWith({ OPENAI_BASE: upstream("words=200;token_delay=30") }, "/api/si/ask", {
      method: "POST",
      headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "tell me", stream: true }),
    });
    const reader = response.body?.getReader();
    let seen = "";
    while (!seen.includes("event: token")) seen += new TextDecoder().decode((await reader?.read())?.value);
    await reader?.cancel();
    let record: Record<string, unknown> | undefined;
    for (let i = 0; i < 40 && !record; i++) {
      [record] = await usageOf(email, 1);
      if (!record) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(record).toMatchObject({ outcome: "partial", estimated: true });
    expect(Number(record?.tokens_out)).toBeGreaterThanOrEqual(1);
    expect(Number(record?.credits)).toBeGreaterThan(0);
  });

  it("passes on the soonest Retry-After when no provider could answer", async () => {
    const email = uniqueEmail("waiting");
    await grant(email, 1);
    const response = await callWith(
      {
        PREFERRED_PROVIDER: "groq,openai",
        GROQ_API_KEY: env.OPENAI_API_KEY,
        GROQ_BASE: upstream("status=429;retry_after=30"),
        OPENAI_BASE: upstream("status=503;retry_after=20"),
      },
      "/api/si/ask",
      {
        method: "POST",
        headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
        body: JSON.stringify({ prompt: "anyone?" }),
      },
    );
    const body = await expectEnvelope(response, 503, "no_provider_available");
    expect(body.error).toMatchObject({ retry_after: 20 });
    expect(response.headers.get("Retry-After")).toBe("20");
  });

  it("keeps the account's spend in the account index", async () => {
    const email = uniqueEmail("spender");
    await grant(email, 5);
    expect((await postJson("/api/si/ask", { prompt: "spend" }, onBehalfOf(email))).status).toBe(200);
    const ref = { account: email, kind: "email" as const };
    for (let i = 0; i < 20 && (await ledger(ref).balance(ref)).spent === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    await runDurableObjectAlarm(ledger(ref));
    const found = await (await call(`/api/admin/accounts?q=${email}`, { headers: adminHeaders() })).json<{
      accounts: Array<{ account: string; spent: number }>;
    }>();
    expect(found.accounts[0]).toMatchObject({ account: email, spent: expect.any(Number) });
    expect(found.accounts[0]?.spent).toBeGreaterThan(0);
  });
});

describe("prices (MODEL_PRICES)", () => {
  const prices = JSON.stringify({
    "gpt-4o-mini": { input: 1, output: 2 },
    "groq/llama-3.1-8b-instant": { input: 3, output: 9 },
  });

  it("charge input and output at the model's own price, exactly, and report the prices", async () => {
    const email = uniqueEmail("priced");
    await grant(email, 5);
    const response = await callWith({ MODEL_PRICES: prices }, "/api/si/ask", {
      method: "POST",
      headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "price me" }),
    });
    const body = await response.json<{
      tokens_in: number;
      tokens_out: number;
      credits_used: number;
      price_in: number;
      price_out: number;
    }>();
    const micro = Math.ceil((body.tokens_in * 1_000_000 + body.tokens_out * 2_000_000) / 1000);
    expect(body).toMatchObject({ price_in: 1, price_out: 2, credits_used: micro / MICRO });
    let record: Record<string, unknown> | undefined;
    for (let i = 0; i < 20 && !record; i++) [record] = await usageOf(email, 1);
    expect(record).toMatchObject({ price_in: 1, price_out: 2, credits: micro / MICRO });
  });

  it("hold at the dearest price among the providers the ask may fall back to", async () => {
    const email = uniqueEmail("dear");
    // Enough for the prompt at openai's price (1 credit/1K in), not at groq's (3/1K).
    await grant(email, 0.05);
    const vars = {
      MODEL_PRICES: prices,
      PREFERRED_PROVIDER: "groq,openai",
      GROQ_API_KEY: env.OPENAI_API_KEY,
      GROQ_BASE: upstream("status=500"),
    };
    const response = await callWith(vars, "/api/si/ask", {
      method: "POST",
      headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "x".repeat(10) }),
    });
    await expectEnvelope(response, 402, "insufficient_credits");
    // Without the dear fallback, the same balance is enough.
    const cheap = await callWith({ MODEL_PRICES: prices }, "/api/si/ask", {
      method: "POST",
      headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "x".repeat(10) }),
    });
    expect(cheap.status).toBe(200);
  });

  it("cap the output at the answering provider's price", async () => {
    const email = uniqueEmail("capped");
    // 0.2 credits: the prompt bound (10 + 32 = 42 tokens) costs 0.042 at 1/1K in; at 2/1K out
    // the rest pays for 79 tokens of output.
    await grant(email, 0.2);
    const response = await callWith({ MODEL_PRICES: prices }, "/api/si/ask", {
      method: "POST",
      headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "x".repeat(10), max_tokens: 1000 }),
    });
    const body = await response.json<{ tokens_out: number; credits_used: number }>();
    expect(body.tokens_out).toBeLessThanOrEqual(79);
    expect(body.credits_used).toBeLessThanOrEqual(0.2);
  });

  it("refuse a MODEL_PRICES that does not parse, by name", async () => {
    for (const bad of [
      "{",
      '{"m":{"input":-1,"output":1}}',
      '{"m":{"input":1}}',
      '{"m":{"input":0.0000001,"output":1}}',
    ]) {
      const ready = await callWith({ MODEL_PRICES: bad }, "/ready");
      expect(JSON.stringify(await ready.json())).toContain("MODEL_PRICES");
    }
  });
});

describe("the stream's final event", () => {
  it("carries the prices", async () => {
    const email = uniqueEmail("stream-price");
    await grant(email, 1);
    const response = await postJson("/api/si/ask", { prompt: "hi", stream: true }, onBehalfOf(email));
    const done = (await readEvents(response)).at(-1);
    expect(done?.data).toMatchObject({ price_in: 0.05, price_out: 0.05 });
  });
});
