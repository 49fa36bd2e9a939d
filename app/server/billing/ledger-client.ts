// The ledger's client: the stub for an account's CreditLedger — by account name, or by the route
// inside an API key — and the API's view of a balance.
import { objectIdOfRoute, routeOfKeyId } from "../auth/api-key";
import { ApiError } from "../http/errors";
import type { CreditLedger } from "./ledger";
import { creditsFromMicro } from "./money";
import { send, takeSettles } from "./pending-settles";
import type { AccountRef, AdjustInput, BalanceView, Caller, SettleInput } from "./types";

export type LedgerNamespace = DurableObjectNamespace<CreditLedger>;
export type LedgerStub = DurableObjectStub<CreditLedger>;

export function ledgerOf(namespace: LedgerNamespace, account: string): LedgerStub {
  return namespace.get(namespace.idFromName(`acct:${account}`));
}

/** The ledger that can answer for `caller`: its account's, or the one its key's route names. */
export function ledgerFor(namespace: LedgerNamespace, caller: Caller): LedgerStub {
  if (caller.via === "account") return ledgerOf(namespace, caller.ref.account);
  return namespace.get(namespace.idFromString(objectIdOfRoute(caller.route) ?? ""));
}

/** The ledger a key id routes to, or null when the id cannot be one of ours (no I/O). */
export function ledgerOfKeyId(namespace: LedgerNamespace, keyId: string): LedgerStub | null {
  const objectId = routeOfKeyId(keyId);
  const hex = objectId ? objectIdOfRoute(objectId) : null;
  if (!hex) return null;
  try {
    return namespace.get(namespace.idFromString(hex));
  } catch {
    return null;
  }
}

/** True when `caller`'s ledger is the one `keyId` routes to (without I/O). */
export function sameLedger(namespace: LedgerNamespace, caller: Caller, keyId: string): boolean {
  const route = routeOfKeyId(keyId);
  if (!route) return false;
  if (caller.via === "key") return caller.route === route;
  return namespace.idFromName(`acct:${caller.ref.account}`).toString() === objectIdOfRoute(route);
}

/**
 * Makes a call to `stub` carrying the settles this isolate has waiting for that ledger
 * (pending-settles.ts): they are applied first, in the call's own transaction.
 */
export async function carrying<T>(
  stub: LedgerStub,
  call: (settles: SettleInput[] | undefined) => Promise<T>,
): Promise<T> {
  const carried = takeSettles(stub);
  try {
    return await call(carried?.settles);
  } catch (error) {
    // The call failed, so the settles did not land: they go on their own.
    if (carried) await send(stub, carried);
    throw error;
  }
}

export function balanceBody(view: BalanceView) {
  return {
    account: view.account,
    kind: view.kind,
    balance: creditsFromMicro(view.balance),
    available: creditsFromMicro(Math.max(0, view.balance - view.held)),
    held: creditsFromMicro(view.held),
  };
}

export async function readBalance(namespace: LedgerNamespace, ref: AccountRef): Promise<BalanceView> {
  return ledgerOf(namespace, ref.account).balance(ref);
}

export async function adjustCredits(namespace: LedgerNamespace, ref: AccountRef, input: AdjustInput) {
  const result = await ledgerOf(namespace, ref.account).adjust(ref, input);
  if (result.status === "negative") {
    throw new ApiError(409, "balance_would_be_negative", "A balance cannot go below zero.", {
      balance: creditsFromMicro(result.balance),
    });
  }
  if (result.status === "key_reused") {
    throw new ApiError(409, "idempotency_key_reused", "This Idempotency-Key was used for a different change.");
  }
  return result;
}
