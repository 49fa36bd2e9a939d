// Cartesia's Text to Speech (Bytes) API: `POST {base}/tts/bytes` with `X-API-Key` and
// `Cartesia-Version`, answering with the audio bytes as they are generated. The body is handed on
// as a stream — the Worker never holds a whole clip. (docs.cartesia.ai/api-reference/tts/bytes)
import type { Config } from "../../config";
import { failureFromStatus, failureFromThrown, providerDetail, retryAfterMs } from "../../llm/providers/failures";
import { ProviderError } from "../../llm/types";
import type { AudioFormat, SpeechProvider } from "../types";

/**
 * `output_format` per container: mp3 needs `bit_rate`, wav needs `encoding` (and both a
 * `sample_rate` from 8000, 16000, 22050, 24000, 44100, 48000).
 */
export const CARTESIA_OUTPUT: Record<AudioFormat, Record<string, string | number>> = {
  mp3: { container: "mp3", sample_rate: 44_100, bit_rate: 128_000 },
  wav: { container: "wav", encoding: "pcm_s16le", sample_rate: 44_100 },
};

/**
 * Passes the audio on chunk by chunk; a silence longer than `idleMs` ends it (and the upstream
 * call), so a stalled generation cannot hold a listener forever.
 */
function untilSilent(body: ReadableStream<Uint8Array>, idleMs: number, stop: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (controller: TransformStreamDefaultController<Uint8Array>) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stop();
      try {
        controller.error(new Error("cartesia went silent"));
      } catch {
        // already closed or cancelled
      }
    }, idleMs);
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start: arm,
      transform(chunk, controller) {
        arm(controller);
        controller.enqueue(chunk);
      },
      flush: () => clearTimeout(timer),
      cancel: () => clearTimeout(timer),
    }),
  );
}

export function cartesia(settings: Config["tts"]["cartesia"], idleMs: number): SpeechProvider {
  return {
    name: "cartesia",

    async synthesize(request, attempt) {
      const silent = new AbortController();
      const signal = AbortSignal.any([attempt, silent.signal]);
      let response: Response;
      try {
        response = await fetch(`${settings.base}/tts/bytes`, {
          method: "POST",
          headers: {
            "X-API-Key": settings.apiKey ?? "",
            "Cartesia-Version": settings.version,
            "Content-Type": "application/json",
          },
          body: JSON.stringify({
            model_id: settings.model,
            transcript: request.text,
            voice: { mode: "id", id: request.voice },
            output_format: CARTESIA_OUTPUT[request.format],
            language: request.language,
          }),
          signal,
        });
      } catch (thrown) {
        throw failureFromThrown("cartesia", thrown, signal);
      }
      if (!response.ok) {
        const detail = providerDetail(await response.text().catch(() => ""));
        throw failureFromStatus("cartesia", response.status, detail, retryAfterMs(response.headers.get("Retry-After")));
      }
      if (!response.body) throw new ProviderError("retryable", "cartesia sent no audio");
      return { body: untilSilent(response.body, idleMs, () => silent.abort()), model: settings.model };
    },
  };
}
