// When an ask may call its provider while its hold is still being taken (docs/decisions/012).
// The hold stays the authority: the answer is released only once the ledger has held the credits,
// a refused hold aborts the upstream call, and a hold smaller than the one assumed sends the call
// again at the right output cap. What makes a head start safe enough is this isolate's own
// knowledge of the account: the funds its previous hold answer left available, less the worst case
// of every ask it has sent to that ledger since, must cover this ask's worst case twice over.
// Anything else — no answer yet, a refusal, a key, a token made from a key, an Idempotency-Key, a
// job — waits for the hold first, as before.
import type { Caller, ReserveResult } from "../billing/types";

/** At most this many asks per account run ahead of their holds in one isolate at once. */
export const MAX_HEAD_STARTS = 8;
/** The funds known must cover the ask's worst case this many times over. */
export const COVER = 2;
/** Accounts remembered per isolate (oldest first out). */
const MAX_ACCOUNTS = 5_000;

interface Known {
  /** Available (balance − held) as the last hold answer said. */
  available: number;
  /** Worst cases of asks sent since that answer and not yet answered. */
  pending: number;
  /** Asks running ahead of their holds now. */
  ahead: number;
}

const known = new Map<string, Known>();

/**
 * The account a head start may be judged for: only callers whose account is known before the
 * ledger answers, with nothing the ledger alone can check (a key, a token made from a key).
 */
function accountOf(caller: Caller): string | null {
  return caller.via === "account" && !caller.tokenKeyId ? caller.ref.account : null;
}

/** An ask's place in its account's reckoning, from the moment its hold is sent until its answer. */
export interface HoldTicket {
  /** True when the provider may be called before the hold answers. */
  readonly ahead: boolean;
  /** Records the hold's answer (call exactly once). */
  answered(result: ReserveResult | null): void;
}

const NO_TICKET: HoldTicket = { ahead: false, answered: () => undefined };

/** Opens a ticket for a hold of at most `worstMicro` about to be sent for `caller`. */
export function holdTicket(caller: Caller, worstMicro: number, eligible: boolean): HoldTicket {
  const account = accountOf(caller);
  if (account === null) return NO_TICKET;
  let entry = known.get(account);
  if (!entry) {
    // Nothing known yet (NaN covers nothing); asks sent from now on are counted.
    if (known.size >= MAX_ACCOUNTS) known.delete(known.keys().next().value as string);
    entry = { available: Number.NaN, pending: 0, ahead: 0 };
    known.set(account, entry);
  }
  const ahead = eligible && entry.ahead < MAX_HEAD_STARTS && entry.available - entry.pending >= COVER * worstMicro;
  entry.pending += worstMicro;
  if (ahead) entry.ahead += 1;
  const mine = entry;
  let open = true;
  return {
    ahead,
    answered(result) {
      if (!open) return;
      open = false;
      if (known.get(account) !== mine) return; // forgotten meanwhile (a refusal): nothing to update
      mine.pending = Math.max(0, mine.pending - worstMicro);
      if (ahead) mine.ahead -= 1;
      if (result?.status === "held") mine.available = result.available;
      // A refusal (or no answer at all): the next ask for this account waits for its hold.
      else known.delete(account);
    },
  };
}
