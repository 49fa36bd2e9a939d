// The read-aloud chain: Cartesia first, Workers AI (MeloTTS) when Cartesia is not configured or
// fails; the audio passed through as it arrives; /ready listing the chain.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../app/server/config";
import { cartesia } from "../../app/server/tts/providers/cartesia";
import { balanceOf, callWith, expectEnvelope, upstreamLog, usageOf } from "./helpers";
import { bytesOf, cartesiaAt, fakeMelo, fundedReader, isMp3, speak, ttsCredits } from "./tts-support";

const TEXT = "Fall back, gracefully.";

describe("POST /api/tts fallback", () => {
  it.each([
    ["answers 503", "status=503"],
    ["rejects our key", "status=401"],
    ["never answers within the attempt timeout", "hang"],
  ])("reads aloud through Workers AI when Cartesia %s, charging once", async (_case, switches) => {
    const { email, headers } = await fundedReader(10);
    const ai = fakeMelo();
    const response = await speak({ text: TEXT, language: "fr" }, headers, { ...cartesiaAt(switches), AI: ai });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Provider")).toBe("cfai");
    expect(response.headers.get("X-Model")).toBe("@cf/myshell-ai/melotts");
    expect(response.headers.get("Content-Type")).toBe("audio/mpeg");
    expect(await bytesOf(response)).toEqual(ai.audio);
    expect(ai.calls).toEqual([{ model: "@cf/myshell-ai/melotts", input: { prompt: TEXT, lang: "fr" } }]);
    expect(await balanceOf(email)).toMatchObject({ balance: 10 - ttsCredits(TEXT.length), held: 0 });
    expect((await usageOf(email)).map((record) => record.provider)).toEqual(["cfai"]);
  });

  it("goes straight to Workers AI when Cartesia has no key", async () => {
    const { headers } = await fundedReader();
    const ai = fakeMelo();
    const response = await speak({ text: TEXT }, headers, { CARTESIA_API_KEY: "", AI: ai });
    expect(response.headers.get("X-Provider")).toBe("cfai");
    expect(ai.calls).toHaveLength(1);
    await response.arrayBuffer();
  });

  it("tries the providers in TTS_PROVIDERS order", async () => {
    const { headers } = await fundedReader();
    const tag = `order-${crypto.randomUUID()}`;
    const ai = fakeMelo();
    const vars = { ...cartesiaAt(`tag=${tag}`), AI: ai, TTS_PROVIDERS: "cfai,cartesia" };
    const response = await speak({ text: TEXT }, headers, vars);
    expect(response.headers.get("X-Provider")).toBe("cfai");
    await response.arrayBuffer();
    expect(await upstreamLog(tag)).toEqual([]);
  });

  it("treats Workers AI that cannot run here as one more failed provider", async () => {
    const { email, headers } = await fundedReader(10);
    const response = await speak({ text: TEXT }, headers, { ...cartesiaAt("status=500"), AI: env.AI });
    const body = await expectEnvelope(response, 502, "tts_failed");
    expect(body.error).toMatchObject({
      providers: [
        { provider: "cartesia", outcome: "failed" },
        { provider: "cfai", outcome: "failed" },
      ],
    });
    expect(await balanceOf(email)).toMatchObject({ balance: 10, held: 0 });
  });

  it("does not offer MeloTTS for WAV, which it cannot produce", async () => {
    const { headers } = await fundedReader();
    const ai = fakeMelo();
    const response = await speak({ text: TEXT, format: "wav" }, headers, { ...cartesiaAt("status=500"), AI: ai });
    const body = await expectEnvelope(response, 502, "tts_failed");
    expect(body.error).toMatchObject({
      providers: [
        { provider: "cartesia", outcome: "failed" },
        { provider: "cfai", outcome: "skipped", reason: "MeloTTS speaks mp3 only" },
      ],
    });
    expect(ai.calls).toEqual([]);
  });
});

describe("POST /api/tts streaming", () => {
  it("passes Cartesia's audio on as it arrives instead of waiting for the whole clip", async () => {
    const { headers } = await fundedReader();
    const started = Date.now();
    // The stand-in sends its clip in several chunks, 250 ms apart.
    const response = await speak({ text: TEXT }, headers, cartesiaAt("token_delay=250"));
    const headersAfter = Date.now() - started;
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const firstAfter = Date.now() - started;
    let bytes = first.value?.byteLength ?? 0;
    let chunks = 1;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      bytes += next.value.byteLength;
      chunks++;
    }
    const endAfter = Date.now() - started;
    expect(isMp3(first.value ?? new Uint8Array())).toBe(true);
    expect(chunks).toBeGreaterThan(2);
    expect(bytes).toBeGreaterThan(10_000);
    expect(endAfter).toBeGreaterThan(750);
    expect(headersAfter).toBeLessThan(endAfter - 500);
    expect(firstAfter).toBeLessThan(endAfter - 500);
  });
  it("ends a reading whose audio goes silent for longer than the attempt timeout", async () => {
    const { email, headers } = await fundedReader(10);
    const tag = `silent-${crypto.randomUUID()}`;
    // The test environment's LLM_ATTEMPT_TIMEOUT_MS is 1500; the stand-in pauses 2500 ms between chunks.
    const response = await speak({ text: TEXT }, headers, cartesiaAt(`token_delay=2500;tag=${tag}`));
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
    await expect.poll(async () => (await upstreamLog(tag))[0]?.client_aborted, { timeout: 5000 }).toBe(true);
    // The audio had started, so the reading was charged.
    expect(await balanceOf(email)).toMatchObject({ balance: 10 - ttsCredits(TEXT.length), held: 0 });
  });
});

describe("the Cartesia adapter", () => {
  it("speaks Cartesia's protocol: the stand-in refuses a version it does not know", async () => {
    const settings = { ...loadConfig({ ...env, ...cartesiaAt() }).tts.cartesia, version: "1999-01-01" };
    const attempt = cartesia(settings, 5000).synthesize(
      { text: "hi", voice: settings.voice, format: "mp3", language: "en" },
      AbortSignal.timeout(5000),
    );
    await expect(attempt).rejects.toMatchObject({ kind: "request", status: 400 });
  });
});

describe("/ready", () => {
  it("lists the read-aloud chain in order, with why a link is skipped", async () => {
    const ready = await callWith({ ...cartesiaAt(), AI: undefined }, "/ready");
    const body = await ready.json<{ tts: unknown }>();
    expect(body.tts).toEqual([
      { name: "cartesia", model: "sonic-2", configured: true, local: true },
      { name: "cfai", model: "@cf/myshell-ai/melotts", configured: false, local: false, reason: "no AI binding" },
    ]);
    const unkeyed = await (await callWith({}, "/ready")).json<{ tts: unknown }>();
    expect(unkeyed.tts).toEqual([
      {
        name: "cartesia",
        model: "sonic-2",
        configured: false,
        local: false,
        reason: "CARTESIA_API_KEY is not set",
      },
      { name: "cfai", model: "@cf/myshell-ai/melotts", configured: true, local: false },
    ]);
  });
});
