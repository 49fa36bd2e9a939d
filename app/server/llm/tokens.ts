// Token counts without a tokenizer. Two different questions:
//  - an ESTIMATE, for when a provider reports no usage: one token per 4 UTF-8 bytes, rounded up,
//    plus 4 tokens per message for the chat framing (OPS.md §9);
//  - an UPPER BOUND, for the hold: no tokenizer makes more tokens of a text than it has UTF-8
//    bytes (byte-level BPE falls back to one token per byte at worst), so the bound is the bytes,
//    plus 16 per message and 16 for the conversation's framing, plus the bytes of the tool
//    definitions, plus IMAGE_TOKEN_BOUND per image part. Whatever characters a prompt uses, the
//    provider cannot bill more prompt tokens than the hold was sized for.
// A message's bytes are its text and, in a tool conversation, its tool calls and ids.

const encoder = new TextEncoder();
const PER_MESSAGE = 4;
const FRAMING_PER_MESSAGE = 16;
const FRAMING_PER_CONVERSATION = 16;
/**
 * The most tokens one image part can cost with the providers we know (OpenAI's largest tiling,
 * with its mini models' multiplier, is under 2,500): documented in OPS.md §9.
 */
export const IMAGE_TOKEN_BOUND = 3_000;

export function utf8Bytes(text: string): number {
  return encoder.encode(text).byteLength;
}

export function estimateTokens(text: string): number {
  return Math.ceil(utf8Bytes(text) / 4);
}

/** Text of a message's content, whether a string or OpenAI-style parts. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
}

function imageParts(content: unknown): number {
  return Array.isArray(content) ? content.filter((part) => part?.type && part.type !== "text").length : 0;
}

type PromptMessage = { content: unknown; toolCalls?: unknown; toolCallId?: string };

/** The bytes a tool conversation adds to a message: its tool calls and the id it answers. */
function toolBytes(message: PromptMessage): number {
  return (
    (message.toolCalls === undefined ? 0 : utf8Bytes(JSON.stringify(message.toolCalls))) +
    (message.toolCallId ? utf8Bytes(message.toolCallId) : 0)
  );
}

export function estimatePromptTokens(messages: ReadonlyArray<PromptMessage>): number {
  return messages.reduce(
    (sum, message) => sum + Math.ceil((utf8Bytes(textOf(message.content)) + toolBytes(message)) / 4) + PER_MESSAGE,
    0,
  );
}

/** The most tokens the prompt can be billed as (see above); `tools` as the provider is sent them. */
export function promptTokenBound(messages: ReadonlyArray<PromptMessage>, tools?: unknown): number {
  let bound = FRAMING_PER_CONVERSATION;
  for (const message of messages) {
    bound +=
      utf8Bytes(textOf(message.content)) +
      toolBytes(message) +
      FRAMING_PER_MESSAGE +
      imageParts(message.content) * IMAGE_TOKEN_BOUND;
  }
  if (tools !== undefined) bound += utf8Bytes(JSON.stringify(tools));
  return bound;
}

/** A cut-short answer's output, counted so as not to undercount: bytes/4 or the chunks seen. */
export function deliveredTokens(text: string, chunks: number): number {
  return Math.max(estimateTokens(text), chunks);
}
