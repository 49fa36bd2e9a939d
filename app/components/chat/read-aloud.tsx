// "Read aloud" on an answer: play, pause and resume on one button (so keyboard focus stays put),
// Stop beside it while it speaks, and what it cost once it has played.
import { useEffect, useRef, useState } from "react";
import type { Problem } from "~/client/api";
import { createReader, type Reader, type ReaderState, type SpeechBill } from "~/client/speech";

/** Offered when this deployment has a text-to-speech provider (/ready's `tts` chain). */
export interface ReadAloudOptions {
  /** A new balance from a reading's bill (accounts only). */
  onBalance(balance: number): void;
}

interface Props extends Partial<ReadAloudOptions> {
  text: string;
  email: string | null;
}

const LABELS: Record<ReaderState, string> = {
  idle: "Read aloud",
  loading: "Preparing audio…",
  playing: "Pause",
  paused: "Resume",
};

export function ReadAloud({ text, email, onBalance }: Props) {
  const audio = useRef<HTMLAudioElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const reader = useRef<Reader | null>(null);
  const [state, setState] = useState<ReaderState>("idle");
  const [spent, setSpent] = useState(0);
  const [problem, setProblem] = useState<Problem | null>(null);
  // The status region exists only once this answer has been read aloud (before its words arrive,
  // so they are announced): a long chat is not dozens of live regions.
  const [used, setUsed] = useState(false);
  const balanceTo = useRef(onBalance);
  balanceTo.current = onBalance;

  useEffect(() => {
    if (!audio.current) return;
    const created = createReader(audio.current, {
      state: setState,
      billed: (bill: SpeechBill) => {
        setSpent((total) => total + bill.creditsUsed);
        if (bill.balance !== undefined) balanceTo.current?.(bill.balance);
      },
      problem: setProblem,
    });
    reader.current = created;
    return () => {
      created.dispose();
      reader.current = null;
    };
  }, []);

  const press = () => {
    const current = reader.current;
    if (!current) return;
    if (state === "idle") {
      setUsed(true);
      setProblem(null);
      current.play(text, email);
    } else if (state === "playing") current.pause();
    else if (state === "paused") current.resume();
  };
  const stop = () => {
    reader.current?.stop();
    // The Stop button goes away with the audio: focus returns to the button that started it.
    toggle.current?.focus();
  };

  return (
    <>
      <button
        ref={toggle}
        type="button"
        className="btn-quiet px-2 py-1 text-xs"
        onClick={press}
        aria-disabled={state === "loading" || undefined}
        data-testid="read-aloud"
      >
        {LABELS[state]}
      </button>
      {state !== "idle" && (
        <button type="button" className="btn-quiet px-2 py-1 text-xs" onClick={stop}>
          Stop reading
        </button>
      )}
      {/* Played through code only, so it shows nothing. */}
      {/* biome-ignore lint/a11y/useMediaCaption: it reads the answer shown above it, which is its transcript */}
      <audio ref={audio} preload="none" data-testid="read-aloud-audio" />
      {used && (
        <span role="status" className="empty:hidden">
          {problem
            ? `Read aloud failed: ${problem.message}`
            : spent > 0
              ? `Read aloud · ${Number(spent.toFixed(6))} credits`
              : ""}
        </span>
      )}
    </>
  );
}
