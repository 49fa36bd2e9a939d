// POST /v1/chat/completions: OpenAI's chat completions over the gateway, billed like /api/si/ask.
import { endpoint } from "~/server/http/endpoint";
import { serveChatCompletion } from "~/server/llm/v1/serve";

export default endpoint({ POST: ({ request, url, scope }) => serveChatCompletion(request, url, scope) });
