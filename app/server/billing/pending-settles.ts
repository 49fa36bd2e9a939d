// Settles waiting to ride on the next call to their ledger (docs/decisions/009). A settle runs
// after its answer was sent; rather than a round trip and a storage commit of its own, it is
// carried by the next call this isolate makes to the same account's ledger — usually the next
// ask's hold, which applies it first, in the same transaction — or sent on its own after
// FLUSH_MS by the request that queued it. The isolate reads its own writes: balance, usage and
// key reads carry pending settles too. A settle lost with its isolate is charged by its hold's
// expiry, like any settle that never came.
//
// Requests share only plain data here: a stub or a promise belongs to the request that made it
// (workerd refuses I/O across requests), so each request sends with its own stub and waits on
// its own timer.
import { track } from "../in-flight";
import { errorDetail, log } from "../log";
import type { LedgerStub } from "./ledger-client";
import type { AccountRef, SettleInput } from "./types";

/** The longest a settle waits for a call to ride on. */
export const FLUSH_MS = 50;

interface Pending {
  ref: AccountRef;
  settles: SettleInput[];
}

const pending = new Map<string, Pending>();

/**
 * Queues `input` for `stub`'s ledger. The returned promise (for ctx.waitUntil) ends after
 * FLUSH_MS, having sent whatever no other call carried by then.
 */
export function deferSettle(stub: LedgerStub, ref: AccountRef, input: SettleInput): Promise<void> {
  const key = stub.id.toString();
  const entry = pending.get(key) ?? { ref, settles: [] };
  pending.set(key, entry);
  entry.settles.push(input);
  return track(
    new Promise<void>((resolve) => setTimeout(resolve, FLUSH_MS)).then(async () => {
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
