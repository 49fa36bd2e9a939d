// The conversation list (newest first) with search, rename and export, a new-chat button and the
// visitor's uploads. A column
// on wide screens; on phones a modal drawer that keeps focus inside until it closes.
import { type KeyboardEvent, type ReactNode, useEffect, useRef } from "react";
import type { Chat } from "~/client/use-chat";
import { ThemeToggle } from "../theme-toggle";
import { ConversationItem } from "./conversation-item";
import { ExportButtons, SearchBox, useSearch } from "./history-tools";
import { UploadsList } from "./uploads-list";

/** Why the drawer closed: a choice moves on to the chat, a dismissal goes back to its button. */
export type CloseReason = "chose" | "dismissed";

interface Props {
  chat: Chat;
  open: boolean;
  onClose(reason: CloseReason): void;
  onDelete(id: string): void;
  email: string | null;
  uploadsVersion: number;
  /** The "Deleted … Undo" bar, shown here while the drawer is open over the chat. */
  undo: ReactNode;
}

const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select, textarea, summary, [tabindex='0']";

/** Tab and Shift+Tab wrap around inside the open drawer. */
function trapTab(event: KeyboardEvent<HTMLElement>) {
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.offsetParent !== null,
  );
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

export function Sidebar({ chat, open, onClose, onDelete, email, uploadsVersion, undo }: Props) {
  const first = useRef<HTMLButtonElement>(null);
  // Opening the drawer moves focus into it.
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);
  const { query, setQuery, matches } = useSearch(chat);
  const shown = matches ? chat.conversations.filter((c) => matches.has(c.id)) : chat.conversations;
  const pick = (id: string) => {
    chat.select(id);
    onClose("chose");
  };
  const keyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!open) return;
    if (event.key === "Escape") {
      event.stopPropagation();
      onClose("dismissed");
    } else if (event.key === "Tab") trapTab(event);
  };
  return (
    <>
      {open && (
        <div
          className="fixed inset-0 z-20 bg-black/40 md:hidden"
          onClick={() => onClose("dismissed")}
          aria-hidden="true"
        />
      )}
      {/* On a phone the open drawer is a modal dialog; on wide screens a column beside the chat
          (<aside> may not take the dialog role, so the element carries its role itself). */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: keys inside the drawer (Escape, Tab) are handled here */}
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: its role (complementary or dialog) takes these */}
      <div
        id="sidebar"
        aria-label="Conversations"
        role={open ? "dialog" : "complementary"}
        aria-modal={open ? true : undefined}
        onKeyDown={keyDown}
        className={`${open ? "fixed inset-y-0 left-0 z-30 flex" : "hidden"} w-72 max-w-[85vw] flex-col gap-2 border-r border-zinc-200 bg-zinc-50 p-3 md:static md:flex dark:border-zinc-800 dark:bg-zinc-900`}
      >
        <div className="flex gap-2">
          <button
            ref={first}
            type="button"
            className="btn-outline flex-1"
            onClick={() => {
              chat.newChat();
              onClose("chose");
            }}
            disabled={chat.streaming}
          >
            + New chat
          </button>
          <button
            type="button"
            className="btn-quiet md:hidden"
            onClick={() => onClose("dismissed")}
            aria-label="Close conversations"
          >
            ✕
          </button>
        </div>
        <SearchBox query={query} onQuery={setQuery} />
        <nav aria-label="Chat history" className="min-h-0 flex-1 overflow-y-auto">
          {chat.conversations.length === 0 && <p className="muted px-2 py-1 text-sm">No conversations yet.</p>}
          {matches && shown.length === 0 && <p className="muted px-2 py-1 text-sm">No chat mentions that.</p>}
          <ul className="flex flex-col gap-0.5">
            {shown.map((c) => (
              <ConversationItem
                key={c.id}
                conversation={c}
                current={c.id === chat.active?.id}
                busy={chat.streaming}
                onOpen={() => pick(c.id)}
                onRename={(title) => chat.rename(c.id, title)}
                onDelete={() => {
                  onDelete(c.id);
                  // In the drawer, focus stays inside it (the chat behind is out of reach).
                  if (open) requestAnimationFrame(() => first.current?.focus());
                }}
              />
            ))}
          </ul>
        </nav>
        {chat.historyProblem && (
          <p role="alert" className="px-2 text-xs text-red-700 dark:text-red-300">
            {chat.historyProblem}
          </p>
        )}
        <ExportButtons chat={chat} />
        {undo}
        <UploadsList email={email} version={uploadsVersion} />
        <div className="flex items-center justify-between gap-2">
          <a href="/admin" className="btn-quiet justify-start text-sm">
            Admin dashboard
          </a>
          <span className="md:hidden">
            <ThemeToggle />
          </span>
        </div>
      </div>
    </>
  );
}
