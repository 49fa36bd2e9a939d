// The systems an ask is compared across — the model server itself, the bare Worker, Portkey's
// Worker and Cognomega — each sending the same question and knowing how to read its answer.
import { chatBody, PROMPT } from "./model.ts";

export interface AskTarget {
  /** Key in the results file. */
  name: string;
  label: string;
  /** Sends one ask; `lane` picks the caller when several are in flight. */
  send(stream: boolean, lane?: number): Promise<Response>;
  /** The answer text of a non-streaming body. */
  answerOf(body: string): string;
  /** The answer text a streamed event carries, if any. */
  tokenOf(event: string, data: string): string | undefined;
}

interface ChatCompletion {
  choices?: { message?: { content?: string }; delta?: { content?: string } }[];
}

/**
 * Anything speaking OpenAI's chat completions protocol at `url`; `laneHeaders` adds headers that
 * tell the callers in flight apart.
 */
export function openAiTarget(
  name: string,
  label: string,
  url: string,
  headers: Record<string, string>,
  laneHeaders: (lane: number) => Record<string, string> = () => ({}),
): AskTarget {
  return {
    name,
    label,
    send: (stream, lane = 0) =>
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers, ...laneHeaders(lane) },
        body: JSON.stringify(chatBody(stream)),
      }),
    answerOf: (body) => (JSON.parse(body) as ChatCompletion).choices?.[0]?.message?.content ?? "",
    tokenOf: (_event, data) =>
      data === "[DONE]" ? undefined : (JSON.parse(data) as ChatCompletion).choices?.[0]?.delta?.content || undefined,
  };
}

/** Cognomega's `POST /api/si/ask`; lane i asks as guest `tokens[i]`. */
export function cognomegaTarget(base: string, tokens: string[]): AskTarget {
  return {
    name: "cognomega",
    label: "Cognomega /api/si/ask",
    send: (stream, lane = 0) =>
      fetch(`${base}/api/si/ask`, {
        method: "POST",
        headers: { Authorization: `Bearer ${tokens[lane % tokens.length]}`, "Content-Type": "application/json" },
        body: JSON.stringify(stream ? { prompt: PROMPT, stream: true } : { prompt: PROMPT }),
      }),
    answerOf: (body) => (JSON.parse(body) as { text?: string }).text ?? "",
    tokenOf: (event, data) => {
      if (event === "error") throw new Error(`Cognomega's stream ended with an error: ${data}`);
      return event === "token" ? (JSON.parse(data) as { text?: string }).text || undefined : undefined;
    },
  };
}
