// POST /api/credits/adjust (admin): `{ email, set? | delta?, reason? }`.
import { requireAdmin } from "~/server/auth/admin";
import { adjustSchema, applyAdjustment } from "~/server/billing/adjust";
import { endpoint } from "~/server/http/endpoint";
import { idempotencyKey } from "~/server/http/idempotency";
import { readJson } from "~/server/http/json";

export default endpoint({
  async POST({ request, scope }) {
    await requireAdmin(request, scope);
    const body = await readJson(request, adjustSchema);
    return Response.json(await applyAdjustment(scope.env.LEDGER, body, "admin:api", idempotencyKey(request)));
  },
});
