// A signed-in account's conversations on the server (/api/conversations), so they follow the
// account to every device. The session cookie says who is asking; failures come back as Problems.
import { ProblemError, problemFrom } from "./api";
import type { Conversation, Turn } from "./conversations";

interface Summary {
  id: string;
  title: string;
  updated_at: number;
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: init.body ? { "Content-Type": "application/json" } : undefined,
  });
  if (!response.ok) throw new ProblemError(await problemFrom(response));
  return (await response.json()) as T;
}

const path = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

/** The account's conversations, newest first, without their turns (`partial` until opened). */
export async function listAccountConversations(query?: string): Promise<Conversation[]> {
  const search = query ? `?q=${encodeURIComponent(query)}` : "";
  const { conversations } = await call<{ conversations: Summary[] }>(`/api/conversations${search}`);
  return conversations.map((c) => ({ id: c.id, title: c.title, updatedAt: c.updated_at, turns: [], partial: true }));
}

export async function fetchTurns(id: string): Promise<Turn[]> {
  const { conversation } = await call<{ conversation: { turns: Turn[] } }>(path(id));
  return conversation.turns;
}

export function saveAccountConversation(conversation: Conversation): Promise<unknown> {
  // An answer still streaming is kept as stopped, as in this browser's own storage.
  const turns = conversation.turns.map((t) =>
    t.role === "assistant" && t.status === "streaming" ? { ...t, status: "stopped" } : t,
  );
  return call(path(conversation.id), {
    method: "PUT",
    body: JSON.stringify({ title: conversation.title, updated_at: Math.floor(conversation.updatedAt), turns }),
  });
}

export function renameAccountConversation(id: string, title: string): Promise<unknown> {
  return call(path(id), { method: "PATCH", body: JSON.stringify({ title }) });
}

export function deleteAccountConversation(id: string): Promise<unknown> {
  // keepalive: it may be sent as the page goes away (the end of the undo window).
  return call(path(id), { method: "DELETE", keepalive: true });
}
