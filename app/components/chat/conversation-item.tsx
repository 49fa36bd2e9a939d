// One conversation in the list: open it, rename it in place (Enter saves, Escape cancels), or
// delete it (undoable for a few seconds).
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import type { Conversation } from "~/client/conversations";

interface Props {
  conversation: Conversation;
  current: boolean;
  busy: boolean;
  onOpen(): void;
  onRename(title: string): void;
  onDelete(): void;
}

export function ConversationItem({ conversation: c, current, busy, onOpen, onRename, onDelete }: Props) {
  const [editing, setEditing] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (editing) field.current?.select();
  }, [editing]);

  const finish = (save: boolean) => {
    if (save && field.current) onRename(field.current.value);
    setEditing(false);
    requestAnimationFrame(() => renameButton.current?.focus());
  };
  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      finish(true);
    } else if (event.key === "Escape") {
      event.stopPropagation();
      finish(false);
    }
  };

  if (editing) {
    return (
      <li className="flex items-center gap-1 px-1 py-0.5">
        <input
          ref={field}
          defaultValue={c.title}
          dir="auto"
          maxLength={200}
          aria-label={`New name for “${c.title}”`}
          onKeyDown={keyDown}
          onBlur={() => finish(true)}
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
        />
      </li>
    );
  }
  return (
    <li className="group flex items-center">
      <button
        type="button"
        dir="auto"
        onClick={onOpen}
        aria-current={current ? "page" : undefined}
        className="min-w-0 flex-1 truncate rounded-md px-2 py-1.5 text-start text-sm hover:bg-zinc-200 aria-[current=page]:bg-zinc-200 aria-[current=page]:font-medium dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-zinc-800"
      >
        {c.title}
      </button>
      <button
        ref={renameButton}
        type="button"
        className="btn-quiet px-2 py-1 text-xs"
        onClick={() => setEditing(true)}
        aria-label={`Rename “${c.title}”`}
        disabled={busy}
      >
        <span aria-hidden="true">✎</span>
      </button>
      <button
        type="button"
        className="btn-quiet px-2 py-1 text-xs"
        onClick={onDelete}
        aria-label={`Delete “${c.title}”`}
        disabled={busy}
      >
        ✕
      </button>
    </li>
  );
}
