// Workers AI through the `AI` binding. Offline, `run` throws "needs to be run remotely": that
// is a provider failure like any other, never a crash.

import {
  type ChatRequest,
  type Completion,
  type Provider,
  ProviderError,
  type StreamEvent,
  type TokenUsage,
} from "../types";
import { failureFromThrown, providerDetail } from "./failures";
import { sseChunks } from "./stream-chunks";

interface AiOutput {
  response?: string | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  choices?: Array<{ message?: { content?: string }; delta?: { content?: string }; finish_reason?: string | null }>;
}

/** Is the Workers AI binding attached to this Worker? */
export function aiBound(env: { AI?: unknown }): boolean {
  return typeof (env.AI as Partial<AiRunner> | undefined)?.run === "function";
}

export type AiRunner = {
  run(model: string, input: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
};

function usageOf(output: AiOutput): TokenUsage | null {
  const usage = output.usage;
  if (typeof usage?.prompt_tokens !== "number" || typeof usage.completion_tokens !== "number") return null;
  return { tokensIn: usage.prompt_tokens, tokensOut: usage.completion_tokens };
}

export function classify(thrown: unknown, signal: AbortSignal): Error {
  if (thrown instanceof ProviderError) return thrown;
  if (signal.aborted) return failureFromThrown("cfai", thrown, signal);
  const message = providerDetail(thrown instanceof Error ? thrown.message : String(thrown));
  if (/run remotely|not (?:supported|available) (?:locally|in local)|no such model|5007|unknown model/i.test(message)) {
    return new ProviderError("unavailable", `cfai cannot serve this: ${message}`);
  }
  if (/5006|invalid input|validation|too long|context length/i.test(message)) {
    return new ProviderError("request", `cfai rejected the request: ${message}`, 400);
  }
  return new ProviderError("retryable", `cfai failed: ${message}`);
}

/** Rejects when `signal` aborts, since a binding call cannot always be cancelled. */
export function raced<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function workersAi(ai: AiRunner): Provider {
  // Text only: the plan never sends this provider tools or images (its capabilities say so).
  const input = (request: ChatRequest, stream: boolean) => {
    const { top_p, seed } = request.params ?? {};
    const sampling = Object.entries({ temperature: request.temperature, top_p, seed }).filter(
      ([, v]) => v !== undefined,
    );
    return {
      messages: request.messages.map(({ role, content }) => ({ role, content })),
      max_tokens: request.maxTokens,
      ...Object.fromEntries(sampling),
      ...(stream ? { stream: true } : {}),
    };
  };

  return {
    name: "cfai",

    async complete(request, signal): Promise<Completion> {
      let output: AiOutput;
      try {
        output = (await raced(ai.run(request.model, input(request, false), { signal }), signal)) as AiOutput;
      } catch (thrown) {
        throw classify(thrown, signal);
      }
      const text = output?.response ?? output?.choices?.[0]?.message?.content;
      if (typeof text !== "string") throw new ProviderError("retryable", "cfai sent no response text");
      return {
        text,
        model: request.model,
        usage: usageOf(output),
        finishReason: output.choices?.[0]?.finish_reason ?? "stop",
      };
    },

    async *stream(request, signal): AsyncIterable<StreamEvent> {
      let body: unknown;
      try {
        body = await raced(ai.run(request.model, input(request, true), { signal }), signal);
      } catch (thrown) {
        throw classify(thrown, signal);
      }
      if (!(body instanceof ReadableStream)) throw new ProviderError("retryable", "cfai did not stream");
      try {
        for await (const chunk of sseChunks<AiOutput>(body as ReadableStream<Uint8Array>, "cfai")) {
          const text = chunk.response ?? chunk.choices?.[0]?.delta?.content;
          if (typeof text === "string" && text) yield { type: "delta", text };
          const usage = usageOf(chunk);
          if (usage) yield { type: "usage", usage };
        }
      } catch (thrown) {
        throw classify(thrown, signal);
      }
      yield { type: "finish", reason: "stop" };
    },
  };
}
