// The one interface every text-to-speech adapter speaks, and the audio formats the API offers.
import type { TtsProviderName } from "../config-vars";

export type { TtsProviderName } from "../config-vars";

export const AUDIO_FORMATS = ["mp3", "wav"] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

export const AUDIO_TYPES: Record<AudioFormat, string> = { mp3: "audio/mpeg", wav: "audio/wav" };

export interface SpeechRequest {
  /** Speakable text (markdown already stripped). */
  text: string;
  /** A Cartesia voice id, already checked against the allow-list. */
  voice: string;
  format: AudioFormat;
  /** Two-letter language code, e.g. `en`. */
  language: string;
}

export interface Speech {
  /** The audio as it arrives from the provider: passed on, never collected whole. */
  body: ReadableStream<Uint8Array>;
  model: string;
}

export interface SpeechProvider {
  name: TtsProviderName;
  /**
   * Resolves once the provider has accepted the request and its audio starts; failures are
   * thrown as ProviderError (app/server/llm/types.ts) so they fall back like the LLM's do.
   */
  synthesize(request: SpeechRequest, signal: AbortSignal): Promise<Speech>;
}
