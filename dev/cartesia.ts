// The local stand-in for Cartesia's Text to Speech (Bytes) API, served by the development model
// server (dev/model-server.ts) at `POST /tts/bytes`, so `npm start` and the tests read answers
// aloud offline. It checks a request the way Cartesia documents it — `X-API-Key`, a
// `Cartesia-Version` it knows, `model_id`, `transcript`, `voice: {mode: "id", id}`,
// `output_format` — and answers with a short, valid clip: a tone, not speech, about 1 s plus
// 20 ms per character (at most 4 s), streamed in chunks.
//   - wav: `encoding` pcm_s16le or pcm_f32le, any of Cartesia's sample rates;
//   - mp3: MPEG-1 Layer III at 32000, 44100 or 48000 Hz (the rates MPEG-1 defines; Cartesia's
//     lower ones would need MPEG-2 frames), any MPEG-1 bit rate from 32000 to 320000.
// Other choices are answered 400, saying so. The model server's switches apply (status, latency,
// hang, cut=<n> chunks, token_delay between chunks, tag), from the URL or from `[[upstream: …]]`
// in the transcript.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Switches } from "./model-server.ts";
import { MP3_BIT_RATES, MP3_SAMPLE_RATES, mp3Tone, wavTone } from "./tone.ts";

export const CARTESIA_VERSIONS = ["2024-06-10", "2024-11-13", "2025-04-16", "2026-03-01"];
const SAMPLE_RATES = [8000, 16_000, 22_050, 24_000, 44_100, 48_000];
/** The languages Cartesia's sonic-3 speaks (docs.cartesia.ai, TTS models). */
const LANGUAGES = new Set(
  "en de es fr ja pt zh hi ko it nl pl ru sv tr tl bg ro ar cs el fi hr ms sk da ta uk hu no vi bn th he ka id te gu kn ml mr pa".split(
    " ",
  ),
);
const VOICE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROMPT_SWITCHES = /\[\[upstream:([^\]]*)\]\]/i;
const CHUNK_BYTES = 4096;

export interface TtsLogEntry {
  tag: string | null;
  path: string;
  model: string | null;
  stream: boolean;
  status: number;
  received_at: number;
  finished: boolean;
  client_aborted: boolean;
}

export interface CartesiaOptions {
  /** When set, requests must carry `X-API-Key: <apiKey>`. */
  apiKey?: string;
  switches: Switches;
  /** The switches a transcript sets (only those it names). */
  parseSwitches(raw: string): Partial<Switches>;
  /** Adds the request to the model server's log (GET /__log). */
  record(entry: TtsLogEntry): void;
}

interface OutputFormat {
  container?: unknown;
  encoding?: unknown;
  sample_rate?: unknown;
  bit_rate?: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refuse(res: ServerResponse, status: number, message: string) {
  // Cartesia's structured error body (API versions from 2026-03-01).
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ error_code: status === 401 ? "unauthorized" : "invalid_request", message, title: message }));
}

/** The clip for `format`, or the reason Cartesia (or this stand-in) would refuse it. */
function clipFor(format: OutputFormat, seconds: number): { type: string; chunks: Uint8Array[] } | string {
  const rate = format.sample_rate;
  if (typeof rate !== "number" || !SAMPLE_RATES.includes(rate)) return "output_format.sample_rate is not supported";
  if (format.container === "wav" || format.container === "raw") {
    if (format.encoding !== "pcm_s16le" && format.encoding !== "pcm_f32le") {
      return "output_format.encoding must be pcm_s16le or pcm_f32le here (the stand-in writes no mu-law or A-law)";
    }
    const wav = wavTone(seconds, rate, format.encoding);
    const bytes = format.container === "raw" ? wav.subarray(44) : wav;
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) chunks.push(bytes.subarray(at, at + CHUNK_BYTES));
    return { type: format.container === "raw" ? "application/octet-stream" : "audio/wav", chunks };
  }
  if (format.container === "mp3") {
    if (typeof format.bit_rate !== "number") return "output_format.bit_rate is required for mp3";
    if (!MP3_SAMPLE_RATES.includes(rate) || !MP3_BIT_RATES.includes(format.bit_rate)) {
      return "the local stand-in writes mp3 at 32000, 44100 or 48000 Hz and an MPEG-1 bit rate only";
    }
    // A few frames per chunk, so the audio arrives in pieces as Cartesia's does.
    const frames = mp3Tone(seconds, rate, format.bit_rate);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < frames.length; at += 8) chunks.push(Buffer.concat(frames.slice(at, at + 8)));
    return { type: "audio/mpeg", chunks };
  }
  return "output_format.container must be raw, wav or mp3";
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString("utf8"));
}

/** Answers `POST /tts/bytes`. */
export async function answerCartesia(req: IncomingMessage, res: ServerResponse, options: CartesiaOptions) {
  if (req.method !== "POST") return refuse(res, 405, "use POST");
  if (options.apiKey && req.headers["x-api-key"] !== options.apiKey) return refuse(res, 401, "Invalid API key");
  const version = req.headers["cartesia-version"];
  if (typeof version !== "string" || !CARTESIA_VERSIONS.includes(version)) {
    return refuse(res, 400, "Cartesia-Version must be one of the API versions");
  }
  let body: {
    model_id?: unknown;
    transcript?: unknown;
    voice?: { mode?: unknown; id?: unknown };
    output_format?: unknown;
    language?: unknown;
  };
  try {
    body = (await readJson(req)) as typeof body;
  } catch {
    return refuse(res, 400, "The body is not valid JSON");
  }
  if (typeof body?.model_id !== "string" || !body.model_id) return refuse(res, 400, "model_id is required");
  if (typeof body.transcript !== "string" || !body.transcript.trim()) return refuse(res, 400, "transcript is required");
  if (body.voice?.mode !== "id" || typeof body.voice.id !== "string" || !VOICE_ID.test(body.voice.id)) {
    return refuse(res, 400, 'voice must be {"mode": "id", "id": <voice id>}');
  }
  if (body.language !== undefined && !LANGUAGES.has(String(body.language))) {
    return refuse(res, 400, `language ${String(body.language)} is not supported`);
  }
  let switches = options.switches;
  const inTranscript = body.transcript.match(PROMPT_SWITCHES);
  if (inTranscript) switches = { ...switches, ...options.parseSwitches(inTranscript[1] ?? "") };
  const seconds = Math.min(4, 1 + body.transcript.length * 0.02);
  const clip = clipFor((body.output_format ?? {}) as OutputFormat, seconds);
  if (typeof clip === "string") return refuse(res, 400, clip);

  const entry: TtsLogEntry = {
    tag: switches.tag ?? null,
    path: "/tts/bytes",
    model: body.model_id,
    stream: true,
    status: switches.status ?? 200,
    received_at: Date.now(),
    finished: false,
    client_aborted: false,
  };
  options.record(entry);
  res.on("close", () => {
    if (!res.writableFinished) entry.client_aborted = true;
  });
  if (switches.hang) return;
  if (switches.latency) await sleep(switches.latency);
  if (switches.status && switches.status !== 200) {
    entry.finished = true;
    return refuse(res, switches.status, `injected ${switches.status}`);
  }
  res.writeHead(200, { "Content-Type": clip.type });
  for (let i = 0; i < clip.chunks.length; i++) {
    if (res.destroyed) return;
    if (switches.cut !== undefined && i >= switches.cut) {
      await sleep(30);
      res.socket?.destroy();
      return;
    }
    if (switches.tokenDelay && i > 0) await sleep(switches.tokenDelay);
    res.write(clip.chunks[i]);
  }
  entry.finished = true;
  res.end();
}
