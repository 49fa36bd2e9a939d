// POST /v1/chat/completions' body, as OpenAI's protocol has it. Fields the gateway does not know
// are dropped, not refused: OpenAI's clients add new ones often. This schema is also what
// /openapi.json describes the endpoint with.
import { z } from "zod";

/** Messages in one request; an agent's tool loop grows the conversation quickly. */
export const V1_MAX_MESSAGES = 1000;

const text = z.string({ error: "must be a string" });

const textPart = z.object({ type: z.literal("text"), text });
const refusalPart = z.object({ type: z.literal("refusal"), refusal: text });
const imagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.object({
    url: z
      .string()
      .min(1)
      .refine((url) => /^(https?:\/\/|data:image\/[a-z0-9.+-]+;base64,)/i.test(url), {
        message: "must be an http(s) URL or a data:image/…;base64, URL",
      }),
    detail: z.enum(["auto", "low", "high"]).optional(),
  }),
});

const partError = (allowed: string) => ({
  error: (issue: { code?: string }) =>
    issue.code === "invalid_union" ? `this part's type is not one this gateway takes here (${allowed})` : undefined,
});

const contentError = (parts: string) => ({
  error: (issue: { code?: string }) =>
    issue.code === "invalid_union" ? `must be a string or a list of content parts (${parts})` : undefined,
});

const textContent = z.union([text, z.array(textPart).min(1)], contentError("text"));
const userContent = z.union(
  [text, z.array(z.discriminatedUnion("type", [textPart, imagePart], partError("text, image_url"))).min(1)],
  contentError("text, image_url"),
);
const assistantContent = z.union(
  [text, z.array(z.discriminatedUnion("type", [textPart, refusalPart], partError("text, refusal"))), z.null()],
  contentError("text, refusal"),
);

const name = z.string().min(1).max(256).optional();

export const toolCallSchema = z.object({
  id: z.string().min(1).max(256),
  type: z.literal("function"),
  function: z.object({ name: z.string().min(1).max(256), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion(
  "role",
  [
    z.object({ role: z.enum(["system", "developer"]), content: textContent, name }),
    z.object({ role: z.literal("user"), content: userContent, name }),
    z.object({
      role: z.literal("assistant"),
      content: assistantContent.optional(),
      tool_calls: z.array(toolCallSchema).max(128).optional(),
      refusal: z.string().nullish(),
      name,
    }),
    z.object({ role: z.literal("tool"), content: textContent, tool_call_id: z.string().min(1).max(256) }),
  ],
  { error: "role must be one of system, developer, user, assistant, tool" },
);

export type V1Message = z.output<typeof messageSchema>;

const toolSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '_' or '-'"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const whole = z.number().int();

export const chatCompletionSchema = z.object({
  /** A model id, `provider/model`, a tier name, or `auto` (also when omitted). */
  model: z.string().trim().max(300).optional(),
  messages: z
    .array(messageSchema)
    .min(1, "must hold at least one message")
    .max(V1_MAX_MESSAGES, `at most ${V1_MAX_MESSAGES} messages`),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: whole.min(1).nullish(),
  max_completion_tokens: whole.min(1).nullish(),
  stop: z.union([text, z.array(text).max(4)]).nullish(),
  seed: whole.nullish(),
  user: z.string().max(256).nullish(),
  response_format: z.looseObject({ type: z.enum(["text", "json_object", "json_schema"]) }).nullish(),
  n: whole.refine((n) => n === 1, "only 1 choice per request is supported").nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(toolSchema).max(128).nullish(),
  tool_choice: z
    .union([
      z.enum(["none", "auto", "required"]),
      z.looseObject({ type: z.literal("function"), function: z.object({ name: z.string().min(1) }) }),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
});

export type ChatCompletionBody = z.output<typeof chatCompletionSchema>;
