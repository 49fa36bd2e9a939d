// Server-sent events: reading a provider's stream, and writing ours.
import { ProviderError } from "./types";

/** Yields the `data:` payload of each event in an SSE byte stream. */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.search(/\r?\n/);
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(buffer[newline] === "\r" ? newline + 2 : newline + 1);
        if (line === "") {
          if (data.length) yield data.join("\n");
          data = [];
        } else if (line.startsWith("data:")) {
          data.push(line.slice(line[5] === " " ? 6 : 5));
        }
        newline = buffer.search(/\r?\n/);
      }
    }
    if (data.length) yield data.join("\n");
  } finally {
    reader.releaseLock();
  }
}

/**
 * The JSON chunks of a provider's stream up to its `[DONE]`. A malformed chunk, or a stream that
 * ends without `[DONE]`, is a retryable provider failure.
 */
export async function* sseChunks<T>(body: ReadableStream<Uint8Array>, provider: string): AsyncGenerator<T> {
  for await (const data of sseData(body)) {
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

/** One event in the gateway's own stream format. */
export function sseEvent(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}
