// Conversation history kept with the account: saved, listed, searched, renamed and deleted by
// the account itself, never readable by another account, and not offered to guests.
import { describe, expect, it } from "vitest";
import { adminHeaders, call, expectEnvelope, postJson, uniqueEmail } from "./helpers";

async function keyFor(email: string): Promise<Record<string, string>> {
  const response = await postJson("/api/admin/keys", { email, name: "history" }, adminHeaders());
  expect(response.status).toBe(201);
  const { key } = await response.json<{ key: { secret: string } }>();
  return { "X-Api-Key": key.secret };
}

function put(headers: Record<string, string>, id: string, body: unknown) {
  return call(`/api/conversations/${id}`, {
    method: "PUT",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

const conversation = (title: string, question: string, updated = Date.now()) => ({
  title,
  updated_at: updated,
  turns: [
    { id: "t1", role: "user", text: question },
    { id: "t2", role: "assistant", text: `An answer about ${question}`, status: "done" },
  ],
});

describe("/api/conversations", () => {
  it("keeps an account's conversations: save, list newest first, read, search, rename, delete", async () => {
    const headers = await keyFor(uniqueEmail("historian"));
    expect((await put(headers, "c-old", conversation("Old chat", "sourdough starters", 1_000))).status).toBe(200);
    expect((await put(headers, "c-new", conversation("Trip plans", "a week in Lisbon", 2_000))).status).toBe(200);

    const listed = await (await call("/api/conversations", { headers })).json<{
      conversations: Array<{ id: string }>;
    }>();
    expect(listed.conversations.map((c) => c.id)).toEqual(["c-new", "c-old"]);

    const one = await call("/api/conversations/c-new", { headers });
    expect(await one.json()).toMatchObject({
      ok: true,
      conversation: { id: "c-new", title: "Trip plans", turns: [{ role: "user", text: "a week in Lisbon" }, {}] },
    });

    // Search looks through the text as well as the titles, case-insensitively.
    const search = async (q: string) =>
      (
        await (
          await call(`/api/conversations?q=${encodeURIComponent(q)}`, { headers })
        ).json<{
          conversations: Array<{ id: string }>;
        }>()
      ).conversations.map((c) => c.id);
    expect(await search("SOURDOUGH")).toEqual(["c-old"]);
    expect(await search("trip")).toEqual(["c-new"]);
    expect(await search("100%")).toEqual([]);

    const renamed = await call("/api/conversations/c-old", {
      method: "PATCH",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "Bread" }),
    });
    expect(await renamed.json()).toMatchObject({ conversation: { id: "c-old", title: "Bread" } });
    expect(await search("bread")).toEqual(["c-old"]);

    expect((await call("/api/conversations/c-old", { method: "DELETE", headers })).status).toBe(200);
    await expectEnvelope(await call("/api/conversations/c-old", { headers }), 404, "conversation_not_found");
  });

  it("never shows one account's conversations to another", async () => {
    const owner = await keyFor(uniqueEmail("owner"));
    const other = await keyFor(uniqueEmail("other"));
    await put(owner, "private-1", conversation("Private", "my secret plan"));
    await expectEnvelope(await call("/api/conversations/private-1", { headers: other }), 404, "conversation_not_found");
    const listed = await (await call("/api/conversations?q=secret", { headers: other })).json<{
      conversations: unknown[];
    }>();
    expect(listed.conversations).toEqual([]);
    // Writing the same id as another account makes that account's own copy, not the owner's.
    await put(other, "private-1", conversation("Mine", "something else"));
    const owners = await (await call("/api/conversations/private-1", { headers: owner })).json<{
      conversation: { title: string };
    }>();
    expect(owners.conversation.title).toBe("Private");
    await expectEnvelope(
      await call("/api/conversations/private-1", { headers: { "X-Api-Key": "cg_sk_not-a-key" } }),
      401,
    );
  });

  it("is for signed-in accounts: a guest is told their history stays in the browser", async () => {
    const guest = await postJson("/auth/guest", {});
    const { token } = await guest.json<{ token: string }>();
    await expectEnvelope(
      await call("/api/conversations", { headers: { Authorization: `Bearer ${token}` } }),
      403,
      "history_needs_account",
    );
  });

  it("refuses what it cannot keep: odd ids, unknown roles, oversized bodies", async () => {
    const headers = await keyFor(uniqueEmail("bounds"));
    await expectEnvelope(await put(headers, "bad%20id", conversation("x", "y")), 404, "conversation_not_found");
    await expectEnvelope(
      await put(headers, "ok-id", { title: "x", updated_at: 1, turns: [{ id: "a", role: "system", text: "?" }] }),
      400,
      "invalid_request",
    );
    const huge = { title: "big", updated_at: 1, turns: [{ id: "a", role: "user", text: "x".repeat(600_000) }] };
    const response = await put(headers, "ok-id", huge);
    expect(response.status).toBe(413);
  });
});
