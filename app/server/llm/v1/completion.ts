// A finished ask as OpenAI's `chat.completion` object, and the `usage` both it and the stream's
// last chunk carry: tokens, and `cost` in credits (as OpenRouter adds it).
import type { AskOutcome } from "../ask";
import type { ToolCall } from "../types";

export interface V1Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Credits charged for this answer. */
  cost: number;
  /** True when the provider reported no usage and the counts are the gateway's estimate. */
  estimated: boolean;
}

export function completionId(requestId: string): string {
  return `chatcmpl-${requestId}`;
}

export function usageOf(outcome: AskOutcome): V1Usage {
  return {
    prompt_tokens: outcome.tokens_in,
    completion_tokens: outcome.tokens_out,
    total_tokens: outcome.tokens_in + outcome.tokens_out,
    cost: outcome.credits_used,
    estimated: outcome.estimated,
  };
}

/** The provider's finish reason; a provider that sent none finished normally (or by calling tools). */
export function finishReasonOf(outcome: Pick<AskOutcome, "finish_reason" | "tool_calls">): string {
  return outcome.finish_reason ?? (outcome.tool_calls?.length ? "tool_calls" : "stop");
}

export function assistantMessage(text: string, toolCalls?: ToolCall[]) {
  return {
    role: "assistant" as const,
    // A turn that only calls tools has no content: null, as OpenAI sends it.
    content: toolCalls?.length && !text ? null : text,
    refusal: null,
    ...(toolCalls?.length ? { tool_calls: toolCalls } : {}),
  };
}

export function chatCompletion(outcome: AskOutcome) {
  return {
    id: completionId(outcome.request_id),
    object: "chat.completion" as const,
    created: Math.floor(Date.now() / 1000),
    model: outcome.model,
    provider: outcome.provider,
    choices: [
      {
        index: 0,
        message: assistantMessage(outcome.text, outcome.tool_calls),
        finish_reason: finishReasonOf(outcome),
        logprobs: null,
      },
    ],
    usage: usageOf(outcome),
  };
}
