// GET /v1/models: every model name this deployment can serve now, with its price.
import { endpoint } from "~/server/http/endpoint";
import { serveModels } from "~/server/llm/v1/serve";

export default endpoint({ GET: ({ request, url, scope }) => serveModels(request, url, scope) });
