// What the gateway notes about each ask for the operator overview, after the response: who asked,
// what it cost, and every provider attempt (answered or failed, how long it took). Notes wait
// FLUSH_MS in this isolate and go to the day's stats object together (the pending-settles
// pattern: requests share only plain data; each sends with its own stub after its own timer).
import type { RequestScope } from "../context";
import { track } from "../in-flight";
import { errorDetail, log } from "../log";
import type { DayStats } from "./day-stats";

export const FLUSH_MS = 250;

export interface AttemptNote {
  provider: string;
  outcome: "ok" | "skipped" | "failed";
  ms?: number;
  reason?: string;
}

export interface AskNote {
  at: number;
  account: string;
  requestId: string;
  /** True when a provider answered. */
  answered: boolean;
  micro: number;
  tokens: number;
  attempts: AttemptNote[];
  /** Why nothing was answered (the error's code). */
  error?: string;
}

export type StatsNamespace = DurableObjectNamespace<DayStats>;

export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function statsOf(namespace: StatsNamespace, day: string): DurableObjectStub<DayStats> {
  return namespace.get(namespace.idFromName(`day:${day}`));
}

let pending: AskNote[] | null = null;

/**
 * Notes an ask; sent with others from this isolate within FLUSH_MS, after the response. The
 * request that opens a batch waits FLUSH_MS and sends it; the others only add to it.
 */
export function noteAsk(scope: RequestScope, note: AskNote): void {
  if (pending) {
    pending.push(note);
    return;
  }
  const batch = [note];
  pending = batch;
  const namespace = scope.env.STATS;
  scope.ctx.waitUntil(
    track(
      new Promise<void>((resolve) => setTimeout(resolve, FLUSH_MS)).then(async () => {
        if (pending === batch) pending = null;
        const byDay = new Map<string, AskNote[]>();
        for (const entry of batch) byDay.set(dayOf(entry.at), [...(byDay.get(dayOf(entry.at)) ?? []), entry]);
        try {
          await Promise.all([...byDay].map(([day, notes]) => statsOf(namespace, day).record(notes)));
        } catch (error) {
          log("error", scope.requestId, "stats not recorded", { asks: batch.length, error: errorDetail(error) });
        }
      }),
    ),
  );
}
