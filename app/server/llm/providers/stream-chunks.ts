// A provider's streamed completion: the JSON chunk of each server-sent event, read with the one
// SSE reader (app/shared/sse.ts), up to the `[DONE]` that OpenAI-compatible streams end with.
import { readSse } from "~/shared/sse";
import { ProviderError } from "../types";

/**
 * The JSON chunks of a provider's stream up to its `[DONE]`. A malformed chunk, or a stream that
 * ends without `[DONE]`, is a retryable provider failure.
 */
export async function* sseChunks<T>(body: ReadableStream<Uint8Array>, provider: string): AsyncGenerator<T> {
  for await (const { data } of readSse(body)) {
    if (data === "[DONE]") return;
    try {
      yield JSON.parse(data) as T;
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new ProviderError("retryable", `${provider} sent a malformed stream event`);
      throw error;
    }
  }
  throw new ProviderError("retryable", `${provider} ended the stream without finishing it`);
}
