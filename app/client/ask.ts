// One streamed answer from POST /api/si/ask: `meta`, then `token`s, then exactly one `done`
// (with the bill) or `error` (the answer was cut short; also billed). The events and their
// reader are the Worker's own (app/shared/ask-events.ts).
import { type AskBill, type AttachmentShared, readAskEvents } from "../shared/ask-events";
import { identityHeaders, networkProblem, ProblemError, problemFrom } from "./api";

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
  /** Uploads the Worker reads and gives the model with this message. */
  attachments?: Array<{ key: string }>;
}

export interface AnswerMeta {
  provider: string;
  model: string;
  localUpstream: boolean;
  /** How each attached file reached the model. */
  attachments?: AttachmentShared[];
}

/** An answer's bill as this browser keeps it with the conversation (camelCase, in localStorage). */
export interface Bill {
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  estimated: boolean;
  creditsUsed: number;
  /** Absent for guests. */
  balance?: number;
  /** Credits per 1K input and output tokens charged (absent in bills kept before prices were shown). */
  priceIn?: number;
  priceOut?: number;
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

function kept(bill: AskBill): Bill {
  return {
    provider: bill.provider,
    model: bill.model,
    tokensIn: bill.tokens_in,
    tokensOut: bill.tokens_out,
    estimated: bill.estimated,
    creditsUsed: bill.credits_used,
    balance: bill.balance,
    priceIn: bill.price_in,
    priceOut: bill.price_out,
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
    for await (const { event, data } of readAskEvents(response.body)) {
      if (event === "meta") {
        options.onMeta({
          provider: data.provider,
          model: data.model,
          localUpstream: data.local_upstream === true,
          attachments: data.attachments,
        });
      } else if (event === "token") options.onToken(data.text);
      else if (event === "done") return { kind: "done", bill: kept(data) };
      else return { kind: "interrupted", bill: kept(data), message: data.message };
    }
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw new ProblemError({ ...networkProblem(), message: "The connection dropped while the answer was streaming." });
  }
  throw new ProblemError({ ...networkProblem(), message: "The answer ended without its final event." });
}
