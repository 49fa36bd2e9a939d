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
// timer. A settle arms a timer only when none armed for its ledger fires by its due time, and a
// timer that finds the queue not yet due sleeps on until it is: about one timer a second for a
// busy account instead of one per ask (each a runtime event, each keeping its request alive).
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
  /** When the soonest of its settles must be on its way. */
  due: number;
}

const pending = new Map<string, Pending>();
/** When this isolate last called each ledger, and the time before (oldest ledgers first out). */
const calls = new Map<string, { last: number; previous: number }>();
const MAX_LEDGERS = 5_000;
/** Per ledger, when each timer armed for it fires (more than one when a sooner settle armed its own). */
const armed = new Map<string, number[]>();
/** The longest one request's timer keeps watching for others (its context stays alive meanwhile). */
const MAX_WATCH_MS = 5_000;
/** A timer this far past its time is taken for dead (its request was cancelled). */
const STALE_MS = 1_000;

function busy(key: string): boolean {
  const seen = calls.get(key);
  return seen !== undefined && seen.last - seen.previous < BUSY_WITHIN_MS;
}

/** True when a live timer armed for `key` fires by `at`. */
function armedBy(key: string, at: number): boolean {
  const now = Date.now();
  return armed.get(key)?.some((fires) => fires <= at && fires > now - STALE_MS) ?? false;
}

/** Notes a timer for `key`, dropping those already taken for dead (they would never disarm). */
function arm(key: string, fires: number): void {
  const now = Date.now();
  const live = (armed.get(key) ?? []).filter((time) => time > now - STALE_MS);
  live.push(fires);
  armed.set(key, live);
}

function disarm(key: string, fires: number): void {
  const times = armed.get(key) ?? [];
  const index = times.indexOf(fires);
  if (index >= 0) times.splice(index, 1);
  if (!times.length) armed.delete(key);
}

/**
 * Queues `input` for `stub`'s ledger. The returned promise (for ctx.waitUntil) ends once this
 * request's timer has sent whatever no other call carried by the time it was due; when another
 * timer for that ledger already fires by then, it waits on nothing.
 */
export function deferSettle(stub: LedgerStub, ref: AccountRef, input: SettleInput): Promise<void> {
  const key = stub.id.toString();
  const replayable = input.outcome !== undefined;
  const wait = answersInFlight() <= 1 ? IDLE_FLUSH_MS : busy(key) && !replayable ? BUSY_FLUSH_MS : FLUSH_MS;
  const due = Date.now() + wait;
  const entry: Pending = pending.get(key) ?? { ref, settles: [], due };
  pending.set(key, entry);
  entry.settles.push(input);
  entry.due = Math.min(entry.due, due);
  if (armedBy(key, entry.due)) return Promise.resolve();
  return track(watch(stub, key, entry.due));
}

/**
 * Sleeps until `at`, then sends what is queued for `key` if it is due — else sleeps until it is,
 * unless another timer will be awake by then. After MAX_WATCH_MS it sends what is queued anyway.
 */
async function watch(stub: LedgerStub, key: string, at: number): Promise<void> {
  const started = Date.now();
  let fires = at;
  for (;;) {
    arm(key, fires);
    await new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, fires - Date.now())));
    disarm(key, fires);
    const entry = pending.get(key);
    if (!entry) return;
    const now = Date.now();
    if (entry.due <= now || now - started >= MAX_WATCH_MS) {
      // Still waiting (nothing carried it): this request sends it, with its own stub.
      pending.delete(key);
      await send(stub, entry);
      return;
    }
    if (armedBy(key, entry.due)) return;
    fires = entry.due;
  }
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
