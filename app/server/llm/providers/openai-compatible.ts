// Groq, OpenAI and any OpenAI-compatible base (a local Ollama, the local upstream) through one
// adapter over `POST {base}/chat/completions`.
import type { ProviderName } from "../../config";
import {
  type ChatRequest,
  type Completion,
  type Provider,
  ProviderError,
  type StreamEvent,
  type TokenUsage,
} from "../types";
import { failureFromStatus, failureFromThrown, providerDetail, retryAfterMs } from "./failures";
import { sseChunks } from "./stream-chunks";

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

interface WireChoice {
  message?: { content?: string | null };
  delta?: { content?: string | null };
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

export function openAiCompatible(name: ProviderName, base: string, apiKey: string): Provider {
  async function post(request: ChatRequest, stream: boolean, signal: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${base}/chat/completions`, {
        method: "POST",
        signal,
        headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          model: request.model,
          messages: request.messages,
          max_tokens: request.maxTokens,
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
        }),
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
      if (typeof text !== "string") throw new ProviderError("retryable", `${name} sent no message content`);
      return {
        text,
        model: body.model ?? request.model,
        usage: usageOf(body),
        finishReason: choice?.finish_reason ?? null,
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
