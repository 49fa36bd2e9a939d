// The active conversation, turn by turn, in its own scrolling region that follows the newest
// text while the reader is at the bottom (see use-follow.ts), with a "↓ Latest" button when
// they are not.
import { useRef } from "react";
import { formatBytes } from "~/client/upload";
import type { Chat } from "~/client/use-chat";
import { Answer } from "./answer";
import { focusComposer } from "./composer-focus";
import { Prompt } from "./prompt";
import type { ReadAloudOptions } from "./read-aloud";
import { useFollow } from "./use-follow";

interface Props {
  chat: Chat;
  signedInAs: string | null;
  /** Read aloud on each answer; null when no text-to-speech provider is configured. */
  readAloud?: ReadAloudOptions | null;
}

export function Transcript({ chat, signedInAs, readAloud }: Props) {
  const scroller = useRef<HTMLElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const turns = chat.active?.turns ?? [];
  const lastUser = turns.findLastIndex((t) => t.role === "user");
  const { away, jumpToLatest } = useFollow(scroller, content, `${chat.active?.id}:${turns[lastUser]?.id}`);

  const regenerate = () => {
    chat.regenerate();
    focusComposer();
  };

  return (
    <div className="relative min-h-0 flex-1">
      <section
        ref={scroller}
        aria-label="Conversation"
        className="h-full overflow-y-auto overscroll-contain"
        data-testid="transcript"
      >
        <div ref={content} className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
          {!turns.length && (
            <div className="flex flex-col items-center py-10 text-center">
              <h2 className="text-2xl font-semibold tracking-tight">What can I help with?</h2>
              <p className="muted mt-2">
                {chat.loaded
                  ? "Answers stream in as they are written. Press Escape to stop one."
                  : "Loading your chats…"}
              </p>
            </div>
          )}
          {turns.map((turn, index) => {
            if (turn.role === "user") {
              return (
                <Prompt
                  key={turn.id}
                  turn={turn}
                  editable={index === lastUser && !chat.streaming}
                  onResend={chat.editLast}
                />
              );
            }
            if (turn.role === "file") {
              return (
                <p key={turn.id} className="ml-auto text-sm wrap-anywhere muted" data-testid="file-turn" dir="auto">
                  Attached <strong className="text-zinc-900 dark:text-zinc-100">{turn.name}</strong> (
                  {formatBytes(turn.size)})
                </p>
              );
            }
            return (
              <Answer
                key={turn.id}
                turn={turn}
                isLast={index === turns.length - 1}
                busy={chat.streaming}
                signedInAs={signedInAs}
                onRegenerate={regenerate}
                readAloud={readAloud}
              />
            );
          })}
        </div>
      </section>
      {away && turns.length > 0 && (
        <button
          type="button"
          className="btn-outline absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-white shadow-md dark:bg-zinc-900"
          onClick={() => {
            jumpToLatest();
            focusComposer();
          }}
        >
          <span aria-hidden="true">↓</span> Latest
        </button>
      )}
    </div>
  );
}
