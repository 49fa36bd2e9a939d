// Shared by the read-aloud tests: requests to POST /api/tts with the Cartesia stand-in of the
// local upstream (dev/cartesia.ts) configured, and a protocol-faithful Workers AI binding for
// MeloTTS (it cannot run offline): `run(model, {prompt, lang})` → `{audio: <base64 MP3>}`.
import { env } from "cloudflare:test";
import { mp3Tone } from "../../dev/tone";
import { callWith, grant, onBehalfOf, uniqueEmail } from "./helpers";

export const TTS_PRICE_PER_1K = 0.05;
export const ttsCredits = (characters: number) => Number(((characters * TTS_PRICE_PER_1K) / 1000).toFixed(6));

/** Cartesia at the local stand-in, with switches (dev/model-server.ts) when given. */
export function cartesiaAt(switches = ""): Record<string, string> {
  const base = switches ? `${env.UPSTREAM_URL}/x/${encodeURIComponent(switches)}` : env.UPSTREAM_URL;
  return { CARTESIA_API_KEY: env.OPENAI_API_KEY, CARTESIA_BASE: base };
}

export function speak(
  body: unknown,
  headers: Record<string, string> = {},
  vars: Record<string, unknown> = {},
  signal?: AbortSignal,
) {
  return callWith({ ...cartesiaAt(), ...vars }, "/api/tts", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal,
  });
}

export async function fundedReader(amount = 10) {
  const email = uniqueEmail("reader");
  await grant(email, amount);
  return { email, headers: onBehalfOf(email) };
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export interface MeloCall {
  model: string;
  input: Record<string, unknown>;
}

/** The AI binding as MeloTTS answers through it; refuses what the real model would. */
export function fakeMelo() {
  const frames = mp3Tone(1, 44_100, 64_000);
  const audio = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0));
  let at = 0;
  for (const frame of frames) {
    audio.set(frame, at);
    at += frame.length;
  }
  const calls: MeloCall[] = [];
  return {
    calls,
    audio,
    async run(model: string, input: Record<string, unknown>) {
      calls.push({ model, input });
      if (model !== "@cf/myshell-ai/melotts") throw new Error(`5007: No such model ${model}`);
      if (typeof input.prompt !== "string" || !input.prompt) throw new Error("5006: invalid input: prompt is required");
      return { audio: base64(audio) };
    },
  };
}

export async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

/** An MPEG audio frame header (sync word) at the start, as MP3 files without ID3 tags begin. */
export const isMp3 = (bytes: Uint8Array) => bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0;
export const isWav = (bytes: Uint8Array) =>
  new TextDecoder().decode(bytes.subarray(0, 4)) === "RIFF" &&
  new TextDecoder().decode(bytes.subarray(8, 12)) === "WAVE";
