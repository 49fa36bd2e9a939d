// What the local development model answers, decided without any I/O: the deterministic text
// reply (it quotes the question), a tool call when the request offers tools, an answer quoting
// the tool's result after a tool turn, and the token counts. dev/model-server.ts speaks it.

export type Part = { type: string; text?: string; image_url?: { url: string } };

export interface ChatMessage {
  role: string;
  content: string | Part[] | null;
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

export interface ToolDefinition {
  type?: string;
  function?: { name?: string; parameters?: { properties?: Record<string, { type?: string }> } };
}

export interface ChatBody {
  model?: string;
  messages?: ChatMessage[];
  stream?: boolean;
  max_tokens?: number;
  stop?: string | string[];
  tools?: ToolDefinition[];
  tool_choice?: string | { function?: { name?: string } };
  stream_options?: { include_usage?: boolean };
}

export const PROMPT_SWITCHES = /\[\[upstream:([^\]]*)\]\]/i;
/** What one image part counts as in the prompt (a low-detail image, as OpenAI counts it). */
export const IMAGE_TOKENS = 85;

/** A message's text: the string, or its text parts joined. */
export function textOf(content: ChatMessage["content"] | undefined): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((part) => part.type === "text")
    .map((part) => part.text ?? "")
    .join("\n");
}

export function imagesIn(message: ChatMessage): number {
  return Array.isArray(message.content) ? message.content.filter((part) => part.type === "image_url").length : 0;
}

/** A rough, deterministic tokenizer: words and punctuation marks count as tokens. */
export function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)?.length ?? 0;
}

export function promptTokens(messages: ChatMessage[]): number {
  return messages.reduce(
    (sum, m) =>
      sum +
      countTokens(textOf(m.content)) +
      imagesIn(m) * IMAGE_TOKENS +
      (m.tool_calls ? countTokens(JSON.stringify(m.tool_calls)) : 0) +
      4,
    0,
  );
}

/** The deterministic reply: it quotes the question and adds a little markdown. */
export function replyFor(messages: ChatMessage[], words?: number): string {
  const last = messages.at(-1);
  if (last?.role === "tool") return `The tool answered: ${textOf(last.content)}`;
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  const question = textOf(lastUser?.content).replace(PROMPT_SWITCHES, "").trim();
  if (words) return Array.from({ length: words }, (_, i) => `word${i + 1}`).join(" ");
  const quoted = question.length > 400 ? `${question.slice(0, 400)}…` : question;
  const images = lastUser ? imagesIn(lastUser) : 0;
  return [
    "This answer comes from the **local development model**, not a real LLM.",
    "",
    `You asked: ${quoted}`,
    ...(images ? ["", `You sent ${images} image${images === 1 ? "" : "s"}.`] : []),
    "",
    "- It is deterministic: the same question gets the same answer.",
    "- It streams word by word, like a real provider.",
    "",
    "```js",
    'console.log("hello from the local model");',
    "```",
  ].join("\n");
}

/** The reply cut at the first stop sequence, if any. */
export function stopAt(text: string, stop: ChatBody["stop"]): { text: string; stopped: boolean } {
  const sequences = (Array.isArray(stop) ? stop : stop ? [stop] : []).filter(Boolean);
  const cuts = sequences.map((sequence) => text.indexOf(sequence)).filter((at) => at >= 0);
  return cuts.length ? { text: text.slice(0, Math.min(...cuts)), stopped: true } : { text, stopped: false };
}

/**
 * The tool call to make: when tools are offered (and not refused with tool_choice "none") and the
 * user spoke last, the forced tool or the first one, with the question as its first string
 * argument.
 */
export function toolCallFor(body: ChatBody, id: string): { id: string; name: string; arguments: string } | null {
  const tools = (body.tools ?? []).filter((tool) => tool.function?.name);
  if (tools.length === 0 || body.tool_choice === "none" || body.messages?.at(-1)?.role !== "user") return null;
  const forced = typeof body.tool_choice === "object" ? body.tool_choice.function?.name : undefined;
  const tool = tools.find((t) => t.function?.name === forced) ?? tools[0];
  const name = tool?.function?.name ?? "";
  const properties = Object.entries(tool?.function?.parameters?.properties ?? {});
  const first = properties.find(([, schema]) => schema.type === "string")?.[0];
  const question = textOf(body.messages?.at(-1)?.content).replace(PROMPT_SWITCHES, "").trim();
  return { id: `call_${id}`, name, arguments: JSON.stringify(first ? { [first]: question } : {}) };
}

/** Splits text into stream chunks that join back to exactly the text. */
export function chunksOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
