// Why an answer failed, in the API's own words, and what to do next. When the service says how
// long to wait (Retry-After / retry_after), Retry counts down and is enabled only when it ends.
import { useEffect, useState } from "react";
import type { Problem } from "~/client/api";

interface Props {
  problem: Problem;
  signedInAs: string | null;
  /** Announced as an alert: only for a failure that just happened, not one read from history. */
  live: boolean;
  onRetry?: () => void;
}

function advice(problem: Problem, email: string | null, waits: boolean): { title: string; next: string } {
  const wait = waits ? "Retry opens when the countdown ends." : "Retry in a moment.";
  switch (problem.status) {
    case 402:
      return {
        title: "Out of credits",
        next: email
          ? `Ask an admin to add credits to ${email} (Admin → the account → Adjust balance), then retry.`
          : "Guests get a small free allowance. Choose “Use my account email” at the top to chat on your account's credits.",
      };
    case 429:
      return { title: "Too many requests", next: `Wait a little: ${wait}` };
    case 503:
      return { title: "No model is available right now", next: `Nothing is wrong on your side. ${wait}` };
    case 401:
      return { title: "Your session has ended", next: "Reload the page to start a new session." };
    case 413:
      return { title: "That conversation is too long", next: "Start a new chat, or shorten your message." };
    case 0:
      return { title: "Connection problem", next: "Check your connection, then retry." };
    case 502:
      return { title: "The answer was cut short", next: "Regenerate to try again; only what arrived was billed." };
    default:
      return { title: "The request failed", next: "Retry; if it keeps failing, quote the request id below." };
  }
}

/** Seconds left until `until` (a Date.now() value), ticking down. */
function useCountdown(until: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (now >= until) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(1000, until - now));
    return () => clearTimeout(timer);
  }, [now, until]);
  return Math.max(0, Math.ceil((until - now) / 1000));
}

export function ProblemNotice({ problem, signedInAs, live, onRetry }: Props) {
  const [until] = useState(() => problem.retryAt ?? Date.now() + (problem.retryAfterSec ?? 0) * 1000);
  const left = useCountdown(until);
  const { title, next } = advice(problem, signedInAs, left > 0);
  const extra =
    problem.status === 402 && problem.needed !== undefined
      ? ` This answer needs up to ${problem.needed} credits; ${problem.balance ?? 0} are available.`
      : "";
  return (
    <div className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      {/* The countdown ticks outside the alert, so a screen reader hears the problem once. */}
      <div role={live ? "alert" : undefined} data-problem={problem.code}>
        <p className="font-semibold">{title}</p>
        <p className="mt-1">
          {problem.message}
          {extra}
        </p>
        <p className="mt-1">{next}</p>
        {problem.requestId && <p className="mt-1 font-mono text-xs opacity-80">Request id: {problem.requestId}</p>}
      </div>
      {onRetry && problem.status !== 401 && (
        <button type="button" className="btn-outline mt-2" onClick={onRetry} disabled={left > 0}>
          {left > 0 ? (
            <>
              Retry in <span data-testid="retry-countdown">{left}</span> s
            </>
          ) : (
            "Retry"
          )}
        </button>
      )}
      {problem.status === 401 && (
        <button type="button" className="btn-outline mt-2" onClick={() => location.reload()}>
          Reload
        </button>
      )}
    </div>
  );
}
