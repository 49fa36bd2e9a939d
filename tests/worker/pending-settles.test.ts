// The settle queue's timers (pending-settles.ts), against a stand-in for the ledger's stub that
// records what is sent: a busy account's settles share one timer instead of arming one each, and
// every settle still goes by its own due time.
import { describe, expect, it } from "vitest";
import type { LedgerStub } from "../../app/server/billing/ledger-client";
import { BUSY_FLUSH_MS, deferSettle, IDLE_FLUSH_MS, takeSettles } from "../../app/server/billing/pending-settles";
import type { AccountRef, SettleInput } from "../../app/server/billing/types";
import { trackAnswer } from "../../app/server/in-flight";

const ref: AccountRef = { account: "queue@example.com", kind: "email" };

/** A ledger stub that only records the settles sent on their own, and when. */
function recordingLedger() {
  const id = `ledger-${crypto.randomUUID()}`;
  const sent: { at: number; holds: string[] }[] = [];
  const stub = {
    id: { toString: () => id },
    settleMany: async (_ref: AccountRef, settles: SettleInput[]) => {
      sent.push({ at: Date.now(), holds: settles.map((settle) => settle.holdId) });
      return [];
    },
  } as unknown as LedgerStub;
  return { stub, sent };
}

function settle(holdId: string): SettleInput {
  const usage = { provider: "openai", model: "m", tokensIn: 1, tokensOut: 1, estimated: false, requestId: holdId };
  return { holdId, costMicro: 1, usage: { ...usage, outcome: "complete" } };
}

/** Resolves true when `promise` has already settled (it waits on no timer), false otherwise. */
async function alreadyDone(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

/** Keeps two answers "in flight" in this isolate until the returned function is called. */
function busyIsolate(): () => void {
  let finish = () => {};
  const answering = new Promise<void>((resolve) => (finish = resolve));
  void trackAnswer(answering);
  void trackAnswer(answering);
  return finish;
}

describe("the settle queue's timers", () => {
  it("lets a busy account's settles share one timer, which still sends the last by its own due time", async () => {
    const { stub, sent } = recordingLedger();
    const done = busyIsolate();
    try {
      takeSettles(stub); // two calls within a second: a busy account
      takeSettles(stub);
      const first = deferSettle(stub, ref, settle("h1"));
      expect(await alreadyDone(first)).toBe(false); // it armed a timer
      expect(takeSettles(stub)?.settles.map((s) => s.holdId)).toEqual(["h1"]); // the next hold carries it
      await new Promise((resolve) => setTimeout(resolve, 20));
      const queuedAt = Date.now();
      const second = deferSettle(stub, ref, settle("h2"));
      const third = deferSettle(stub, ref, settle("h3"));
      expect(await alreadyDone(second)).toBe(true); // the first timer will be awake by its due time
      expect(await alreadyDone(third)).toBe(true);
      await first; // wakes at BUSY_FLUSH_MS, finds h2 not yet due, sleeps until it is, sends it
      expect(sent).toHaveLength(1);
      expect(sent[0]?.holds).toEqual(["h2", "h3"]);
      expect(sent[0]?.at).toBeGreaterThanOrEqual(queuedAt + BUSY_FLUSH_MS);
      expect(sent[0]?.at).toBeLessThan(queuedAt + BUSY_FLUSH_MS + 500);
    } finally {
      done();
    }
  });

  it("arms a sooner timer for a settle due before the one already armed", async () => {
    const { stub, sent } = recordingLedger();
    const done = busyIsolate();
    const first = deferSettle(stub, ref, settle("h1")); // not yet busy: FLUSH_MS
    takeSettles(stub);
    done(); // the isolate is idle again: the next settle is due in IDLE_FLUSH_MS
    await new Promise((resolve) => setTimeout(resolve, 1));
    const queuedAt = Date.now();
    const second = deferSettle(stub, ref, settle("h2"));
    expect(await alreadyDone(second)).toBe(false);
    await second;
    expect(sent.map((batch) => batch.holds)).toEqual([["h2"]]);
    expect(sent[0]?.at).toBeGreaterThanOrEqual(queuedAt + IDLE_FLUSH_MS);
    await first; // woke to an empty queue: nothing more sent
    expect(sent).toHaveLength(1);
  });
});
