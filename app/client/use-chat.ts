// The chat's state: conversations (persisted), the active one, and the answer being streamed —
// with send, stop, regenerate, edit-and-resend and attachments.
import { useCallback, useRef, useState } from "react";
import type { AttachmentShared } from "../shared/ask-events";
import { newId, type Problem, ProblemError } from "./api";
import { type AnswerEnd, streamAnswer } from "./ask";
import {
  type AnswerTurn,
  type Conversation,
  type FileTurn,
  historyForModel,
  type Turn,
  titleFor,
} from "./conversations";
import { useHistory } from "./use-history";

export interface ChatOptions {
  email: string | null;
  /** Signed in: conversations are kept with the account on the server, not in this browser. */
  remote: boolean;
  tier: string;
  /** A new balance from a bill or a 402. */
  onBalance(balance: number): void;
  /** An answer ended without a bill (stopped, or the connection dropped). */
  onUnbilled(): void;
  /** Gets a fresh guest session after a 401; true when the ask may be retried. */
  renewSession(): Promise<boolean>;
}

/** A deleted conversation and where it was, so the deletion can be undone. */
export interface Removed {
  conversation: Conversation;
  index: number;
  wasActive: boolean;
}

const unexpected = (): Problem => ({ status: 0, code: "client_error", message: "The answer could not be read." });

