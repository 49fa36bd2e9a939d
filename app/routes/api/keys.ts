// GET|POST /api/keys: the calling account's own API keys (a key of its, or its signed-in session).
import { requireCaller } from "~/server/auth/identity";
import { endpoint } from "~/server/http/endpoint";
import { readJson } from "~/server/http/json";
import { createKey, listKeys, newKeySchema } from "~/server/keys/manage";

export default endpoint({
  async GET({ request, url, scope }) {
    return Response.json(await listKeys(scope.env.LEDGER, await requireCaller(request, url, scope)));
  },
  async POST({ request, url, scope }) {
    const caller = await requireCaller(request, url, scope);
    const body = await readJson(request, newKeySchema, { emptyAsObject: true });
    return Response.json(await createKey(scope.env.LEDGER, caller, body), { status: 201 });
  },
});
