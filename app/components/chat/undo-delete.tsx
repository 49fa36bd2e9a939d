// "Deleted … Undo": a deleted conversation can be brought back for a few seconds, so one stray
// keypress on ✕ loses nothing. It waits while focus is on it.
import { type RefObject, useEffect, useRef } from "react";
import type { Removed } from "~/client/use-chat";

export const UNDO_SECONDS = 8;

interface Props {
  removed: Removed | null;
  onUndo(): void;
  onExpire(): void;
}

function useExpiry(removed: Removed | null, box: RefObject<HTMLElement | null>, onExpire: () => void) {
  const expire = useRef(onExpire);
  expire.current = onExpire;
  useEffect(() => {
    if (!removed) return;
    let timer: ReturnType<typeof setTimeout>;
    const arm = (ms: number) => {
      timer = setTimeout(() => {
        if (box.current?.contains(document.activeElement)) arm(2000);
        else expire.current();
      }, ms);
    };
    arm(UNDO_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [removed, box]);
}

export function UndoDelete({ removed, onUndo, onExpire }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useExpiry(removed, box, onExpire);
  return (
    <div ref={box} role="status" className={removed ? "mx-auto w-full max-w-3xl px-4 pb-2" : "sr-only"}>
      {removed && (
        <div className="flex items-center gap-3 rounded-lg bg-zinc-800 px-3 py-2 text-sm text-white dark:bg-zinc-200 dark:text-zinc-900">
          <span className="min-w-0 flex-1 truncate" dir="auto">
            Deleted “{removed.conversation.title}”.
          </span>
          <button
            type="button"
            className="rounded-md px-2 py-1 font-semibold text-indigo-200 underline hover:bg-zinc-700 dark:text-indigo-800 dark:hover:bg-zinc-300"
            onClick={onUndo}
          >
            Undo
          </button>
        </div>
      )}
    </div>
  );
}
