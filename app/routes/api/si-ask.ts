// POST /api/si/ask (+ /si/ask): the LLM gateway, billed.
import { endpoint } from "~/server/http/endpoint";
import { serveAsk } from "~/server/llm/serve";

export default endpoint({ POST: ({ request, url, scope }) => serveAsk(request, url, scope) });
