// The one interface every provider adapter speaks, and what a request may carry to it.
import type { ProviderName } from "../config";

/** A content part of a message, as OpenAI's protocol has it (only text and images are taken). */
export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: string } };

/** A tool call as a provider returned it (OpenAI's shape). */
export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  /** Text, or OpenAI's parts when they include images (providers that take images get them). */
  content: string | ContentPart[];
  /** An assistant turn's tool calls, as the provider returned them. */
  toolCalls?: ToolCall[];
  /** A tool turn: the call it answers. */
  toolCallId?: string;
  name?: string;
}

/**
 * OpenAI's request parameters besides `temperature` and `tools` (which the ask core carries
 * itself), passed to providers that take them as the client sent them (/v1/chat/completions).
 */
export interface ChatParams {
  top_p?: number;
  stop?: string | string[];
  seed?: number;
  user?: string;
  response_format?: Record<string, unknown>;
  tool_choice?: string | Record<string, unknown>;
  parallel_tool_calls?: boolean;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
  /** Tool definitions, as the provider is sent them. */
  tools?: unknown;
  params?: ChatParams;
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
  /** The tool calls the model made, as the provider sent them. */
  toolCalls?: ToolCall[];
}

/**
 * A provider stream's events. `tool_calls` carries the provider's `delta.tool_calls` entries
 * exactly as sent (OpenAI streams each call in pieces keyed by `index`).
 */
export type StreamEvent =
  | { type: "delta"; text: string }
  | { type: "tool_calls"; deltas: ToolCallDelta[] }
  | { type: "usage"; usage: TokenUsage }
  | { type: "finish"; reason: string | null };

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

/** What a provider can take besides plain text; a request needing more skips the provider. */
export interface Capabilities {
  tools: boolean;
  images: boolean;
}

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
