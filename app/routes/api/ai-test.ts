// POST /api/ai/test (admin): a tiny prompt through Workers AI, with its latency.
import { requireAdmin } from "~/server/auth/admin";
import { endpoint } from "~/server/http/endpoint";
import { pingWorkersAi } from "~/server/llm/workers-ai-check";

export default endpoint({
  async POST({ request, scope }) {
    await requireAdmin(request, scope);
    return Response.json(await pingWorkersAi(scope));
  },
});
