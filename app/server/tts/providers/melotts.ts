// Workers AI text-to-speech through the `AI` binding: MeloTTS (`@cf/myshell-ai/melotts`) takes
// `{prompt, lang}` and returns MP3 — as `{audio: <base64>}`, or as bytes. It has one voice and
// speaks mp3 only, so the chain offers it for mp3 requests and ignores the Cartesia voice.
// Offline the binding throws "needs to be run remotely": a provider failure, never a crash.
import { type AiRunner, classify, raced } from "../../llm/providers/workers-ai";
import { ProviderError } from "../../llm/types";
import type { SpeechProvider } from "../types";

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The audio in whichever shape the binding returned it. */
function audioOf(output: unknown): ReadableStream<Uint8Array> | Uint8Array | null {
  if (output instanceof ReadableStream) return output as ReadableStream<Uint8Array>;
  if (output instanceof Uint8Array) return output;
  if (output instanceof ArrayBuffer) return new Uint8Array(output);
  const audio = (output as { audio?: unknown } | null)?.audio;
  if (typeof audio !== "string" || !audio) return null;
  try {
    return fromBase64(audio);
  } catch {
    return null;
  }
}

export function melotts(ai: AiRunner, model: string): SpeechProvider {
  return {
    name: "cfai",

    async synthesize(request, signal) {
      if (request.format !== "mp3") throw new ProviderError("unavailable", "cfai (MeloTTS) speaks mp3 only");
      let output: unknown;
      try {
        output = await raced(ai.run(model, { prompt: request.text, lang: request.language }, { signal }), signal);
      } catch (thrown) {
        throw classify(thrown, signal);
      }
      const audio = audioOf(output);
      if (!audio || (audio instanceof Uint8Array && audio.byteLength === 0)) {
        throw new ProviderError("retryable", "cfai sent no audio");
      }
      const body =
        audio instanceof Uint8Array
          ? new ReadableStream<Uint8Array>({
              start(controller) {
                controller.enqueue(audio);
                controller.close();
              },
            })
          : audio;
      return { body, model };
    },
  };
}
