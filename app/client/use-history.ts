// Where the conversations are kept: a guest's in this browser's localStorage, a signed-in
// account's on the server (client/account-history.ts) so they follow the account to any device.
// Loads them once, saves what changed, and fetches an account conversation's turns when opened.
import { type Dispatch, type SetStateAction, useCallback, useEffect, useRef, useState } from "react";
import {
  deleteAccountConversation,
  fetchTurns,
  listAccountConversations,
  renameAccountConversation,
  saveAccountConversation,
} from "./account-history";
import { type Conversation, loadConversations, saveConversations } from "./conversations";

interface Options {
  /** Kept on the server (a signed-in account) rather than in this browser. */
  remote: boolean;
  conversations: Conversation[];
  setConversations: Dispatch<SetStateAction<Conversation[]>>;
  streaming: boolean;
  /** The list is in; the newest conversation opens. */
  onLoaded(list: Conversation[]): void;
}

/** Does a conversation's title or text contain `query` (case-insensitive)? */
function mentions(conversation: Conversation, query: string): boolean {
  const needle = query.toLocaleLowerCase();
  if (conversation.title.toLocaleLowerCase().includes(needle)) return true;
  return conversation.turns.some((t) => (t.role === "file" ? t.name : t.text).toLocaleLowerCase().includes(needle));
}

export function useHistory({ remote, conversations, setConversations, streaming, onLoaded }: Options) {
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  /** What the server last got of each conversation (by object identity: state is immutable). */
  const saved = useRef(new Map<string, Conversation>());
  const lastLocalSave = useRef(0);
  const loadedHandler = useRef(onLoaded);
  loadedHandler.current = onLoaded;
  const latest = useRef(conversations);
  latest.current = conversations;

  const open = useCallback(
    async (id: string) => {
      try {
        const turns = await fetchTurns(id);
        setConversations((list) =>
          list.map((c) => {
            if (c.id !== id || !c.partial) return c;
            const full = { ...c, turns, partial: false };
            saved.current.set(id, full);
            return full;
          }),
        );
      } catch {
        setProblem("This conversation could not be loaded from your account.");
      }
    },
    [setConversations],
  );

  useEffect(() => {
    if (!remote) {
      const stored = loadConversations();
      setConversations(stored);
      loadedHandler.current(stored);
      setLoaded(true);
      return;
    }
    // Signed in while the page was open: sends wait (the composer holds them) until the
    // account's list is in, and a conversation begun meanwhile is kept beside it, not replaced.
    setLoaded(false);
    const started = Date.now();
    listAccountConversations()
      .then((list) => {
        for (const c of list) saved.current.set(c.id, c);
        const listed = new Set(list.map((c) => c.id));
        const begun = latest.current.filter((c) => !listed.has(c.id) && c.updatedAt >= started && c.turns.length > 0);
        const merged = [...begun, ...list];
        setConversations(merged);
        loadedHandler.current(merged);
        if (list[0]) void open(list[0].id);
      })
      .catch(() => setProblem("Your saved conversations could not be loaded; new ones are still kept."))
      .finally(() => setLoaded(true));
  }, [remote, setConversations, open]);

  // Local: saved on every change, at most once a second while tokens arrive. Account: each
  // conversation that changed is sent once its answer has ended.
  useEffect(() => {
    if (!loaded) return;
    if (!remote) {
      const wait = streaming ? Math.max(0, 1000 - (Date.now() - lastLocalSave.current)) : 0;
      const timer = setTimeout(() => {
        lastLocalSave.current = Date.now();
        saveConversations(conversations);
      }, wait);
      return () => clearTimeout(timer);
    }
    if (streaming) return;
    for (const c of conversations) {
      if (c.partial || saved.current.get(c.id) === c) continue;
      saved.current.set(c.id, c);
      saveAccountConversation(c).catch(() => setProblem(`“${c.title}” could not be saved to your account.`));
    }
  }, [conversations, loaded, remote, streaming]);

  return {
    loaded,
    problem,
    /** Opens a conversation listed from the account (its turns are fetched once). */
    opened(conversation: Conversation | undefined) {
      if (remote && conversation?.partial) void open(conversation.id);
    },
    deleted(id: string) {
      if (!remote) return;
      saved.current.delete(id);
      deleteAccountConversation(id).catch(() => setProblem("The conversation could not be deleted from your account."));
    },
    renamed(conversation: Conversation) {
      if (!remote) return;
      saved.current.set(conversation.id, conversation);
      renameAccountConversation(conversation.id, conversation.title).catch(() =>
        setProblem("The new name could not be saved to your account."),
      );
    },
    /** The ids of the conversations whose title or text mention `query`. */
    async search(query: string): Promise<Set<string>> {
      if (!remote) return new Set(conversations.filter((c) => mentions(c, query)).map((c) => c.id));
      return new Set((await listAccountConversations(query)).map((c) => c.id));
    },
  };
}
