// The active conversation, turn by turn, kept scrolled to the newest text while the reader is
// already at the bottom.
import { useEffect, useRef } from "react";
import { formatBytes } from "~/client/upload";
import type { Chat } from "~/client/use-chat";
import { Answer } from "./answer";
import { Prompt } from "./prompt";

interface Props {
  chat: Chat;
  signedInAs: string | null;
}

export function Transcript({ chat, signedInAs }: Props) {
  const end = useRef<HTMLDivElement>(null);
  const turns = chat.active?.turns ?? [];
  const lastUser = turns.findLastIndex((t) => t.role === "user");

  useEffect(() => {
    const scroller = end.current?.closest("main");
    if (!scroller) return;
    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 160;
    if (nearBottom || !chat.streaming) end.current?.scrollIntoView({ block: "end" });
  });

  if (!turns.length) {
    return (
      <div className="mx-auto flex max-w-xl flex-col items-center px-4 py-16 text-center">
        <h2 className="text-2xl font-semibold tracking-tight">What can I help with?</h2>
        <p className="muted mt-2">
          {chat.loaded ? "Answers stream in as they are written. Press Escape to stop one." : "Loading your chats…"}
        </p>
      </div>
    );
  }

  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
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
            <p key={turn.id} className="ml-auto text-sm muted" data-testid="file-turn">
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
            onRegenerate={chat.regenerate}
          />
        );
      })}
      <div ref={end} />
    </div>
  );
}
