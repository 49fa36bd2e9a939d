// POST /api/tts billing: held before any provider is called, settled when audio flows, nothing
// charged when no provider speaks, and one charge per Idempotency-Key.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  adminHeaders,
  balanceOf,
  call,
  callWith,
  expectEnvelope,
  grant,
  postJson,
  uniqueEmail,
  upstreamLog,
  usageOf,
} from "./helpers";
import { bytesOf, cartesiaAt, fundedReader, isMp3, speak, ttsCredits } from "./tts-support";

const TEXT = "Read this answer aloud, please.";

describe("POST /api/tts billing", () => {
  it("streams the audio with the billing headers and charges the characters exactly", async () => {
    const { email, headers } = await fundedReader(10);
    const response = await speak({ text: TEXT }, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("audio/mpeg");
    expect(response.headers.get("Content-Disposition")).toMatch(/^inline/);
    expect(response.headers.get("X-Provider")).toBe("cartesia");
    expect(response.headers.get("X-Model")).toBe("sonic-2");
    expect(response.headers.get("X-Characters")).toBe(String(TEXT.length));
    expect(Number(response.headers.get("X-Credits-Used"))).toBe(ttsCredits(TEXT.length));
    expect(Number(response.headers.get("X-Credits-Balance"))).toBeCloseTo(10 - ttsCredits(TEXT.length), 6);
    expect(isMp3(await bytesOf(response))).toBe(true);

    expect(await balanceOf(email)).toMatchObject({ balance: 10 - ttsCredits(TEXT.length), held: 0 });
    const [record] = await usageOf(email);
    expect(record).toMatchObject({
      provider: "cartesia",
      model: "sonic-2",
      tokens_in: TEXT.length,
      tokens_out: 0,
      credits: ttsCredits(TEXT.length),
      outcome: "complete",
      request_id: response.headers.get("X-Request-Id"),
    });
  });

  it("answers on its alias /api/si/tts too", async () => {
    const { headers } = await fundedReader();
    const response = await callWith(cartesiaAt(), "/api/si/tts", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ text: "hello" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Characters")).toBe("5");
    expect(isMp3(await bytesOf(response))).toBe(true);
  });

  it("holds the price before the provider is called, and settles it after", async () => {
    const { email, headers } = await fundedReader(10);
    const tag = `hold-${crypto.randomUUID()}`;
    const pending = speak({ text: TEXT }, headers, cartesiaAt(`latency=1200;tag=${tag}`));
    // Once Cartesia has the request, the credits are already set aside.
    await expect.poll(async () => (await upstreamLog(tag)).length, { timeout: 5000, interval: 50 }).toBe(1);
    expect(await balanceOf(email)).toMatchObject({ balance: 10, held: ttsCredits(TEXT.length) });
    const response = await pending;
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(await balanceOf(email)).toMatchObject({ balance: 10 - ttsCredits(TEXT.length), held: 0 });
  });

  it("charges nothing when every provider fails, and says which failed", async () => {
    const { email, headers } = await fundedReader(10);
    const response = await speak({ text: TEXT }, headers, { ...cartesiaAt("status=500"), TTS_PROVIDERS: "cartesia" });
    const body = await expectEnvelope(response, 502, "tts_failed");
    expect(body.error).toMatchObject({ providers: [{ provider: "cartesia", outcome: "failed", status: 500 }] });
    expect(await balanceOf(email)).toMatchObject({ balance: 10, held: 0 });
    expect(await usageOf(email)).toEqual([]);
  });

  it("charges the text when the client leaves after it went upstream, as an ask's prompt is", async () => {
    const { email, headers } = await fundedReader(10);
    const tag = `gone-${crypto.randomUUID()}`;
    const leaving = new AbortController();
    const pending = speak({ text: TEXT }, headers, cartesiaAt(`hang;tag=${tag}`), leaving.signal);
    await expect.poll(async () => (await upstreamLog(tag)).length, { timeout: 5000, interval: 50 }).toBe(1);
    expect((await balanceOf(email)).held).toBe(ttsCredits(TEXT.length));
    leaving.abort();
    await expectEnvelope(await pending, 499, "client_closed");
    // Cartesia was asked: the upstream request is cancelled, and the reading billed as client_closed.
    await expect.poll(async () => (await upstreamLog(tag))[0]?.client_aborted, { timeout: 5000 }).toBe(true);
    await expect.poll(async () => (await usageOf(email))[0]?.outcome).toBe("client_closed");
    expect(await balanceOf(email)).toMatchObject({ balance: 10 - ttsCredits(TEXT.length), held: 0 });
  });

  it("leaves a hold that, should its settle never come, expires charging the text at the reading price", async () => {
    const { email, headers } = await fundedReader(10);
    const tag = `expiry-${crypto.randomUUID()}`;
    const pending = speak({ text: TEXT }, headers, cartesiaAt(`latency=800;tag=${tag}`));
    await expect.poll(async () => (await upstreamLog(tag)).length, { timeout: 5000, interval: 50 }).toBe(1);
    const ledger = env.LEDGER.get(env.LEDGER.idFromName(`acct:${email}`));
    const holds = await runInDurableObject(ledger, (_instance, state) =>
      state.storage.sql
        .exec("SELECT provider, model, price_in, price_out, tokens_in_est, amount FROM holds WHERE state = 'open'")
        .toArray(),
    );
    expect(holds).toEqual([
      {
        provider: "cartesia",
        model: "sonic-2",
        price_in: 50_000,
        price_out: 0,
        tokens_in_est: TEXT.length,
        amount: ttsCredits(TEXT.length) * 1_000_000,
      },
    ]);
    await (await pending).arrayBuffer();
  });

  it("reads aloud for an API key, within the key's credit limit", async () => {
    const email = uniqueEmail("keyed-reader");
    await grant(email, 10);
    const made = async (extra: Record<string, unknown>) => {
      const response = await postJson("/api/admin/keys", { email, ...extra }, adminHeaders());
      return (await response.json<{ key: { id: string; secret: string } }>()).key;
    };
    const key = await made({ name: "reader" });
    const response = await speak({ text: TEXT }, { Authorization: `Bearer ${key.secret}` });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect((await usageOf(email))[0]).toMatchObject({ provider: "cartesia", key_id: key.id });
    const tight = await made({ name: "tight", credit_limit: 0.000001 });
    const refused = await speak({ text: TEXT }, { "X-Api-Key": tight.secret });
    await expectEnvelope(refused, 402, "key_limit_reached");
    await expectEnvelope(await speak({ text: TEXT }, { Authorization: "Bearer cg_sk_nonsense" }), 401);
  });

  it("refuses with 402 before calling any provider when the credits do not cover the text", async () => {
    const { email, headers } = await fundedReader(0.000001);
    const tag = `broke-${crypto.randomUUID()}`;
    const response = await speak({ text: TEXT }, headers, cartesiaAt(`tag=${tag}`));
    const body = await expectEnvelope(response, 402, "insufficient_credits");
    expect(body.error).toMatchObject({ needed: ttsCredits(TEXT.length) });
    expect(await upstreamLog(tag)).toEqual([]);
    expect(await balanceOf(email)).toMatchObject({ balance: 0.000001, held: 0 });
  });

  it("bills guests from their allowance without showing a balance", async () => {
    const guest = await call("/auth/guest", { method: "POST", headers: { "CF-Connecting-IP": crypto.randomUUID() } });
    const { token } = await guest.json<{ token: string }>();
    const response = await speak({ text: TEXT }, { Authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Credits-Used")).toBe(String(ttsCredits(TEXT.length)));
    expect(response.headers.get("X-Credits-Balance")).toBeNull();
    await response.arrayBuffer();
  });

  it("needs an identity", async () => {
    await expectEnvelope(await speak({ text: TEXT }), 401);
  });
});

describe("POST /api/tts idempotency", () => {
  it("charges a retried Idempotency-Key once and reads it aloud again", async () => {
    const { email, headers } = await fundedReader(10);
    const key = { ...headers, "Idempotency-Key": `tts-${crypto.randomUUID()}` };
    const first = await speak({ text: TEXT }, key);
    expect(first.status).toBe(200);
    const firstBytes = await bytesOf(first);
    const again = await speak({ text: TEXT }, key);
    expect(again.status).toBe(200);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.headers.get("X-Credits-Used")).toBe(first.headers.get("X-Credits-Used"));
    expect(again.headers.get("X-Credits-Balance")).toBe(first.headers.get("X-Credits-Balance"));
    expect(await bytesOf(again)).toEqual(firstBytes);
    expect(await balanceOf(email)).toMatchObject({ balance: 10 - ttsCredits(TEXT.length), held: 0 });
    expect(await usageOf(email)).toHaveLength(1);
  });

  it("refuses a key reused for different text, and keeps reading keys apart from asks'", async () => {
    const { headers } = await fundedReader(10);
    const id = `shared-${crypto.randomUUID()}`;
    const key = { ...headers, "Idempotency-Key": id };
    expect((await speak({ text: TEXT }, key)).status).toBe(200);
    await expectEnvelope(await speak({ text: "Something else." }, key), 409, "idempotency_key_reused");
    const ask = await call("/api/si/ask", {
      method: "POST",
      headers: { ...key, "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "hi" }),
    });
    expect(ask.status).toBe(200);
  });

  it("lets a key whose reading failed run again, charging only the success", async () => {
    const { email, headers } = await fundedReader(10);
    const key = { ...headers, "Idempotency-Key": `retry-${crypto.randomUUID()}` };
    const failed = await speak({ text: TEXT }, key, { ...cartesiaAt("status=503"), TTS_PROVIDERS: "cartesia" });
    await expectEnvelope(failed, 502, "tts_failed");
    const retried = await speak({ text: TEXT }, key);
    expect(retried.status).toBe(200);
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
    await retried.arrayBuffer();
    expect(await balanceOf(email)).toMatchObject({ balance: 10 - ttsCredits(TEXT.length), held: 0 });
  });

  it("rejects a malformed Idempotency-Key with the envelope", async () => {
    const { headers } = await fundedReader();
    await expectEnvelope(await speak({ text: TEXT }, { ...headers, "Idempotency-Key": "no spaces allowed" }), 400);
  });
});

describe("POST /api/tts without Cartesia", () => {
  it("is unavailable, not broken, when no provider can produce the format", async () => {
    const { headers } = await fundedReader();
    const response = await speak({ text: TEXT, format: "wav" }, headers, {
      CARTESIA_API_KEY: "",
      TTS_PROVIDERS: "cartesia,cfai",
      AI: env.AI,
    });
    const body = await expectEnvelope(response, 503, "tts_unavailable");
    expect(body.error).toMatchObject({
      providers: [
        { provider: "cartesia", reason: "CARTESIA_API_KEY is not set" },
        { provider: "cfai", reason: "MeloTTS speaks mp3 only" },
      ],
    });
  });
});
