// One streamed answer from POST /api/si/ask: `meta`, then `token`s, then exactly one `done`
// (with the bill) or `error` (the answer was cut short; also billed).
import { identityHeaders, networkProblem, ProblemError, problemFrom } from "./api";

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export interface AnswerMeta {
  provider: string;
  model: string;
  localUpstream: boolean;
}

export interface Bill {
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  estimated: boolean;
  creditsUsed: number;
  /** Absent for guests. */
  balance?: number;
}

export type AnswerEnd = { kind: "done"; bill: Bill } | { kind: "interrupted"; bill: Bill; message: string };

export interface AskOptions {
  messages: ChatMessage[];
  email: string | null;
  tier: string;
  signal: AbortSignal;
  onMeta(meta: AnswerMeta): void;
  onToken(text: string): void;
}

/** Yields each server-sent event as its name and parsed JSON data. */
async function* events(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ name: string; data: Record<string, unknown> }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: ?(.*)$/m.exec(block)?.[1] ?? "message";
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(line[5] === " " ? 6 : 5))
        .join("\n");
      if (data) yield { name, data: JSON.parse(data) };
      end = buffer.indexOf("\n\n");
    }
  }
}

function billOf(data: Record<string, unknown>): Bill {
  const n = (key: string) => (typeof data[key] === "number" ? (data[key] as number) : 0);
  return {
    provider: String(data.provider ?? ""),
    model: String(data.model ?? ""),
    tokensIn: n("tokens_in"),
    tokensOut: n("tokens_out"),
    estimated: data.estimated === true,
    creditsUsed: n("credits_used"),
    balance: typeof data.balance === "number" ? data.balance : undefined,
  };
}

/** Streams one answer; throws ProblemError for refusals and AbortError when stopped. */
export async function streamAnswer(options: AskOptions): Promise<AnswerEnd> {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...identityHeaders(options.email) };
  if (options.tier) headers["X-Intelligence-Tier"] = options.tier;
  let response: Response;
  try {
    response = await fetch("/api/si/ask", {
      method: "POST",
      headers,
      body: JSON.stringify({ messages: options.messages, stream: true }),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw new ProblemError(networkProblem());
  }
  if (!response.ok || !response.body) throw new ProblemError(await problemFrom(response));
  options.onMeta({
    provider: response.headers.get("X-Provider") ?? "",
    model: response.headers.get("X-Model") ?? "",
    localUpstream: false,
  });
  try {
    for await (const { name, data } of events(response.body)) {
      if (name === "meta") {
        options.onMeta({
          provider: String(data.provider),
          model: String(data.model),
          localUpstream: data.local_upstream === true,
        });
      } else if (name === "token") options.onToken(String(data.text ?? ""));
      else if (name === "done") return { kind: "done", bill: billOf(data) };
      else if (name === "error") return { kind: "interrupted", bill: billOf(data), message: String(data.message) };
    }
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw new ProblemError({ ...networkProblem(), message: "The connection dropped while the answer was streaming." });
  }
  throw new ProblemError({ ...networkProblem(), message: "The answer ended without its final event." });
}
