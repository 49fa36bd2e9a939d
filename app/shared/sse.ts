// Server-sent events, for the Worker and the browser alike: the one reader every stream goes
// through (a provider's, our own answer in the browser, the tests') and the one writer.
// The reader follows the WHATWG rules: a line ends at LF, CRLF or a lone CR (also when a CRLF is
// split across chunks); a byte-order mark at the very start is skipped; `data` lines of one
// event join with "\n"; `:` comments and unknown fields are ignored; a blank line ends an event.
// One leniency: an event still open when the stream ends is delivered, not dropped, because
// some providers end their last event without its blank line.

export interface SseMessage {
  /** The `event` field, or "message" when the event named none. */
  event: string;
  data: string;
}

export interface SseParser {
  /** Feeds decoded text, in chunks of any size. */
  push(text: string): void;
  /** The stream ended: delivers an event still open. */
  end(): void;
}

export function createSseParser(emit: (message: SseMessage) => void): SseParser {
  let pending = "";
  let started = false;
  let afterCr = false;
  let event = "";
  let data: string[] = [];

  const dispatch = () => {
    if (data.length) emit({ event: event || "message", data: data.join("\n") });
    event = "";
    data = [];
  };

  const line = (text: string) => {
    if (text === "") return dispatch();
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  };

  return {
    push(chunk) {
      let text = chunk;
      if (!started && text) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      // A CR that ended the previous chunk already ended its line; an LF right after it is
      // the same line end.
      if (afterCr && text) {
        afterCr = false;
        if (text.startsWith("\n")) text = text.slice(1);
      }
      const buffer = pending + text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const code = buffer.charCodeAt(i);
        if (code !== 10 && code !== 13) continue;
        line(buffer.slice(start, i));
        if (code === 13) {
          if (i + 1 === buffer.length) afterCr = true;
          else if (buffer.charCodeAt(i + 1) === 10) i += 1;
        }
        start = i + 1;
      }
      pending = buffer.slice(start);
    },
    end() {
      if (pending) line(pending);
      pending = "";
      dispatch();
    },
  };
}

/** The events of an SSE byte stream, as they complete. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const ready: SseMessage[] = [];
  const parser = createSseParser((message) => ready.push(message));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        parser.push(decoder.decode());
        parser.end();
      } else {
        parser.push(decoder.decode(value, { stream: true }));
      }
      yield* ready.splice(0);
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

/** One event on the wire; multi-line data becomes one `data:` line each. */
export function formatSse(event: string, data: string): string {
  return `event: ${event}\n${data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join("")}\n`;
}
