// What /v1 answers, as schemas: /openapi.json describes the responses with them, and the tests
// parse real responses with them, so the description cannot drift from what is sent.
import { z } from "zod";
import { toolCallSchema } from "./schema";

export const usageSchema = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  cost: z.number().describe("Credits charged for this answer"),
  estimated: z.boolean().describe("True when the provider reported no usage and the counts are estimated"),
});

export const chatCompletionObject = z.object({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.number().int(),
  model: z.string(),
  provider: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({
        role: z.literal("assistant"),
        content: z.string().nullable(),
        refusal: z.null(),
        tool_calls: z.array(toolCallSchema).optional(),
      }),
      finish_reason: z.string(),
      logprobs: z.null(),
    }),
  ),
  usage: usageSchema,
});

export const chatCompletionChunk = z.object({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      delta: z.object({
        role: z.literal("assistant").optional(),
        content: z.string().nullish(),
        tool_calls: z.array(z.looseObject({ index: z.number().int() })).optional(),
      }),
      finish_reason: z.string().nullable(),
      logprobs: z.null(),
    }),
  ),
  usage: usageSchema.optional(),
});

export const modelObject = z.object({
  id: z.string(),
  object: z.literal("model"),
  created: z.number().int(),
  owned_by: z.string(),
  pricing: z.object({ input: z.number(), output: z.number(), unit: z.literal("credits per 1K tokens") }),
});

export const modelList = z.object({ object: z.literal("list"), data: z.array(modelObject) });

export const openAiErrorSchema = z.object({
  error: z.looseObject({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
});
