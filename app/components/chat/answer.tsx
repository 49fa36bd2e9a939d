// One answer: streamed markdown, who answered and what it cost, and what can be done with it.
import { useState } from "react";
import type { AnswerTurn } from "~/client/conversations";
import { CopyButton } from "./copy-button";
import { Markdown } from "./markdown";
import { ProblemNotice } from "./problem-notice";
import { ReadAloud, type ReadAloudOptions } from "./read-aloud";

interface Props {
  turn: AnswerTurn;
  isLast: boolean;
  busy: boolean;
  signedInAs: string | null;
  onRegenerate(): void;
  /** Absent when no text-to-speech provider is configured. */
  readAloud?: ReadAloudOptions | null;
}

function BillingLine({ turn }: { turn: AnswerTurn }) {
  const { bill, meta } = turn;
  if (!bill) {
    if (!meta?.provider) return null;
    return (
      <span>
        {meta.provider} · {meta.model}
      </span>
    );
  }
  const tokens = bill.tokensIn + bill.tokensOut;
  return (
    <>
      <span data-testid="billing-line">
        {bill.provider} · {bill.model} · {tokens} tokens ({bill.tokensIn} in, {bill.tokensOut} out
        {bill.estimated ? ", estimated" : ""}) · {bill.creditsUsed} credits
      </span>
      {bill.priceIn !== undefined && bill.priceOut !== undefined && (
        <span data-testid="billing-prices">
          at {bill.priceIn} in / {bill.priceOut} out per 1K tokens
        </span>
      )}
    </>
  );
}

export function Answer({ turn, isLast, busy, signedInAs, onRegenerate, readAloud }: Props) {
  const streaming = turn.status === "streaming";
  // Only an answer written while the page is open is announced; history read back stays quiet,
  // so a long chat is not dozens of live regions.
  const [arrivedHere] = useState(streaming);
  const live = isLast && arrivedHere;
  return (
    <article className="flex min-w-0 flex-col gap-2" aria-label="Cognomega's answer" data-status={turn.status}>
      {/* aria-busy holds screen readers back until the whole answer has arrived. */}
      <div aria-live={live ? "polite" : undefined} aria-busy={live ? streaming : undefined}>
        {turn.text ? (
          <Markdown text={turn.text} />
        ) : streaming ? (
          <p className="muted animate-pulse">Thinking…</p>
        ) : null}
      </div>
      {turn.status === "stopped" && <p className="muted text-sm">Stopped. Only the part that arrived is billed.</p>}
      {turn.problem && (
        <ProblemNotice
          problem={turn.problem}
          signedInAs={signedInAs}
          live={live}
          onRetry={isLast && !busy ? onRegenerate : undefined}
        />
      )}
      <footer className="muted flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
        <BillingLine turn={turn} />
        {!streaming && turn.text && <CopyButton text={turn.text} label="Copy answer" />}
        {readAloud && !streaming && turn.text && (
          <ReadAloud text={turn.text} email={signedInAs} onBalance={readAloud.onBalance} />
        )}
        {isLast && !busy && turn.status !== "failed" && (
          <button type="button" className="btn-quiet px-2 py-1 text-xs" onClick={onRegenerate}>
            Regenerate
          </button>
        )}
      </footer>
    </article>
  );
}
