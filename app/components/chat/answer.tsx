// One answer: streamed markdown, who answered and what it cost, and what can be done with it.
import type { AnswerTurn } from "~/client/conversations";
import { CopyButton } from "./copy-button";
import { Markdown } from "./markdown";
import { ProblemNotice } from "./problem-notice";

interface Props {
  turn: AnswerTurn;
  isLast: boolean;
  busy: boolean;
  signedInAs: string | null;
  onRegenerate(): void;
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
    <span data-testid="billing-line">
      {bill.provider} · {bill.model} · {tokens} tokens ({bill.tokensIn} in, {bill.tokensOut} out
      {bill.estimated ? ", estimated" : ""}) · {bill.creditsUsed} credits
    </span>
  );
}

export function Answer({ turn, isLast, busy, signedInAs, onRegenerate }: Props) {
  const streaming = turn.status === "streaming";
  return (
    <article className="flex flex-col gap-2" aria-label="Cognomega's answer" data-status={turn.status}>
      {/* aria-busy holds screen readers back until the whole answer has arrived. */}
      <div aria-live="polite" aria-busy={streaming}>
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
          onRetry={isLast && !busy ? onRegenerate : undefined}
        />
      )}
      <footer className="muted flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
        <BillingLine turn={turn} />
        {!streaming && turn.text && <CopyButton text={turn.text} label="Copy answer" />}
        {isLast && !busy && turn.status !== "failed" && (
          <button type="button" className="btn-quiet px-2 py-1 text-xs" onClick={onRegenerate}>
            Regenerate
          </button>
        )}
      </footer>
    </article>
  );
}
