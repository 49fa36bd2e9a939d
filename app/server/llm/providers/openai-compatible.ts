// Groq, OpenAI and any OpenAI-compatible base (PROVIDERS, a local Ollama, the local development
// model) through one adapter over `POST {base}/chat/completions`. Request parameters, tools and
// image parts go through as the client sent them; tool calls come back as the provider sent them.
import type { ProviderName } from "../../config";
import {
  type ChatMessage,
  type ChatRequest,
  type Completion,
  type Provider,
  ProviderError,
  type StreamEvent,
  type TokenUsage,
  type ToolCall,
  type ToolCallDelta,
} from "../types";
import { failureFromStatus, failureFromThrown, providerDetail, retryAfterMs } from "./failures";
import { sseChunks } from "./stream-chunks";

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

interface WireChoice {
  message?: { content?: string | null; tool_calls?: ToolCall[] | null };
  delta?: { content?: string | null; tool_calls?: ToolCallDelta[] | null };
  finish_reason?: string | null;
}

interface WireBody {
  model?: string;
  choices?: WireChoice[];
  usage?: WireUsage | null;
  x_groq?: { usage?: WireUsage };
}

function usageOf(body: WireBody): TokenUsage | null {
  const usage = body.usage ?? body.x_groq?.usage;
  if (typeof usage?.prompt_tokens !== "number" || typeof usage.completion_tokens !== "number") return null;
  return { tokensIn: usage.prompt_tokens, tokensOut: usage.completion_tokens };
}

/** A message as OpenAI's protocol carries it. */
export function wireMessage(message: ChatMessage): Record<string, unknown> {
  const toolCalls = message.toolCalls?.length ? message.toolCalls : undefined;
  return {
    role: message.role,
    // An assistant turn that only called tools has no text: OpenAI wants null there, not "".
    content: toolCalls && !message.content ? null : message.content,
    ...(toolCalls ? { tool_calls: toolCalls } : {}),
    ...(message.toolCallId ? { tool_call_id: message.toolCallId } : {}),
    ...(message.name ? { name: message.name } : {}),
  };
}

export function wireBody(request: ChatRequest, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...request.params,
    model: request.model,
    messages: request.messages.map(wireMessage),
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    tools: request.tools,
  };
  for (const [key, value] of Object.entries(body)) if (value === undefined) delete body[key];
  // Usage is always asked for: it is what the answer is billed by.
  if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return body;
}

export function openAiCompatible(name: ProviderName, base: string, apiKey: string | undefined): Provider {
  async function post(request: ChatRequest, stream: boolean, signal: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${base}/chat/completions`, {
        method: "POST",
        signal,
        headers: { ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}), "Content-Type": "application/json" },
        body: JSON.stringify(wireBody(request, stream)),
      });
    } catch (thrown) {
      throw failureFromThrown(name, thrown, signal);
    }
    if (!response.ok) {
      const detail = providerDetail(await response.text().catch(() => ""));
      throw failureFromStatus(name, response.status, detail, retryAfterMs(response.headers.get("Retry-After")));
    }
    return response;
  }

  return {
    name,

    async complete(request, signal): Promise<Completion> {
      const response = await post(request, false, signal);
      let body: WireBody;
      try {
        body = await response.json();
      } catch (thrown) {
        throw thrown instanceof Error && signal.aborted
          ? failureFromThrown(name, thrown, signal)
          : new ProviderError("retryable", `${name} sent a body that is not JSON`);
      }
      const choice = body.choices?.[0];
      const text = choice?.message?.content;
      const toolCalls = Array.isArray(choice?.message?.tool_calls) ? choice.message.tool_calls : undefined;
      if (typeof text !== "string" && !toolCalls?.length) {
        throw new ProviderError("retryable", `${name} sent no message content`);
      }
      return {
        text: text ?? "",
        model: body.model ?? request.model,
        usage: usageOf(body),
        finishReason: choice?.finish_reason ?? null,
        ...(toolCalls?.length ? { toolCalls } : {}),
      };
    },

    async *stream(request, signal): AsyncIterable<StreamEvent> {
      const response = await post(request, true, signal);
      if (!response.body) throw new ProviderError("retryable", `${name} sent an empty stream`);
      try {
        for await (const chunk of sseChunks<WireBody>(response.body, name)) {
          const choice = chunk.choices?.[0];
          const text = choice?.delta?.content;
          if (typeof text === "string" && text) yield { type: "delta", text };
          const calls = choice?.delta?.tool_calls;
          if (Array.isArray(calls) && calls.length > 0) yield { type: "tool_calls", deltas: calls };
          if (choice?.finish_reason) yield { type: "finish", reason: choice.finish_reason };
          const usage = usageOf(chunk);
          if (usage) yield { type: "usage", usage };
        }
      } catch (thrown) {
        throw failureFromThrown(name, thrown, signal);
      }
    },
  };
}
