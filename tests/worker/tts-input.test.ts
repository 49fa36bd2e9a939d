// POST /api/tts input: limits, markdown turned into speakable text, formats and voices. Every
// refusal is a 4xx in the error envelope, and none of them costs anything or reaches a provider.
import { describe, expect, it } from "vitest";
import { balanceOf, callWith, expectEnvelope, upstreamLog } from "./helpers";
import { bytesOf, cartesiaAt, fundedReader, isMp3, isWav, speak, ttsCredits } from "./tts-support";

const VOICE = "694f9389-aac1-45b6-b726-9d9369183238";
const OTHER_VOICE = "f786b574-daa5-4673-aa0c-cbe3e8534c02";

describe("POST /api/tts limits", () => {
  it.each([
    ["no body", "", 400, "invalid_json"],
    ["a body that is not JSON", "{text:", 400, "invalid_json"],
    ["no text", {}, 400, "invalid_request"],
    ["text that is not a string", { text: 42 }, 400, "invalid_request"],
    ["empty text", { text: "" }, 400, "invalid_request"],
    ["text of spaces", { text: "   \n " }, 400, "invalid_request"],
    ["an unknown format", { text: "hi", format: "ogg" }, 400, "invalid_request"],
    ["a language that is not a code", { text: "hi", language: "english" }, 400, "invalid_request"],
    ["an unknown field", { text: "hi", speed: 2 }, 400, "invalid_request"],
    ["only a code block", { text: "```sh\nnpm test\n```" }, 400, "nothing_to_speak"],
  ])("refuses %s with %i %s and charges nothing", async (_case, body, status, code) => {
    const { email, headers } = await fundedReader(1);
    const tag = `input-${crypto.randomUUID()}`;
    const response = await speak(body, headers, cartesiaAt(`tag=${tag}`));
    await expectEnvelope(response, status, code);
    expect(await balanceOf(email)).toMatchObject({ balance: 1, held: 0 });
    expect(await upstreamLog(tag)).toEqual([]);
  });

  it("takes exactly TTS_MAX_CHARS characters and refuses one more with 413", async () => {
    const { headers } = await fundedReader();
    const vars = { TTS_MAX_CHARS: "40" };
    // Characters as a reader counts them: an emoji is one, not two UTF-16 units.
    const fits = `${"a".repeat(38)}👋.`;
    const ok = await speak({ text: fits }, headers, vars);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("X-Characters")).toBe("40");
    await ok.arrayBuffer();
    const over = await speak({ text: `${fits}!` }, headers, vars);
    const body = await expectEnvelope(over, 413, "text_too_long");
    expect(body.error).toMatchObject({ limit: 40, characters: 41 });
  });

  it("refuses a body far over the limit before reading it all", async () => {
    const { headers } = await fundedReader();
    const response = await speak({ text: "x".repeat(200_000) }, headers, { TTS_MAX_CHARS: "1000" });
    await expectEnvelope(response, 413, "payload_too_large");
  });

  it("answers 400, charging nothing, when every provider refuses the request itself", async () => {
    const { email, headers } = await fundedReader(1);
    const response = await speak({ text: "Bonjour.", language: "xx" }, headers, { TTS_PROVIDERS: "cartesia" });
    const body = await expectEnvelope(response, 400, "tts_rejected_request");
    expect(body.error).toMatchObject({ providers: [{ provider: "cartesia", outcome: "failed", status: 400 }] });
    expect(await balanceOf(email)).toMatchObject({ balance: 1, held: 0 });
  });

  it("answers only POST", async () => {
    const response = await callWith(cartesiaAt(), "/api/tts");
    await expectEnvelope(response, 405, "method_not_allowed");
    expect(response.headers.get("Allow")).toBe("POST, OPTIONS");
  });
});

describe("POST /api/tts markdown", () => {
  it("reads the words of a markdown answer, skips its code and bills only what is spoken", async () => {
    const { email, headers } = await fundedReader(10);
    const answer = [
      "## Install it",
      "",
      "Run **this** in [a terminal](https://example.com/terminal):",
      "",
      "```sh",
      "npm install --save something-long-enough-to-matter",
      "```",
      "",
      "- then `npm start`",
    ].join("\n");
    const spoken = "Install it.\nRun this in a terminal:\nthen npm start.";
    const response = await speak({ text: answer }, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Characters")).toBe(String(spoken.length));
    expect(Number(response.headers.get("X-Credits-Used"))).toBe(ttsCredits(spoken.length));
    await response.arrayBuffer();
    expect((await balanceOf(email)).balance).toBeCloseTo(10 - ttsCredits(spoken.length), 6);
  });

  it("measures the limit on the text as sent, before the markdown is stripped", async () => {
    const { headers } = await fundedReader();
    const text = `Short.\n\n\`\`\`\n${"x".repeat(60)}\n\`\`\``;
    await expectEnvelope(await speak({ text }, headers, { TTS_MAX_CHARS: "50" }), 413, "text_too_long");
  });
});

describe("POST /api/tts formats and voices", () => {
  it("streams WAV when asked", async () => {
    const { headers } = await fundedReader();
    const response = await speak({ text: "A wave.", format: "wav" }, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("audio/wav");
    expect(response.headers.get("Content-Disposition")).toBe('inline; filename="speech.wav"');
    const bytes = await bytesOf(response);
    expect(isWav(bytes)).toBe(true);
    // 16-bit mono at 44.1 kHz, as the adapter asks Cartesia for it.
    const view = new DataView(bytes.buffer);
    expect({
      channels: view.getUint16(22, true),
      rate: view.getUint32(24, true),
      bits: view.getUint16(34, true),
    }).toEqual({ channels: 1, rate: 44_100, bits: 16 });
  });

  it("uses CARTESIA_VOICE_ID, takes a voice from CARTESIA_VOICES and refuses any other", async () => {
    const { headers } = await fundedReader();
    const vars = { CARTESIA_VOICES: OTHER_VOICE };
    const byDefault = await speak({ text: "Default voice." }, headers, vars);
    expect(isMp3(await bytesOf(byDefault))).toBe(true);
    const chosen = await speak({ text: "Chosen voice.", voice: OTHER_VOICE }, headers, vars);
    expect(chosen.status).toBe(200);
    await chosen.arrayBuffer();
    const named = await speak({ text: "Named default.", voice: VOICE }, headers);
    expect(named.status).toBe(200);
    await named.arrayBuffer();
    const refused = await speak({ text: "Someone else.", voice: OTHER_VOICE }, headers);
    const body = await expectEnvelope(refused, 400, "voice_not_allowed");
    expect(body.error).toMatchObject({ voices: [VOICE] });
  });

  it("names a bad TTS setting on /ready and refuses to serve until it is fixed", async () => {
    const ready = await callWith({ TTS_PROVIDERS: "cartesia,espeak", CARTESIA_VOICES: "not-a-voice" }, "/ready");
    expect(ready.status).toBe(503);
    const body = await ready.json<{ problems: Array<{ name: string }> }>();
    expect(body.problems.map((problem) => problem.name).sort()).toEqual(["CARTESIA_VOICES", "TTS_PROVIDERS"]);
  });
});
