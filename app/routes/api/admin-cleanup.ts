// POST /api/admin/cleanup (admin): prune old usage records and finished jobs; `dry_run` counts only.
import { cleanup, cleanupSchema } from "~/server/admin/cleanup";
import { requireAdmin } from "~/server/auth/admin";
import { endpoint } from "~/server/http/endpoint";
import { readJson } from "~/server/http/json";

export default endpoint({
  async POST({ request, scope }) {
    await requireAdmin(request, scope);
    const input = await readJson(request, cleanupSchema);
    return Response.json(await cleanup(scope.env, input));
  },
});
