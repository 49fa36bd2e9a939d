// The conversation list (newest first), a new-chat button and the visitor's uploads. A column
// on wide screens; a drawer over the chat on phones.
import { useEffect, useRef } from "react";
import type { Chat } from "~/client/use-chat";
import { UploadsList } from "./uploads-list";

interface Props {
  chat: Chat;
  open: boolean;
  onClose(): void;
  email: string | null;
  uploadsVersion: number;
}

export function Sidebar({ chat, open, onClose, email, uploadsVersion }: Props) {
  const first = useRef<HTMLButtonElement>(null);
  // Opening the drawer moves focus into it; Escape closes it.
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);
  const pick = (id: string) => {
    chat.select(id);
    onClose();
  };
  return (
    <>
      {open && <div className="fixed inset-0 z-20 bg-black/40 md:hidden" onClick={onClose} aria-hidden="true" />}
      <aside
        id="sidebar"
        aria-label="Conversations"
        onKeyDown={(event) => open && event.key === "Escape" && onClose()}
        className={`${open ? "fixed inset-y-0 left-0 z-30 flex" : "hidden"} w-72 max-w-[85vw] flex-col gap-2 border-r border-zinc-200 bg-zinc-50 p-3 md:static md:flex dark:border-zinc-800 dark:bg-zinc-900`}
      >
        <div className="flex gap-2">
          <button
            ref={first}
            type="button"
            className="btn-outline flex-1"
            onClick={() => {
              chat.newChat();
              onClose();
            }}
            disabled={chat.streaming}
          >
            + New chat
          </button>
          <button type="button" className="btn-quiet md:hidden" onClick={onClose} aria-label="Close conversations">
            ✕
          </button>
        </div>
        <nav aria-label="Chat history" className="min-h-0 flex-1 overflow-y-auto">
          {chat.conversations.length === 0 && <p className="muted px-2 py-1 text-sm">No conversations yet.</p>}
          <ul className="flex flex-col gap-0.5">
            {chat.conversations.map((c) => (
              <li key={c.id} className="group flex items-center">
                <button
                  type="button"
                  onClick={() => pick(c.id)}
                  aria-current={c.id === chat.active?.id ? "page" : undefined}
                  className="min-w-0 flex-1 truncate rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-200 aria-[current=page]:bg-zinc-200 aria-[current=page]:font-medium dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-zinc-800"
                >
                  {c.title}
                </button>
                <button
                  type="button"
                  className="btn-quiet px-2 py-1 text-xs"
                  onClick={() => chat.remove(c.id)}
                  aria-label={`Delete “${c.title}”`}
                  disabled={chat.streaming}
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <UploadsList email={email} version={uploadsVersion} />
        <a href="/admin" className="btn-quiet justify-start text-sm">
          Admin dashboard
        </a>
      </aside>
    </>
  );
}
