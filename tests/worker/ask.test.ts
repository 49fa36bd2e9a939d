import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  APP_ORIGIN,
  balanceOf,
  call,
  callWith,
  expectEnvelope,
  grant,
  onBehalfOf,
  readEvents,
  uniqueEmail,
  upstream,
  upstreamLog,
  usageOf,
} from "./helpers";

const PRICE_PER_1K = 0.05;
const credits = (tokens: number) => Number(((tokens * PRICE_PER_1K) / 1000).toFixed(6));

function ask(body: unknown, headers: Record<string, string> = {}, vars?: Record<string, unknown>) {
  const init = {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
  return vars ? callWith(vars, "/api/si/ask", init) : call("/api/si/ask", init);
}

async function funded(amount = 10) {
  const email = uniqueEmail("asker");
  await grant(email, amount);
  return { email, headers: onBehalfOf(email) };
}

/** groq first (pointed at a misbehaving upstream), the healthy local upstream as openai second. */
function groqThenOpenai(switches: string) {
  return {
    PREFERRED_PROVIDER: "groq,openai",
    GROQ_API_KEY: env.OPENAI_API_KEY,
    GROQ_BASE: upstream(switches),
  };
}

describe("POST /api/si/ask", () => {
  it("answers with the provider's usage and the exact billing headers", async () => {
    const { email, headers } = await funded(10);
    const response = await ask({ prompt: "What is Cognomega?" }, headers);
    expect(response.status).toBe(200);
    const body = await response.json<Record<string, number | string | boolean>>();
    const tokensIn = Number(response.headers.get("X-Tokens-In"));
    const tokensOut = Number(response.headers.get("X-Tokens-Out"));
    expect(response.headers.get("X-Provider")).toBe("openai");
    expect(response.headers.get("X-Model")).toBe("gpt-4o-mini");
    expect(tokensIn).toBe(4 + 4); // the upstream counts 3 words and a "?", plus 4 for the message
    expect(tokensOut).toBeGreaterThan(10);
    expect(Number(response.headers.get("X-Credits-Used"))).toBe(credits(tokensIn + tokensOut));
    expect(Number(response.headers.get("X-Credits-Balance"))).toBeCloseTo(10 - credits(tokensIn + tokensOut), 6);
    expect(response.headers.get("X-Request-Id")).toBe(body.request_id);
    expect(body).toMatchObject({
      ok: true,
      provider: "openai",
      tokens_in: tokensIn,
      tokens_out: tokensOut,
      estimated: false,
    });
    expect(String(body.text)).toContain("What is Cognomega?");

    const [record] = await usageOf(email, 1);
    expect(record).toMatchObject({ provider: "openai", tokens_in: tokensIn, tokens_out: tokensOut, estimated: false });
    expect(record?.credits).toBe(credits(tokensIn + tokensOut));
    expect((await balanceOf(email)).held).toBe(0);
  });

  it("estimates the counts when the provider reports no usage, and says so", async () => {
    const { email, headers } = await funded(10);
    const response = await ask({ prompt: "abcdefgh" }, headers, { OPENAI_BASE: upstream("no_usage") });
    const body = await response.json<{ tokens_in: number; tokens_out: number; estimated: boolean; text: string }>();
    expect(body.estimated).toBe(true);
    expect(body.tokens_in).toBe(Math.ceil(8 / 4) + 4); // 4 bytes a token, plus 4 for the message
    expect(body.tokens_out).toBe(Math.ceil(new TextEncoder().encode(body.text).length / 4));
    const [record] = await usageOf(email, 1);
    expect(record?.estimated).toBe(true);
  });

  it("serves the alias /si/ask too", async () => {
    const { headers } = await funded();
    const response = await call("/si/ask", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(200);
  });

  it("does not show a balance header to guests", async () => {
    const guest = await call("/auth/guest", { method: "POST", headers: { "CF-Connecting-IP": crypto.randomUUID() } });
    const { token } = await guest.json<{ token: string }>();
    const response = await ask({ prompt: "hello" }, { Authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Credits-Balance")).toBeNull();
    expect(response.headers.get("X-Credits-Used")).not.toBeNull();
  });

  it("lets an allowed origin read the billing headers", async () => {
    const { headers } = await funded();
    const response = await ask({ prompt: "hi" }, { ...headers, Origin: APP_ORIGIN });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(APP_ORIGIN);
    expect(response.headers.get("Access-Control-Expose-Headers")).toContain("X-Credits-Balance");
  });

  describe("fallback", () => {
    it.each([
      ["a 500", "status=500"],
      ["a 429 with Retry-After", "status=429;retry_after=1"],
      ["a hang past the attempt timeout", "hang"],
    ])("moves past %s to the next provider", async (_, switches) => {
      const tag = crypto.randomUUID();
      const { headers } = await funded();
      const started = Date.now();
      const response = await ask({ prompt: "hello" }, headers, groqThenOpenai(`${switches};tag=${tag}`));
      expect(response.status).toBe(200);
      expect(response.headers.get("X-Provider")).toBe("openai");
      const body = await response.json<{ attempts: Array<{ provider: string; outcome: string; reason?: string }> }>();
      expect(body.attempts.map((a) => [a.provider, a.outcome])).toEqual([
        ["groq", "failed"],
        ["openai", "ok"],
      ]);
      expect((await upstreamLog(tag)).length).toBe(1);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it("moves past a refused connection", async () => {
      const { headers } = await funded();
      const vars = { ...groqThenOpenai(""), GROQ_BASE: "http://127.0.0.1:9/v1" };
      const response = await ask({ prompt: "hello" }, headers, vars);
      expect(response.headers.get("X-Provider")).toBe("openai");
      const body = await response.json<{ attempts: Array<{ reason?: string }> }>();
      expect(body.attempts[0]?.reason).toMatch(/connection failed/);
    });

    it("walks PREFERRED_PROVIDER in order and skips providers without a key", async () => {
      const { headers } = await funded();
      const response = await ask({ prompt: "hello" }, headers, { PREFERRED_PROVIDER: "groq,openai" });
      const body = await response.json<{ attempts: Array<{ provider: string; outcome: string; reason?: string }> }>();
      expect(body.attempts[0]).toMatchObject({
        provider: "groq",
        outcome: "skipped",
        reason: "GROQ_API_KEY is not set",
      });
      expect(body.attempts[1]).toMatchObject({ provider: "openai", outcome: "ok" });
    });

    it("treats Workers AI that cannot run here as one more failed provider", async () => {
      const { headers } = await funded();
      const response = await ask({ prompt: "hello" }, headers, { PREFERRED_PROVIDER: "cfai,openai" });
      expect(response.status).toBe(200);
      const body = await response.json<{ attempts: Array<{ provider: string; reason?: string }> }>();
      expect(body.attempts[0]?.provider).toBe("cfai");
      expect(body.attempts[0]?.reason).toMatch(/run remotely/);
    });

    it("retries a provider after its Retry-After when it is the only one, within the deadline", async () => {
      const tag = crypto.randomUUID();
      const { email, headers } = await funded(5);
      const response = await ask({ prompt: "hello" }, headers, {
        PREFERRED_PROVIDER: "openai",
        OPENAI_BASE: upstream(`status=429;retry_after=1;tag=${tag}`),
      });
      const body = await expectEnvelope(response, 503, "no_provider_available");
      const seen = await upstreamLog(tag);
      expect(seen).toHaveLength(2);
      expect((seen[1]?.received_at ?? 0) - (seen[0]?.received_at ?? 0)).toBeGreaterThanOrEqual(950);
      expect((body.error as unknown as { providers: unknown[] }).providers).toHaveLength(2);
      expect(await balanceOf(email)).toMatchObject({ balance: 5, held: 0 });
    });

    it("does not wait for a Retry-After longer than the deadline", async () => {
      const tag = crypto.randomUUID();
      const { headers } = await funded();
      const started = Date.now();
      const response = await ask({ prompt: "hello" }, headers, {
        PREFERRED_PROVIDER: "openai",
        OPENAI_BASE: upstream(`status=503;retry_after=60;tag=${tag}`),
      });
      await expectEnvelope(response, 503, "no_provider_available");
      expect(await upstreamLog(tag)).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it("charges nothing and lists every provider when all fail", async () => {
      const { email, headers } = await funded(3);
      const vars = { ...groqThenOpenai("status=500"), OPENAI_BASE: upstream("status=502") };
      const response = await ask({ prompt: "hello" }, headers, vars);
      const body = await expectEnvelope(response, 503, "no_provider_available");
      const providers = (body.error as unknown as { providers: Array<{ provider: string; status?: number }> })
        .providers;
      expect(providers.map((p) => p.provider)).toEqual(["groq", "openai", "groq", "openai"]);
      expect(providers.map((p) => p.status)).toEqual([500, 502, 500, 502]);
      expect(JSON.stringify(body)).not.toContain(env.OPENAI_API_KEY);
      expect(await balanceOf(email)).toMatchObject({ balance: 3, held: 0 });
      expect(await usageOf(email)).toHaveLength(0);
    });

    it("returns a request the provider rejects as a 4xx without trying anyone else", async () => {
      const tag = crypto.randomUUID();
      const { email, headers } = await funded(2);
      const vars = { ...groqThenOpenai(`status=400;tag=${tag}`), OPENAI_BASE: upstream(`tag=${tag}`) };
      const response = await ask({ prompt: "hello" }, headers, vars);
      await expectEnvelope(response, 400, "upstream_rejected_request");
      const seen = await upstreamLog(tag);
      expect(seen.map((entry) => entry.model)).toEqual(["llama-3.1-8b-instant"]);
      expect(await balanceOf(email)).toMatchObject({ balance: 2, held: 0 });
    });

    it("says plainly when no provider is configured at all", async () => {
      const { headers } = await funded();
      const response = await ask({ prompt: "hello" }, headers, { PREFERRED_PROVIDER: "groq" });
      await expectEnvelope(response, 503, "no_provider_available");
    });
  });

  describe("credits", () => {
    it("refuses with 402 and the balance when the account cannot pay for the prompt", async () => {
      const tag = crypto.randomUUID();
      const email = uniqueEmail("broke");
      const response = await ask({ prompt: `hello [[upstream: tag=${tag}]]` }, onBehalfOf(email));
      const body = await expectEnvelope(response, 402, "insufficient_credits");
      expect(body.error).toMatchObject({ balance: 0 });
      expect(await upstreamLog(tag)).toHaveLength(0);
    });

    it("caps the output to what the balance pays for instead of refusing", async () => {
      const email = uniqueEmail("thin");
      // 60 tokens' worth: the prompt's upper bound (13 bytes + 16 + 16 = 45) plus 15 tokens of output.
      await grant(email, credits(60));
      const response = await ask({ prompt: "please answer", max_tokens: 500 }, onBehalfOf(email));
      expect(response.status).toBe(200);
      const body = await response.json<{ tokens_out: number; finish_reason: string; balance: number }>();
      expect(body.tokens_out).toBeLessThanOrEqual(15);
      expect(body.finish_reason).toBe("length");
      expect(body.balance).toBeGreaterThanOrEqual(0);
    });

    it("charges a replayed Idempotency-Key once and returns the same answer", async () => {
      const { email, headers } = await funded(1);
      const keyed = { ...headers, "Idempotency-Key": `ask-${crypto.randomUUID()}` };
      const first = await (await ask({ prompt: "once only" }, keyed)).json<{ text: string; credits_used: number }>();
      const second = await ask({ prompt: "once only" }, keyed);
      expect(second.status).toBe(200);
      expect((await second.json<{ text: string }>()).text).toBe(first.text);
      expect(await usageOf(email)).toHaveLength(1);
      expect((await balanceOf(email)).balance).toBeCloseTo(1 - first.credits_used, 6);
      const different = await ask({ prompt: "something else" }, keyed);
      await expectEnvelope(different, 409, "idempotency_key_reused");
    });
  });

  describe("streaming", () => {
    it("streams tokens and ends with a done event carrying the bill", async () => {
      const { email, headers } = await funded(10);
      const response = await ask({ prompt: "stream please", stream: true }, headers);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toContain("text/event-stream");
      expect(response.headers.get("X-Provider")).toBe("openai");
      expect(response.headers.get("X-Model")).toBe("gpt-4o-mini");
      const events = await readEvents(response);
      expect(events[0]?.event).toBe("meta");
      const tokens = events.filter((e) => e.event === "token");
      expect(tokens.length).toBeGreaterThan(10);
      const done = events.at(-1);
      expect(done?.event).toBe("done");
      const bill = done?.data as {
        tokens_in: number;
        tokens_out: number;
        credits_used: number;
        balance: number;
        estimated: boolean;
      };
      expect(bill.estimated).toBe(false);
      expect(bill.tokens_out).toBe(tokens.length);
      expect(bill.credits_used).toBe(credits(bill.tokens_in + bill.tokens_out));
      expect(bill.balance).toBeCloseTo(10 - bill.credits_used, 6);
      const [record] = await usageOf(email, 1);
      expect(record).toMatchObject({ outcome: "complete", tokens_out: bill.tokens_out, credits: bill.credits_used });
    });

    it("falls back before the first token", async () => {
      const { headers } = await funded();
      const response = await ask({ prompt: "hi", stream: true }, headers, groqThenOpenai("status=503"));
      expect(response.headers.get("X-Provider")).toBe("openai");
      expect((await readEvents(response)).at(-1)?.event).toBe("done");
    });

    it("ends a stream cut mid-way with an error event and bills what was delivered", async () => {
      const { email, headers } = await funded(10);
      const response = await ask({ prompt: "cut me", stream: true }, headers, { OPENAI_BASE: upstream("cut=4") });
      const events = await readEvents(response);
      const delivered = events
        .filter((e) => e.event === "token")
        .map((e) => e.data.text)
        .join("");
      expect(events.filter((e) => e.event === "token")).toHaveLength(4);
      const last = events.at(-1);
      expect(last?.event).toBe("error");
      expect(last?.data).toMatchObject({ code: "upstream_interrupted", estimated: true });
      const tokensOut = Math.ceil(new TextEncoder().encode(delivered).length / 4);
      expect(last?.data.tokens_out).toBe(tokensOut);
      const [record] = await usageOf(email, 1);
      expect(record).toMatchObject({ outcome: "partial", tokens_out: tokensOut, estimated: true });
    });

    it("stops the upstream request when the client goes away, and bills only what was sent", async () => {
      const tag = crypto.randomUUID();
      const { email, headers } = await funded(10);
      const response = await ask({ prompt: "long one", stream: true }, headers, {
        OPENAI_BASE: upstream(`words=200;token_delay=40;tag=${tag}`),
      });
      const reader = response.body?.getReader();
      if (!reader) throw new Error("no body");
      await reader.read();
      await reader.read();
      await reader.cancel();
      let entry: Awaited<ReturnType<typeof upstreamLog>>[number] | undefined;
      for (let i = 0; i < 40 && !entry?.client_aborted; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        [entry] = await upstreamLog(tag);
      }
      expect(entry?.client_aborted).toBe(true);
      expect(entry?.finished).toBe(false);
      let record: Record<string, unknown> | undefined;
      for (let i = 0; i < 20 && !record; i++) {
        [record] = await usageOf(email, 1);
        if (!record) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(record).toMatchObject({ outcome: "partial" });
      expect(Number(record?.tokens_out)).toBeLessThan(200);
    });
  });

  describe("Workers AI", () => {
    const fakeAi = {
      async run(_model: string, input: { messages: Array<{ content: string }>; stream?: boolean }) {
        const text = `cfai says: ${input.messages.at(-1)?.content}`;
        if (!input.stream) return { response: text, usage: { prompt_tokens: 11, completion_tokens: 7 } };
        const events = [
          ...text.split(" ").map((w) => ({ response: `${w} ` })),
          { response: "", usage: { prompt_tokens: 11, completion_tokens: 7 } },
        ];
        const body = `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("")}data: [DONE]\n\n`;
        return new Response(body).body;
      },
    };

    it("answers through the AI binding with its usage", async () => {
      const { headers } = await funded();
      const response = await ask({ prompt: "ping" }, headers, { PREFERRED_PROVIDER: "cfai", AI: fakeAi });
      expect(response.headers.get("X-Provider")).toBe("cfai");
      expect(response.headers.get("X-Model")).toBe("@cf/meta/llama-3.1-8b-instruct");
      expect(await response.json()).toMatchObject({
        text: "cfai says: ping",
        tokens_in: 11,
        tokens_out: 7,
        estimated: false,
      });
    });

    it("streams through the AI binding", async () => {
      const { headers } = await funded();
      const response = await ask({ prompt: "ping", stream: true }, headers, { PREFERRED_PROVIDER: "cfai", AI: fakeAi });
      const events = await readEvents(response);
      expect(
        events
          .filter((e) => e.event === "token")
          .map((e) => e.data.text)
          .join(""),
      ).toBe("cfai says: ping ");
      expect(events.at(-1)?.data).toMatchObject({ tokens_in: 11, tokens_out: 7 });
    });

    it("reports the binding and pings it for admins", async () => {
      expect(await (await call("/api/ai/binding")).json()).toEqual({ ai_bound: true });
      const admin = { "X-Admin-Key": env.ADMIN_API_KEY };
      const offline = await call("/api/ai/test", { method: "POST", headers: admin });
      await expectEnvelope(offline, 503, "ai_unavailable");
      const faked = await callWith({ AI: fakeAi }, "/api/ai/test", { method: "POST", headers: admin });
      expect(await faked.json()).toMatchObject({ ok: true, model: "@cf/meta/llama-3.1-8b-instruct" });
      await expectEnvelope(await call("/api/ai/test", { method: "POST" }), 401, "admin_key_required");
      expect(await (await callWith({ AI: undefined }, "/api/ai/binding")).json()).toEqual({ ai_bound: false });
    });
  });

  describe("intelligence tiers", () => {
    it("maps a tier to its configured model and records it", async () => {
      const { email, headers } = await funded();
      const vars = { INTELLIGENCE_TIERS: JSON.stringify({ smart: { openai: "gpt-4o" } }) };
      const response = await ask({ prompt: "think hard" }, { ...headers, "X-Intelligence-Tier": "smart" }, vars);
      expect(response.headers.get("X-Model")).toBe("gpt-4o");
      const [record] = await usageOf(email, 1);
      expect(record).toMatchObject({ tier: "smart", model: "gpt-4o" });
    });

    it("records an unmapped tier and keeps the default model", async () => {
      const { email, headers } = await funded();
      const response = await ask({ prompt: "hi" }, { ...headers, "X-Intelligence-Tier": "fast" });
      expect(response.headers.get("X-Model")).toBe("gpt-4o-mini");
      expect((await usageOf(email, 1))[0]).toMatchObject({ tier: "fast" });
    });
  });

  describe("bad input", () => {
    const cases: Array<[string, unknown, number]> = [
      ["neither prompt nor messages", {}, 400],
      ["both prompt and messages", { prompt: "a", messages: [{ role: "user", content: "b" }] }, 400],
      ["a number for the prompt", { prompt: 42 }, 400],
      ["an empty prompt", { prompt: "   " }, 400],
      ["an unknown role", { messages: [{ role: "robot", content: "x" }] }, 400],
      ["too many messages", { messages: Array.from({ length: 101 }, () => ({ role: "user", content: "x" })) }, 400],
      ["a conversation over the size limit", { prompt: "x".repeat(100_001) }, 413],
      ["an unknown field", { prompt: "hi", temprature: 1 }, 400],
      ["a fractional max_tokens", { prompt: "hi", max_tokens: 1.5 }, 400],
      ["a temperature out of range", { prompt: "hi", temperature: 9 }, 400],
      ["a string for stream", { prompt: "hi", stream: "yes" }, 400],
      ["an unknown provider", { prompt: "hi", provider: "anthropic" }, 400],
      ["a provider that is not configured", { prompt: "hi", provider: "groq" }, 400],
      ["a model nobody offers", { prompt: "hi", model: "gpt-9-ultra" }, 400],
      ["a JSON array", [], 400],
    ];

    it.each(cases)("answers %s with the right 4xx in the envelope", async (_, body, status) => {
      const { headers } = await funded();
      const response = await ask(body, headers);
      expect(response.status).toBe(status);
      await expectEnvelope(response, status);
    });

    it("answers a body over 256 KB with 413, malformed JSON with 400 and no identity with 401", async () => {
      const { headers } = await funded();
      const big = await ask({ prompt: "x".repeat(300_000) }, headers);
      await expectEnvelope(big, 413, "payload_too_large");
      const broken = await call("/api/si/ask", { method: "POST", headers, body: '{"prompt": "unterminated' });
      await expectEnvelope(broken, 400, "invalid_json");
      await expectEnvelope(await ask({ prompt: "hi" }), 401, "unauthorized");
      await expectEnvelope(await ask({ prompt: "hi" }, { ...headers, "X-Intelligence-Tier": "<b>" }), 400);
      await expectEnvelope(await call("/api/si/ask", { headers }), 405, "method_not_allowed");
    });

    it("holds nothing after refusing bad input", async () => {
      const { email, headers } = await funded(1);
      await ask({ prompt: 5 }, headers);
      expect(await balanceOf(email)).toMatchObject({ balance: 1, held: 0 });
    });
  });
});
