// The account's conversation history as the API serves it: only a signed-in account (an email
// account proven by a key or a session made from one) has one; guests keep theirs in the browser.
import { z } from "zod";
import type { Identity } from "../auth/identity";
import { ApiError } from "../http/errors";
import type { ConversationStore, StoredConversation } from "./store";

export const HISTORY_BODY_LIMIT = 512 * 1024;
export const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

const title = z.string().trim().min(1, "must not be empty").max(200);

const turnSchema = z.looseObject({
  id: z.string().min(1).max(64),
  role: z.enum(["user", "assistant", "file"]),
  text: z.string().max(200_000).optional(),
});

export const conversationSchema = z
  .object({
    title,
    updated_at: z.number().int().min(0),
    turns: z.array(turnSchema).max(500),
  })
  .strict();

export const renameSchema = z.object({ title }).strict();

export const listSchema = z.object({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(200),
});

/** The store of the caller's own account; guests have none (403). */
export function historyOf(env: Env, identity: Identity): DurableObjectStub<ConversationStore> {
  if (identity.kind !== "email") {
    throw new ApiError(
      403,
      "history_needs_account",
      "Guests' conversations stay in their browser; sign in to keep them with your account.",
    );
  }
  return env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(`history:${identity.account}`));
}

export function conversationId(raw: string): string {
  if (!CONVERSATION_ID.test(raw)) throw new ApiError(404, "conversation_not_found", "No such conversation.");
  return raw;
}

export const notFound = () => new ApiError(404, "conversation_not_found", "No such conversation.");

/** The words a search looks through: the prompts and answers (and attached files' names). */
export function wordsOf(conversation: Pick<StoredConversation, "turns">): string {
  return conversation.turns
    .map((turn) => {
      const t = turn as { text?: unknown; name?: unknown };
      return typeof t.text === "string" ? t.text : typeof t.name === "string" ? t.name : "";
    })
    .join("\n");
}
