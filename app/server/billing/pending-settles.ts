// Settles waiting to ride on the next call to their ledger (docs/decisions/009). A settle runs
// after its answer was sent; rather than a round trip and a storage commit of its own, it is
// carried by the next call this isolate makes to the same account's ledger — usually the next
// ask's hold, which applies it first, in the same transaction — or sent on its own after
// FLUSH_MS by the request that queued it (or by an earlier one whose wait ends first, sending
// everything queued with it) — BUSY_FLUSH_MS for an account this isolate calls more
// than once a second, whose next hold is then almost always the ride (one storage commit per ask
// instead of two; an answer that an Idempotency-Key may replay still goes after FLUSH_MS). An
// isolate producing no other answer sends it IDLE_FLUSH_MS after the response: its time is free
// then, and a settle that rides makes the next ask's hold, on that ask's critical path, do its
// work. Not at once: the runtime writes (locally, compresses) a response's body in later turns,
// and a settle sent at once held the body back behind its storage commit. The
// isolate reads its own writes: balance, usage and key reads carry pending settles too. A settle
// lost with its isolate is charged by its hold's expiry, like any settle that never came.
//
// Requests share only plain data here: a stub or a promise belongs to the request that made it
// (workerd refuses I/O across requests), so a request sends with its own stub after its own
// timer; only a request that would send sooner than the entry's pending timer sets one.
import { answersInFlight, track } from "../in-flight";
import { errorDetail, log } from "../log";
import type { LedgerStub } from "./ledger-client";
import type { AccountRef, SettleInput } from "./types";

/** The longest a settle waits for a call to ride on. */
export const FLUSH_MS = 50;
/** …when this isolate is answering nothing else: just long enough for the response's bytes to leave first. */
export const IDLE_FLUSH_MS = 5;
/** …for a busy account: one whose last two calls from this isolate came within BUSY_WITHIN_MS. */
export const BUSY_FLUSH_MS = 1_000;
export const BUSY_WITHIN_MS = 1_000;

interface Pending {
  ref: AccountRef;
  settles: SettleInput[];
  /** When the soonest timer waiting on this entry fires (a request waits only to go sooner). */
  due?: number;
}

const pending = new Map<string, Pending>();
/** When this isolate last called each ledger, and the time before (oldest ledgers first out). */
const calls = new Map<string, { last: number; previous: number }>();
const MAX_LEDGERS = 5_000;

function busy(key: string): boolean {
  const seen = calls.get(key);
  return seen !== undefined && seen.last - seen.previous < BUSY_WITHIN_MS;
}

/**
 * Queues `input` for `stub`'s ledger. The returned promise (for ctx.waitUntil) ends after the
 * wait, having sent whatever no other call carried by then; a settle that joins an entry already
 * due as soon as its own wait would end waits on nothing (the earlier request sends it).
 */
export function deferSettle(stub: LedgerStub, ref: AccountRef, input: SettleInput): Promise<void> {
  const key = stub.id.toString();
  const entry: Pending = pending.get(key) ?? { ref, settles: [] };
  pending.set(key, entry);
  entry.settles.push(input);
  const replayable = input.outcome !== undefined;
  const wait = answersInFlight() <= 1 ? IDLE_FLUSH_MS : busy(key) && !replayable ? BUSY_FLUSH_MS : FLUSH_MS;
  const due = Date.now() + wait;
  if (entry.due !== undefined && entry.due <= due) return Promise.resolve();
  entry.due = due;
  return track(
    new Promise<void>((resolve) => setTimeout(resolve, wait)).then(async () => {
      // Still waiting (nothing carried it): this request sends it, with its own stub.
      if (pending.get(key) !== entry) return;
      pending.delete(key);
      await send(stub, entry);
    }),
  );
}

/** The settles waiting for `stub`'s ledger, taken to ride on a call now being made. */
export function takeSettles(stub: LedgerStub): Pending | null {
  const key = stub.id.toString();
  const seen = calls.get(key);
  if (!seen && calls.size >= MAX_LEDGERS) calls.delete(calls.keys().next().value as string);
  calls.set(key, { last: Date.now(), previous: seen?.last ?? Number.NEGATIVE_INFINITY });
  const entry = pending.get(key);
  if (!entry) return null;
  pending.delete(key);
  return entry;
}

/** Sends settles by themselves, through a stub of the current request. */
export async function send(stub: LedgerStub, entry: Pending): Promise<void> {
  try {
    await stub.settleMany(entry.ref, entry.settles);
  } catch (error) {
    const holds = entry.settles.map((settle) => settle.holdId);
    log("error", "settle", "settle failed; the holds' expiry will charge them", { holds, error: errorDetail(error) });
  }
}
