// Above and below the conversation list: a search across titles and text (the account's history
// on the server, a guest's in this browser), and export of the open conversation.
import { useEffect, useState } from "react";
import { conversationJson, conversationMarkdown, download, exportName } from "~/client/export";
import type { Chat } from "~/client/use-chat";

/** The ids matching the search box (null: no search), as the list should show them. */
export function useSearch(chat: Chat) {
  const [query, setQuery] = useState("");
  const [matches, setMatches] = useState<Set<string> | null>(null);
  const { search } = chat;
  useEffect(() => {
    const text = query.trim();
    if (!text) return setMatches(null);
    let current = true;
    // Typing settles first: one search per pause, not per key.
    const timer = setTimeout(() => {
      search(text)
        .then((ids) => current && setMatches(ids))
        .catch(() => current && setMatches(new Set()));
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, search]);
  return { query, setQuery, matches };
}

export function SearchBox({ query, onQuery }: { query: string; onQuery(query: string): void }) {
  return (
    <input
      type="search"
      value={query}
      dir="auto"
      onChange={(event) => onQuery(event.target.value)}
      placeholder="Search chats"
      aria-label="Search chats"
      className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm placeholder:text-zinc-500 dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-400"
    />
  );
}

export function ExportButtons({ chat }: { chat: Chat }) {
  const active = chat.active;
  if (!active || active.partial || !active.turns.length) return null;
  return (
    <fieldset className="flex items-center gap-1 text-sm">
      <legend className="sr-only">Export this chat</legend>
      <span className="muted" aria-hidden="true">
        Export:
      </span>
      <button
        type="button"
        className="btn-quiet px-2 py-1"
        aria-label="Export this chat as Markdown"
        onClick={() => download(exportName(active, "md"), conversationMarkdown(active), "text/markdown")}
      >
        Markdown
      </button>
      <button
        type="button"
        className="btn-quiet px-2 py-1"
        aria-label="Export this chat as JSON"
        onClick={() => download(exportName(active, "json"), conversationJson(active), "application/json")}
      >
        JSON
      </button>
    </fieldset>
  );
}
