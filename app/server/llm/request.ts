// What a caller may ask for: validated at the edge, turned into chat messages.
import { z } from "zod";
import { PROVIDER_ID, TIER_NAME } from "../config-vars";
import { ApiError, badRequest } from "../http/errors";
import type { AskInput } from "./ask";
import type { ChatMessage } from "./types";

export const ASK_BODY_LIMIT = 256 * 1024;
export const MAX_MESSAGES = 100;
export const MAX_PROMPT_CHARS = 100_000;

const text = z.string({ error: "must be a string" });

export const askSchema = z
  .object({
    prompt: text.optional(),
    messages: z
      .array(z.object({ role: z.enum(["system", "user", "assistant"]), content: text }).strict())
      .min(1)
      .max(MAX_MESSAGES, `at most ${MAX_MESSAGES} messages`)
      .optional(),
    system: text.optional(),
    max_tokens: z.number().int().min(1).max(65_536).optional(),
    temperature: z.number().min(0).max(2).optional(),
    stream: z.boolean().optional(),
    // Built in or named in PROVIDERS; the plan refuses one this deployment cannot use.
    provider: z.string().regex(PROVIDER_ID, "must be a provider's name, such as groq, cfai or openai").optional(),
    model: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((body) => (body.prompt === undefined) !== (body.messages === undefined), {
    message: "send exactly one of prompt or messages",
    path: ["prompt"],
  });

export type AskBody = z.output<typeof askSchema>;

export function chatMessages(body: AskBody): ChatMessage[] {
  const messages: Array<ChatMessage & { content: string }> = [];
  if (body.system?.trim()) messages.push({ role: "system", content: body.system });
  if (body.prompt !== undefined) messages.push({ role: "user", content: body.prompt });
  else messages.push(...(body.messages ?? []));
  if (!messages.some((message) => message.role === "user" && message.content.trim())) {
    throw badRequest("prompt: there is nothing to answer (no non-empty user message)");
  }
  const size = messages.reduce((sum, message) => sum + message.content.length, 0);
  if (size > MAX_PROMPT_CHARS) {
    throw new ApiError(413, "prompt_too_large", `The conversation is over ${MAX_PROMPT_CHARS} characters.`, {
      limit: MAX_PROMPT_CHARS,
    });
  }
  return messages;
}

/** /api/si/ask's body (and a job's input) as the ask core's input. */
export function askInput(body: AskBody): AskInput {
  return {
    messages: chatMessages(body),
    maxTokens: body.max_tokens,
    temperature: body.temperature,
    provider: body.provider,
    model: body.model,
  };
}

export function tierOf(request: Request): string | undefined {
  const tier = request.headers.get("X-Intelligence-Tier")?.trim();
  if (!tier) return undefined;
  if (!TIER_NAME.test(tier)) throw badRequest("X-Intelligence-Tier must be 1-32 letters, digits, '_' or '-'.");
  return tier.toLowerCase();
}
