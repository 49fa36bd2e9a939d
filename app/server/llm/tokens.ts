// Token estimates, for when a provider does not report usage and for holding credits before a
// call. The method (documented in OPS.md): one token per 4 UTF-8 bytes, rounded up, plus 4
// tokens per message for the chat framing. The hold uses a deliberately generous bound of one
// token per 3 bytes, so the real prompt almost never costs more than was held.
import type { ChatMessage } from "./types";

const encoder = new TextEncoder();
const PER_MESSAGE = 4;

export function utf8Bytes(text: string): number {
  return encoder.encode(text).byteLength;
}

export function estimateTokens(text: string): number {
  return Math.ceil(utf8Bytes(text) / 4);
}

export function estimatePromptTokens(messages: ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + estimateTokens(message.content) + PER_MESSAGE, 0);
}

export function promptTokenBound(messages: ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + Math.ceil(utf8Bytes(message.content) / 3) + PER_MESSAGE, 0);
}
