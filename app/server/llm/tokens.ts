// Token estimates, for when a provider does not report usage and for holding credits before a
// call. The method (documented in OPS.md): one token per 4 UTF-8 bytes, rounded up, plus 4
// tokens per message for the chat framing. The hold uses a deliberately generous bound of one
// token per 3 bytes, so the real prompt almost never costs more than was held. A message's bytes
// are its text, its tool calls and ids; tool definitions and a response format count too, and
// each image part counts a fixed IMAGE_PART_TOKENS (providers bill images by their own rules).
import type { ChatMessage, ChatParams, Completion } from "./types";

const encoder = new TextEncoder();
const PER_MESSAGE = 4;
/** What one image part is held and estimated at (a 2048×2048 image at high detail stays below). */
export const IMAGE_PART_TOKENS = 1_600;

export function utf8Bytes(text: string): number {
  return encoder.encode(text).byteLength;
}

export function estimateTokens(text: string): number {
  return Math.ceil(utf8Bytes(text) / 4);
}

function messageBytes(message: ChatMessage): number {
  let bytes = utf8Bytes(message.content);
  if (message.toolCalls?.length) bytes += utf8Bytes(JSON.stringify(message.toolCalls));
  if (message.toolCallId) bytes += utf8Bytes(message.toolCallId);
  if (message.name) bytes += utf8Bytes(message.name);
  return bytes;
}

function imageTokens(message: ChatMessage): number {
  return (message.parts?.filter((part) => part.type === "image_url").length ?? 0) * IMAGE_PART_TOKENS;
}

/** The bytes the request's tool definitions and response format add to the prompt. */
function paramBytes(params?: ChatParams): number {
  if (!params) return 0;
  let bytes = 0;
  if (params.tools?.length) bytes += utf8Bytes(JSON.stringify(params.tools));
  if (params.tool_choice && typeof params.tool_choice === "object")
    bytes += utf8Bytes(JSON.stringify(params.tool_choice));
  if (params.response_format) bytes += utf8Bytes(JSON.stringify(params.response_format));
  return bytes;
}

export function estimatePromptTokens(messages: ChatMessage[], params?: ChatParams): number {
  const framed = messages.reduce(
    (sum, message) => sum + Math.ceil(messageBytes(message) / 4) + imageTokens(message) + PER_MESSAGE,
    0,
  );
  return framed + Math.ceil(paramBytes(params) / 4);
}

export function promptTokenBound(messages: ChatMessage[], params?: ChatParams): number {
  const framed = messages.reduce(
    (sum, message) => sum + Math.ceil(messageBytes(message) / 3) + imageTokens(message) + PER_MESSAGE,
    0,
  );
  return framed + Math.ceil(paramBytes(params) / 3);
}

/** The output of an answer, estimated: its text and the tool calls it made. */
export function estimateOutputTokens(completion: Pick<Completion, "text" | "toolCalls">): number {
  const calls = completion.toolCalls?.length ? utf8Bytes(JSON.stringify(completion.toolCalls)) : 0;
  return Math.ceil((utf8Bytes(completion.text) + calls) / 4);
}
