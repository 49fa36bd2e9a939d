// The text-to-speech chain: TTS_PROVIDERS in order, each with whether this deployment can use it
// (and if not, which setting is missing), and the walk that tries them until one speaks. /ready
// lists the same chain. Any failure falls through to the next voice — a voice or language one
// provider refuses may suit the next — and the client leaving stops the walk.
import type { Config } from "../config";
import { ApiError } from "../http/errors";
import { aiBound } from "../llm/providers/workers-ai";
import { isLoopbackUrl } from "../llm/registry";
import { ClientGone, ProviderError } from "../llm/types";
import { cartesia } from "./providers/cartesia";
import { melotts } from "./providers/melotts";
import type { AudioFormat, Speech, SpeechProvider, SpeechRequest, TtsProviderName } from "./types";

export interface SpeechStatus {
  name: TtsProviderName;
  model: string;
  configured: boolean;
  /** Why it is skipped; names the missing setting, never a value. */
  reason?: string;
  /** True when it is served from this machine (the development stand-in). */
  local: boolean;
}

export interface SpeechAttempt {
  provider: TtsProviderName;
  model: string;
  outcome: "ok" | "skipped" | "failed";
  reason?: string;
  status?: number;
  ms?: number;
}

type SpeechEnv = Pick<Env, "AI">;

interface SpeechEntry {
  model(config: Config): string;
  /** `format` narrows it to what the provider can produce. */
  availability(config: Config, env: SpeechEnv, format?: AudioFormat): Omit<SpeechStatus, "name" | "model">;
  create(config: Config, env: SpeechEnv): SpeechProvider;
}

const ENTRIES: Record<TtsProviderName, SpeechEntry> = {
  cartesia: {
    model: (config) => config.tts.cartesia.model,
    availability(config) {
      const { apiKey, base } = config.tts.cartesia;
      const local = isLoopbackUrl(base);
      return apiKey ? { configured: true, local } : { configured: false, local, reason: "CARTESIA_API_KEY is not set" };
    },
    create: (config) => cartesia(config.tts.cartesia, config.llm.attemptTimeoutMs),
  },
  cfai: {
    model: (config) => config.tts.cfModel,
    availability(_config, env, format) {
      if (!aiBound(env)) return { configured: false, local: false, reason: "no AI binding" };
      if (format && format !== "mp3") return { configured: false, local: false, reason: "MeloTTS speaks mp3 only" };
      return { configured: true, local: false };
    },
    create: (config, env) => melotts(env.AI, config.tts.cfModel),
  },
};

/** TTS_PROVIDERS in order, each with its model and whether it can serve `format` here. */
export function speechChain(config: Config, env: SpeechEnv, format?: AudioFormat): SpeechStatus[] {
  return config.tts.providers.map((name) => ({
    name,
    model: ENTRIES[name].model(config),
    ...ENTRIES[name].availability(config, env, format),
  }));
}

export interface Spoken {
  speech: Speech;
  provider: TtsProviderName;
  local: boolean;
  attempts: SpeechAttempt[];
}

function timeoutAfter(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("no audio in time", "TimeoutError")), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * Tries the chain in order until a provider starts sending audio. The attempt timeout covers
 * only the wait for the audio to start; once it flows, only the client leaving stops it.
 */
export async function speak(
  config: Config,
  env: SpeechEnv,
  chain: SpeechStatus[],
  request: SpeechRequest,
  signal: AbortSignal,
): Promise<Spoken> {
  const deadline = Date.now() + config.llm.deadlineMs;
  const attempts: SpeechAttempt[] = [];
  // When every provider asked refused the request itself (a 400: a language or voice it does
  // not speak), the fault is the request's — a 4xx, not an outage.
  let refusals = 0;
  for (const link of chain) {
    const { name: provider, model } = link;
    if (!link.configured) {
      attempts.push({ provider, model, outcome: "skipped", reason: link.reason });
      continue;
    }
    const started = Date.now();
    if (started >= deadline) break;
    const timer = timeoutAfter(Math.min(config.llm.attemptTimeoutMs, deadline - started));
    try {
      const speech = await ENTRIES[provider]
        .create(config, env)
        .synthesize(request, AbortSignal.any([signal, timer.signal]));
      attempts.push({ provider, model: speech.model, outcome: "ok", ms: Date.now() - started });
      return { speech, provider, local: link.local, attempts };
    } catch (thrown) {
      if (signal.aborted || thrown instanceof ClientGone) throw new ClientGone();
      const error = thrown instanceof ProviderError ? thrown : new ProviderError("retryable", `${provider} failed`);
      const failed: SpeechAttempt = {
        provider,
        model,
        outcome: "failed",
        reason: error.message,
        ms: Date.now() - started,
      };
      attempts.push(error.status ? { ...failed, status: error.status } : failed);
      if (error.kind === "request") refusals++;
    } finally {
      timer.clear();
    }
  }
  const asked = attempts.filter((attempt) => attempt.outcome === "failed").length;
  if (asked > 0 && refusals === asked) {
    throw new ApiError(400, "tts_rejected_request", "The voice providers refused this request as it is.", {
      providers: attempts,
    });
  }
  throw new ApiError(502, "tts_failed", "No text-to-speech provider could read this aloud; try again shortly.", {
    providers: attempts,
  });
}
