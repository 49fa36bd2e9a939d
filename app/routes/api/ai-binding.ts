// GET /api/ai/binding: is the Workers AI binding attached?
import { endpoint } from "~/server/http/endpoint";
import { aiBound } from "~/server/llm/providers/workers-ai";

export default endpoint({ GET: ({ scope }) => Response.json({ ai_bound: aiBound(scope.env) }) });
