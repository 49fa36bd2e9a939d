// GET /api/conversations?q=&limit=: the signed-in account's conversations, newest first,
// searched across titles and text when `q` is given.
import { requireIdentity } from "~/server/auth/identity";
import { historyOf, listSchema } from "~/server/history/service";
import { endpoint } from "~/server/http/endpoint";
import { readQuery } from "~/server/http/json";

export default endpoint({
  async GET({ request, url, scope }) {
    const history = historyOf(scope.env, await requireIdentity(request, url, scope));
    const query = readQuery(url, listSchema);
    return Response.json({ ok: true, conversations: await history.list(query.q || undefined, query.limit) });
  },
});
