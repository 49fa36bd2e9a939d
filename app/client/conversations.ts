// The conversation history, kept in this browser's localStorage so it survives reloads. Pure
// functions over plain data; the React state lives in useConversations.

import type { AttachmentShared } from "../shared/ask-events";
import type { Problem } from "./api";
import type { AnswerMeta, Bill, ChatMessage } from "./ask";

export interface UserTurn {
  id: string;
  role: "user";
  text: string;
}

export type AnswerStatus = "streaming" | "done" | "stopped" | "interrupted" | "failed";

export interface AnswerTurn {
  id: string;
  role: "assistant";
  text: string;
  status: AnswerStatus;
  meta?: AnswerMeta;
  bill?: Bill;
  problem?: Problem;
}

export interface FileTurn {
  id: string;
  role: "file";
  name: string;
  size: number;
  key: string;
  /** How the last answer's model received it (from the answer's `meta`). */
  shared?: AttachmentShared["shared"];
  reason?: string;
  truncated?: boolean;
}

export type Turn = UserTurn | AnswerTurn | FileTurn;

export interface Conversation {
  id: string;
  title: string;
  updatedAt: number;
  turns: Turn[];
  /** Listed from the account's history; its turns are fetched when it is opened. */
  partial?: boolean;
}

const STORE_KEY = "cg:conversations:v1";
const MAX_CONVERSATIONS = 50;

export function loadConversations(): Conversation[] {
  try {
    const stored = JSON.parse(localStorage.getItem(STORE_KEY) ?? "[]");
    if (!Array.isArray(stored)) return [];
    return stored.filter((c): c is Conversation => typeof c?.id === "string" && Array.isArray(c.turns));
  } catch {
    return [];
  }
}

export function saveConversations(list: Conversation[]): void {
  // An answer still streaming when the page goes away is kept as stopped.
  const settled = list.slice(0, MAX_CONVERSATIONS).map((c) => ({
    ...c,
    turns: c.turns.map((t) => (t.role === "assistant" && t.status === "streaming" ? { ...t, status: "stopped" } : t)),
  }));
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(settled));
  } catch {
    // Storage full or unavailable: the chat still works, it just is not remembered.
  }
}

export function titleFor(text: string): string {
  const line =
    text
      .replace(/\[\[upstream:[^\]]*\]\]/gi, "")
      .trim()
      .split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || "New chat";
}

/** What the API's limits allow: at most 100 messages and 100,000 characters, newest kept. */
const MAX_MESSAGES = 60;
const MAX_CHARS = 90_000;

export function historyForModel(turns: Turn[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const turn of turns) {
    if (turn.role === "user") messages.push({ role: "user", content: turn.text });
    else if (turn.role === "file") {
      // The Worker reads the file itself (by its upload key) and gives the model its content.
      messages.push({
        role: "user",
        content: `(I attached the file "${turn.name}".)`,
        attachments: [{ key: turn.key }],
      });
    } else if (turn.status !== "failed" && turn.text.trim()) messages.push({ role: "assistant", content: turn.text });
  }
  let chars = 0;
  let start = messages.length;
  while (start > 0 && messages.length - start < MAX_MESSAGES) {
    chars += messages[start - 1]?.content.length ?? 0;
    if (chars > MAX_CHARS && start < messages.length) break;
    start -= 1;
  }
  return messages.slice(start);
}
