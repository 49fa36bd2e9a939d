// /api/conversations/:id — GET one conversation, PUT it (create or replace), PATCH its title,
// DELETE it. Only the signed-in account's own: the store is named from the caller's account.
import { requireIdentity } from "~/server/auth/identity";
import {
  conversationId,
  conversationSchema,
  HISTORY_BODY_LIMIT,
  historyOf,
  notFound,
  renameSchema,
  wordsOf,
} from "~/server/history/service";
import { type EndpointArgs, endpoint } from "~/server/http/endpoint";
import { readJson } from "~/server/http/json";

async function target({ request, url, params, scope }: EndpointArgs<"id">) {
  const history = historyOf(scope.env, await requireIdentity(request, url, scope));
  return { history, id: conversationId(params.id) };
}

export default endpoint<"id">({
  async GET(args) {
    const { history, id } = await target(args);
    const conversation = await history.get(id);
    if (!conversation) throw notFound();
    return Response.json({ ok: true, conversation });
  },
  async PUT(args) {
    const { history, id } = await target(args);
    const body = await readJson(args.request, conversationSchema, { limit: HISTORY_BODY_LIMIT });
    const conversation = { id, ...body };
    return Response.json({ ok: true, conversation: await history.put(conversation, wordsOf(conversation)) });
  },
  async PATCH(args) {
    const { history, id } = await target(args);
    const body = await readJson(args.request, renameSchema);
    const renamed = await history.rename(id, body.title);
    if (!renamed) throw notFound();
    return Response.json({ ok: true, conversation: renamed });
  },
  async DELETE(args) {
    const { history, id } = await target(args);
    if (!(await history.remove(id))) throw notFound();
    return Response.json({ ok: true, deleted: id });
  },
});
