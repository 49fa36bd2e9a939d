// Where a message is written. With a keyboard, Enter sends and Shift+Enter starts a new line; on
// touch screens (no Shift+Enter there) Enter adds a line and the Send button sends. Ctrl/⌘+Enter
// sends everywhere. While an answer streams the Send button becomes Stop. Also file attachment,
// and the tier picker when the operator offers tiers (INTELLIGENCE_TIERS).
import {
  type ChangeEvent,
  type FormEvent,
  type KeyboardEvent,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { markComposerReady, TOUCH_QUERY, takeEarlyMessage } from "~/client/early-send";
import type { Chat } from "~/client/use-chat";
import type { useUploader } from "~/client/use-uploader";
import { COMPOSER_ID } from "./composer-focus";
import { UploadStatus } from "./upload-status";

interface Props {
  chat: Chat;
  tiers: string[];
  /** Credits per 1K tokens of each tier ("" = standard). */
  tierPrices: Record<string, { input: number; output: number }>;
  tier: string;
  onTier(tier: string): void;
  uploader: ReturnType<typeof useUploader>;
  blocked: string | null;
}

/** A tier's name with its price, as the picker lists it. */
function tierLabel(name: string, price: { input: number; output: number } | undefined): string {
  return price ? `${name} · ${price.input} / ${price.output} per 1K` : name;
}

export function Composer({ chat, tiers, tierPrices, tier, onTier, uploader, blocked }: Props) {
  const [text, setText] = useState("");
  const [touch, setTouch] = useState(false);
  /** A message sent before the page was ready (see client/early-send.ts). */
  const [held, setHeld] = useState<string | null>(null);
  /** The held message waits for an upload (not only for the page or the history). */
  const heldForUpload = useRef(false);
  const input = useRef<HTMLTextAreaElement>(null);

  // The hand-over from the early script happens in the commit itself (a layout effect), so no
  // keypress can fall between React taking the box and the script stepping aside.
  useLayoutEffect(() => {
    markComposerReady();
    const box = input.current;
    // What was typed before hydration stays in the box and in state.
    if (box?.value) setText(box.value);
    const early = takeEarlyMessage();
    if (early !== null) setHeld(early);
  }, []);

  useEffect(() => {
    const box = input.current;
    const coarse = matchMedia(TOUCH_QUERY).matches;
    setTouch(coarse);
    // A keyboard user lands in the message box; a phone does not pop its keyboard up unasked.
    if (!coarse && box && (document.activeElement === document.body || !document.activeElement)) box.focus();
  }, []);

  const uploading = uploader.state.kind === "uploading";
  const uploadFailed = uploader.state.kind === "failed";

  useEffect(() => {
    if (held === null) return;
    const release = () => {
      heldForUpload.current = false;
      setHeld(null);
      input.current?.form?.removeAttribute("data-held");
    };
    // The file the message was written about did not arrive: the message stays in the box, unsent.
    if (uploadFailed && heldForUpload.current) return release();
    if (!chat.loaded || uploading || blocked || chat.streaming) return;
    release();
    if (!held.trim()) return;
    chat.send(held);
    setText("");
  }, [held, chat.loaded, chat.streaming, chat.send, blocked, uploading, uploadFailed]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The box itself, not `text`: a key pressed before React re-rendered with what was typed
    // before hydration would otherwise find `text` still empty, and the message would be lost.
    const value = input.current?.value ?? text;
    if (chat.streaming || blocked || !value.trim()) return;
    // The stored history is not loaded yet (it would replace a conversation started now), or a
    // file is still uploading (the message goes with it): hold the message until then, as the
    // early script does before hydration.
    if (!chat.loaded || uploading) {
      heldForUpload.current = uploading;
      input.current?.form?.setAttribute("data-held", "");
      setHeld(value);
      return;
    }
    chat.send(value);
    setText("");
  };

  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    if (touch && !event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  };

  const stop = () => {
    chat.stop();
    input.current?.focus();
  };

  const pick = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) void uploader.choose(file);
  };

  const hint = touch
    ? "The Send button sends; Enter adds a new line."
    : "Enter sends. Shift+Enter adds a new line. Escape stops an answer while it streams.";
  return (
    // data-ready: hydrated and the stored history is loaded (tests wait for it).
    <form
      onSubmit={submit}
      className="mx-auto flex w-full max-w-3xl flex-col gap-2 px-4 pb-4"
      data-ready={chat.loaded || undefined}
    >
      <UploadStatus state={uploader.state} onDismiss={uploader.dismiss} />
      {held !== null && uploader.state.kind === "uploading" ? (
        <p role="status" className="muted text-sm" data-testid="held-for-upload">
          Your message goes as soon as {uploader.state.name} has uploaded.
        </p>
      ) : null}
      <div className="rounded-xl border border-zinc-300 bg-white p-2 shadow-sm focus-within:border-indigo-500 focus-within:ring-2 focus-within:ring-indigo-500/40 dark:border-zinc-700 dark:bg-zinc-900">
        <label htmlFor={COMPOSER_ID} className="sr-only">
          Message Cognomega
        </label>
        <textarea
          id={COMPOSER_ID}
          ref={input}
          rows={2}
          dir="auto"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={keyDown}
          enterKeyHint={touch ? "enter" : "send"}
          placeholder={blocked ?? (touch ? "Ask anything." : "Ask anything. Enter sends, Shift+Enter adds a line.")}
          aria-describedby="composer-hint"
          className="block max-h-60 min-h-12 w-full resize-y bg-transparent px-2 py-1 text-base outline-none [unicode-bidi:plaintext] placeholder:text-zinc-500 dark:placeholder:text-zinc-400"
        />
        <p id="composer-hint" className={touch ? "muted px-2 text-xs" : "sr-only"} data-testid="composer-hint">
          {hint}
        </p>
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <label className="btn-quiet cursor-pointer focus-within:outline-2 focus-within:outline-indigo-600 has-disabled:opacity-50">
            <input type="file" className="sr-only" onChange={pick} disabled={uploading || Boolean(blocked)} />
            <span aria-hidden="true">+</span> Attach<span className="hidden sm:inline"> file</span>
          </label>
          {tiers.length > 0 && (
            <label className="flex items-center gap-1 text-sm">
              <span className="muted sr-only sm:not-sr-only">Tier</span>
              <select
                className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
                value={tier}
                onChange={(event) => onTier(event.target.value)}
              >
                <option value="">{tierLabel("Standard", tierPrices[""])}</option>
                {tiers.map((name) => (
                  <option key={name} value={name}>
                    {tierLabel(name, tierPrices[name])}
                  </option>
                ))}
              </select>
            </label>
          )}
          <span className="flex-1" />
          {chat.streaming ? (
            <button type="button" className="btn-danger" onClick={stop}>
              <span aria-hidden="true">■</span> Stop
            </button>
          ) : (
            <button type="submit" className="btn-primary" disabled={!text.trim() || Boolean(blocked)}>
              Send <span aria-hidden="true">↵</span>
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
