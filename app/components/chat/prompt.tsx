// One of the user's messages; the latest can be edited and sent again.
import { type FormEvent, useState } from "react";
import type { UserTurn } from "~/client/conversations";
import { focusComposer } from "./composer-focus";
import { CopyButton } from "./copy-button";

interface Props {
  turn: UserTurn;
  editable: boolean;
  onResend(text: string): void;
}

export function Prompt({ turn, editable, onResend }: Props) {
  const [draft, setDraft] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft?.trim()) return;
    onResend(draft);
    setDraft(null);
    focusComposer();
  };
  const cancel = () => {
    setDraft(null);
    focusComposer();
  };

  if (draft !== null) {
    return (
      <form onSubmit={submit} className="ml-auto flex w-full max-w-[85%] flex-col gap-2">
        <label htmlFor={`edit-${turn.id}`} className="sr-only">
          Edit your message
        </label>
        <textarea
          id={`edit-${turn.id}`}
          className="field min-h-24"
          dir="auto"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => event.key === "Escape" && cancel()}
          // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this message
          autoFocus
        />
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-quiet" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" className="btn-primary">
            Send edited message
          </button>
        </div>
      </form>
    );
  }

  return (
    <article className="ml-auto flex max-w-[85%] min-w-0 flex-col items-end gap-1" aria-label="Your message">
      {/* wrap-anywhere: a long word or URL breaks inside the bubble instead of widening it;
          plaintext: each line takes the direction of its own script. */}
      <p
        dir="auto"
        className="max-w-full rounded-2xl bg-indigo-50 px-4 py-2 whitespace-pre-wrap wrap-anywhere [unicode-bidi:plaintext] text-zinc-900 dark:bg-indigo-950 dark:text-zinc-100"
      >
        {turn.text}
      </p>
      <div className="muted flex gap-1 text-xs">
        <CopyButton text={turn.text} label="Copy message" />
        {editable && (
          <button type="button" className="btn-quiet px-2 py-1 text-xs" onClick={() => setDraft(turn.text)}>
            Edit
          </button>
        )}
      </div>
    </article>
  );
}
