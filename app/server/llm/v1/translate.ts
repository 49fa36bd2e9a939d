// A /v1/chat/completions body as the ask core's input (AskInput): messages with their parts and
// tool calls, OpenAI's parameters passed on, and `model` resolved to the plan's narrowing.
import type { Config } from "../../config";
import { ApiError } from "../../http/errors";
import type { AskInput } from "../ask";
import { MAX_PROMPT_CHARS } from "../request";
import type { ChatMessage, ChatParams, ContentPart } from "../types";
import { resolveModel } from "./model-names";
import type { ChatCompletionBody, V1Message } from "./schema";

type Part = { type: string; text?: string; refusal?: string };

/** The text of a message's content: a string, or its text (and refusal) parts joined. */
function textOf(content: string | Part[] | null | undefined): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content
    .map((part) => part.text ?? part.refusal ?? "")
    .filter(Boolean)
    .join("\n");
}

function chatMessage(message: V1Message): ChatMessage {
  switch (message.role) {
    case "system":
    case "developer":
      // `developer` is OpenAI's newer name for the system turn; other servers know only `system`.
      return { role: "system", content: textOf(message.content), ...(message.name ? { name: message.name } : {}) };
    case "user": {
      // Parts stay parts only when they carry images; text parts alone are joined.
      const parts = Array.isArray(message.content) ? (message.content as ContentPart[]) : undefined;
      const hasImage = parts?.some((part) => part.type === "image_url");
      return {
        role: "user",
        content: hasImage && parts ? parts : textOf(message.content),
        ...(message.name ? { name: message.name } : {}),
      };
    }
    case "assistant":
      return {
        role: "assistant",
        content: textOf(message.content),
        ...(message.tool_calls?.length ? { toolCalls: message.tool_calls } : {}),
        ...(message.name ? { name: message.name } : {}),
      };
    case "tool":
      return { role: "tool", content: textOf(message.content), toolCallId: message.tool_call_id };
  }
}

/** OpenAI's parameters the ask core passes on as sent (temperature and tools it carries itself). */
function paramsOf(body: ChatCompletionBody): ChatParams | undefined {
  const tools = Boolean(body.tools?.length);
  const params: ChatParams = {
    top_p: body.top_p ?? undefined,
    stop: body.stop ?? undefined,
    seed: body.seed ?? undefined,
    user: body.user ?? undefined,
    response_format: body.response_format ?? undefined,
    tool_choice: tools ? (body.tool_choice ?? undefined) : undefined,
    parallel_tool_calls: tools ? (body.parallel_tool_calls ?? undefined) : undefined,
  };
  for (const key of Object.keys(params) as Array<keyof ChatParams>) if (params[key] === undefined) delete params[key];
  return Object.keys(params).length > 0 ? params : undefined;
}

export interface V1Ask {
  input: AskInput;
  tier?: string;
}

/** The body as the ask core takes it; `headerTier` is X-Intelligence-Tier, used when `model` is auto. */
export function translate(body: ChatCompletionBody, config: Config, env: Pick<Env, "AI">, headerTier?: string): V1Ask {
  const size = body.messages.reduce((sum, message) => sum + textOf(message.content).length, 0);
  if (size > MAX_PROMPT_CHARS) {
    throw new ApiError(413, "prompt_too_large", `The conversation is over ${MAX_PROMPT_CHARS} characters.`, {
      limit: MAX_PROMPT_CHARS,
      param: "messages",
    });
  }
  const selected = resolveModel(config, env, body.model);
  const tier = selected.tier ?? (selected.provider || selected.model ? undefined : headerTier);
  const params = paramsOf(body);
  return {
    input: {
      messages: body.messages.map(chatMessage),
      provider: selected.provider,
      model: selected.model,
      maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
      temperature: body.temperature ?? undefined,
      ...(body.tools?.length ? { tools: body.tools } : {}),
      ...(params ? { params } : {}),
    },
    tier,
  };
}
