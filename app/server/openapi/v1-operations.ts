// /openapi.json's entries for OpenAI's protocol, /v1 (see operations.ts).
import { chatCompletionObject, modelList, modelObject } from "../llm/v1/answers";
import { chatCompletionSchema } from "../llm/v1/schema";
import type { Operations } from "./operations";

export const V1_OPERATIONS: Operations = {
  "/v1/chat/completions": {
    POST: {
      summary: "OpenAI's chat completions over the gateway, billed in credits",
      tag: "openai",
      auth: "identity",
      body: chatCompletionSchema,
      headers: ["Idempotency-Key", "X-Intelligence-Tier"],
      success: {
        status: 200,
        description: "A chat.completion, or chat.completion.chunk events with stream: true",
        schema: chatCompletionObject,
        stream: true,
      },
    },
  },
  "/v1/models": {
    GET: {
      summary: "Every model name this deployment serves now, with prices",
      tag: "openai",
      auth: "identity",
      success: { status: 200, description: "A list of models", schema: modelList },
    },
  },
  "/v1/models/:id": {
    GET: {
      summary: "One model name (ids with a slash percent-encoded)",
      tag: "openai",
      auth: "identity",
      success: { status: 200, description: "The model", schema: modelObject },
    },
  },
  "/v1/models/:provider/:model": {
    GET: {
      summary: "One provider/model pair, unencoded",
      tag: "openai",
      auth: "identity",
      success: { status: 200, description: "The model", schema: modelObject },
    },
  },
};