export function useChat(options: ChatOptions) {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);
  /**
   * The active conversation as last chosen, for callbacks that outlive the render they were made
   * in (an upload that finishes after a send): they add to the conversation open now.
   */
  const activeRef = useRef<string | null>(null);
  const activate = useCallback((id: string | null) => {
    activeRef.current = id;
    setActiveId(id);
  }, []);
  const [streaming, setStreaming] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const latest = useRef(options);
  latest.current = options;

  const history = useHistory({
    remote: options.remote,
    conversations,
    setConversations,
    streaming,
    onLoaded: (list) => activate(list[0]?.id ?? null),
  });

  /** Sets a conversation's turns (or derives them from its current ones), creating it if new. */
  const setTurns = useCallback((id: string, next: Turn[] | ((current: Turn[]) => Turn[])) => {
    setConversations((list) => {
      const current = list.find((c) => c.id === id);
      const turns = typeof next === "function" ? next(current?.turns ?? []) : next;
      const first = turns.find((t) => t.role === "user");
      const updated: Conversation = {
        id,
        title:
          current && current.title !== "New chat" ? current.title : titleFor(first?.role === "user" ? first.text : ""),
        updatedAt: Date.now(),
        turns,
      };
      return [updated, ...list.filter((c) => c.id !== id)];
    });
  }, []);

  const patchAnswer = useCallback((conversationId: string, answerId: string, patch: Partial<AnswerTurn>) => {
    setConversations((list) =>
      list.map((c) =>
        c.id !== conversationId
          ? c
          : { ...c, turns: c.turns.map((t) => (t.id === answerId && t.role === "assistant" ? { ...t, ...patch } : t)) },
      ),
    );
  }, []);

  /** Records how each attached file reached the model (the answer's `meta` says). */
  const patchFiles = useCallback((conversationId: string, reports: AttachmentShared[]) => {
    const byKey = new Map(reports.map((report) => [report.key, report]));
    setConversations((list) =>
      list.map((c) =>
        c.id !== conversationId
          ? c
          : {
              ...c,
              turns: c.turns.map((t) => {
                const report = t.role === "file" ? byKey.get(t.key) : undefined;
                return report && t.role === "file"
                  ? { ...t, shared: report.shared, reason: report.reason, truncated: report.truncated }
                  : t;
              }),
            },
      ),
    );
  }, []);

  const answer = useCallback(
    async (conversationId: string, base: Turn[]) => {
      const answerId = newId();
      setTurns(conversationId, [...base, { id: answerId, role: "assistant", text: "", status: "streaming" }]);
      const abort = new AbortController();
      controller.current = abort;
      setStreaming(true);
      const { email, tier } = latest.current;
      let text = "";
      let frame = 0;
      // Tokens are painted once per animation frame, not once per token.
      const paint = () => {
        frame = 0;
        patchAnswer(conversationId, answerId, { text });
      };
      const ask = () =>
        streamAnswer({
          messages: historyForModel(base),
          email,
          tier,
          signal: abort.signal,
          onMeta: ({ attachments, ...meta }) => {
            patchAnswer(conversationId, answerId, { meta });
            if (attachments?.length) patchFiles(conversationId, attachments);
          },
          onToken(token) {
            text += token;
            frame ||= requestAnimationFrame(paint);
          },
        });
      try {
        let end: AnswerEnd;
        try {
          end = await ask();
        } catch (error) {
          const expired = error instanceof ProblemError && error.problem.status === 401 && !email;
          if (!expired || !(await latest.current.renewSession())) throw error;
          end = await ask();
        }
        cancelAnimationFrame(frame);
        patchAnswer(conversationId, answerId, {
          text,
          bill: end.bill,
          status: end.kind === "done" ? "done" : "interrupted",
          problem:
            end.kind === "done" ? undefined : { status: 502, code: "upstream_interrupted", message: end.message },
        });
        if (end.bill.balance !== undefined) latest.current.onBalance(end.bill.balance);
      } catch (error) {
        cancelAnimationFrame(frame);
        if (abort.signal.aborted) {
          patchAnswer(conversationId, answerId, { text, status: "stopped" });
          latest.current.onUnbilled();
        } else {
          const problem = error instanceof ProblemError ? error.problem : unexpected();
          patchAnswer(conversationId, answerId, { text, status: "failed", problem });
          if (problem.balance !== undefined && email) latest.current.onBalance(problem.balance);
          if (text) latest.current.onUnbilled();
        }
      } finally {
        controller.current = null;
        setStreaming(false);
      }
    },
    [patchAnswer, patchFiles, setTurns],
  );

  const active = conversations.find((c) => c.id === activeId) ?? null;

  const send = (text: string) => {
    if (streaming || !text.trim()) return;
    const id = active?.id ?? newId();
    activate(id);
    void answer(id, [...(active?.turns ?? []), { id: newId(), role: "user", text }]);
  };

  const regenerate = () => {
    const last = active?.turns.at(-1);
    if (!active || streaming || last?.role !== "assistant") return;
    void answer(active.id, active.turns.slice(0, -1));
  };

  const editLast = (text: string) => {
    if (!active || streaming || !text.trim()) return;
    const index = active.turns.findLastIndex((t) => t.role === "user");
    if (index < 0) return;
    void answer(active.id, [...active.turns.slice(0, index), { id: newId(), role: "user", text }]);
  };

  /** Adds a finished upload to the conversation open now (it goes with the next message). */
  const attach = useCallback(
    (file: Omit<FileTurn, "id" | "role">) => {
      const id = activeRef.current ?? newId();
      activate(id);
      const turn: FileTurn = { id: newId(), role: "file", ...file };
      setTurns(id, (turns) => [...turns, turn]);
    },
    [activate, setTurns],
  );

  /** Deletes a conversation; returns what `restore` needs to undo it. */
  const remove = (id: string): Removed | null => {
    const index = conversations.findIndex((c) => c.id === id);
    const conversation = conversations[index];
    if (!conversation) return null;
    setConversations((list) => list.filter((c) => c.id !== id));
    if (id === activeId) activate(null);
    return { conversation, index, wasActive: id === activeId };
  };

  /** The undo window is over: the deletion is final (on the server too, for an account). */
  const forget = (removed: Removed) => history.deleted(removed.conversation.id);

  const rename = (id: string, title: string) => {
    const current = conversations.find((c) => c.id === id);
    if (!current || !title.trim() || title.trim() === current.title) return;
    const renamed = { ...current, title: title.trim().slice(0, 200) };
    setConversations((list) => list.map((c) => (c.id === id ? renamed : c)));
    history.renamed(renamed);
  };

  const select = (id: string) => {
    if (streaming) return;
    activate(id);
    history.opened(conversations.find((c) => c.id === id));
  };

  const restore = ({ conversation, index, wasActive }: Removed) => {
    setConversations((list) =>
      list.some((c) => c.id === conversation.id) ? list : list.toSpliced(index, 0, conversation),
    );
    if (wasActive && !streaming) activate(conversation.id);
  };

  return {
    conversations,
    active,
    loaded: history.loaded,
    historyProblem: history.problem,
    search: history.search,
    streaming,
    send,
    stop: () => controller.current?.abort(),
    regenerate,
    editLast,
    attach,
    remove,
    restore,
    forget,
    rename,
    select,
    newChat: () => !streaming && activate(null),
  };
}

export type Chat = ReturnType<typeof useChat>;
