// GET /api/admin/ping: 200 with the admin key, 401 without or with a wrong one.
import { requireAdmin } from "~/server/auth/admin";
import { endpoint } from "~/server/http/endpoint";

export default endpoint({
  async GET({ request, scope }) {
    await requireAdmin(request, scope);
    return Response.json({ ok: true });
  },
});
