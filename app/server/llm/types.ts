// The one interface every provider adapter speaks.
import type { ProviderName } from "../config";

/** OpenAI-style content parts: what a message carries when an attached image goes with it. */
export type ContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string | ContentPart[];
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
}

export interface TokenUsage {
  tokensIn: number;
  tokensOut: number;
}

export interface Completion {
  text: string;
  model: string;
  usage: TokenUsage | null;
  finishReason: string | null;
}

export type StreamEvent =
  | { type: "delta"; text: string }
  | { type: "usage"; usage: TokenUsage }
  | { type: "finish"; reason: string | null };

export interface Provider {
  name: ProviderName;
  complete(request: ChatRequest, signal: AbortSignal): Promise<Completion>;
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
}

/**
 * Why a provider call failed, in the gateway's terms:
 *  - retryable: try another provider, or this one again later (429, 5xx, timeouts, resets);
 *  - unavailable: this provider cannot serve us now (bad key, unknown model, no binding);
 *  - request: the request itself is at fault; no other provider would do better.
 */
export class ProviderError extends Error {
  constructor(
    readonly kind: "retryable" | "unavailable" | "request",
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** The caller went away; nothing more should be done for it. */
export class ClientGone extends Error {
  constructor() {
    super("the client closed the connection");
    this.name = "ClientGone";
  }
}
