// The streamed answer on /v1: `data: {chat.completion.chunk}` lines — the role first, then the
// provider's text and tool-call deltas as it sends them, then the finish reason — and, when the
// client asked with `stream_options.include_usage`, a last chunk with empty `choices` and the
// usage (with `cost`); then `data: [DONE]`. A failure after the first byte is one
// `data: {"error":{…}}` line, and the stream ends there (the openai SDKs raise it as an error).
import type { AskOutcome } from "../ask";
import type { StreamFormat } from "../stream";
import { completionId, finishReasonOf, usageOf } from "./completion";

const line = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
const DONE = "data: [DONE]\n\n";

export function chunkFormat(options: { includeUsage: boolean }): StreamFormat {
  let id = "";
  let model = "";
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    line({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    });
  const start = (requestId: string, modelName: string) => {
    id = completionId(requestId);
    model = modelName;
    return chunk({ role: "assistant", content: "" });
  };
  const done = (outcome: AskOutcome) =>
    chunk({}, finishReasonOf(outcome)) +
    (options.includeUsage
      ? line({ id, object: "chat.completion.chunk", created, model, choices: [], usage: usageOf(outcome) })
      : "") +
    DONE;

  return {
    contentType: "text/event-stream; charset=utf-8",
    headers: (route) => ({ "X-Provider": route.provider, "X-Model": route.model }),
    opening: (route, requestId) => start(requestId, route.model),
    token: (text) => chunk({ content: text }),
    toolCalls: (deltas) => chunk({ tool_calls: deltas }),
    done,
    cutShort: (outcome, message) =>
      line({
        error: { message, type: "api_error", param: null, code: "upstream_interrupted" },
        // What was delivered is billed; the bill rides with the error.
        usage: usageOf(outcome),
      }),
    replay: (outcome) =>
      start(outcome.request_id, outcome.model) +
      (outcome.text ? chunk({ content: outcome.text }) : "") +
      (outcome.tool_calls?.length
        ? chunk({ tool_calls: outcome.tool_calls.map((call, index) => ({ index, ...call })) })
        : "") +
      done(outcome),
  };
}
