// The local development model server, as the benchmarks see it. The product's launcher starts it
// beside the Worker (scripts/start.ts does whenever OPENAI_BASE points at this machine), and every
// system measured talks to that one instance. Its module is imported here only, so moving it is
// a one-line change.
import { replyFor } from "../../dev/model-server.ts";

export const MODEL = "gpt-4o-mini";
export const PROMPT = "Benchmark: say something short.";

/** What every system must answer; each timed answer is checked, so an error never counts as fast. */
export const EXPECTED_REPLY = replyFor([{ role: "user", content: PROMPT }]);

/** The OpenAI chat body Cognomega sends for an ask of PROMPT (same model, same output cap). */
export function chatBody(stream: boolean) {
  return {
    model: MODEL,
    messages: [{ role: "user", content: PROMPT }],
    max_tokens: 1024,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}
