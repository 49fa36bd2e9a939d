// The ledger's client: the stub for an account's CreditLedger, and the API's view of a balance.
import type { Identity } from "../auth/identity";
import { ApiError } from "../http/errors";
import type { CreditLedger } from "./ledger";
import { creditsFromMicro } from "./money";
import type { AccountRef, AdjustInput, BalanceView } from "./types";

export type LedgerNamespace = DurableObjectNamespace<CreditLedger>;

export function refOf(identity: Pick<Identity, "account" | "kind">): AccountRef {
  return { account: identity.account, kind: identity.kind };
}

export function ledgerOf(namespace: LedgerNamespace, account: string) {
  return namespace.get(namespace.idFromName(`acct:${account}`));
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
