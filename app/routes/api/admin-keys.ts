// GET /api/admin/keys?email= (an account's keys) and POST /api/admin/keys (make one), admin only.
import { requireAdmin } from "~/server/auth/admin";
import { endpoint } from "~/server/http/endpoint";
import { readJson, readQuery } from "~/server/http/json";
import { adminKeyListSchema, adminNewKeySchema, createKey, emailAccount, listKeys } from "~/server/keys/manage";

export default endpoint({
  async GET({ request, url, scope }) {
    await requireAdmin(request, scope);
    const { email } = readQuery(url, adminKeyListSchema);
    return Response.json(await listKeys(scope.env.LEDGER, emailAccount(email)));
  },
  async POST({ request, scope }) {
    await requireAdmin(request, scope);
    const { email, ...body } = await readJson(request, adminNewKeySchema);
    return Response.json(await createKey(scope.env.LEDGER, emailAccount(email), body), { status: 201 });
  },
});
