// The dashboard's account page, keys part: the account's API keys (email accounts only; guests
// have none) and the admin's forms to make and revoke them.
import type { LedgerNamespace } from "~/server/billing/ledger-client";
import { emailAccount, listKeys } from "~/server/keys/manage";
import { attempt } from "./admin.server";
import { type KeyFormOutcome, keyFormAction } from "./keys-form.server";

/** The account's keys for the page; empty for guests and names that are not emails. */
export async function accountKeys(ledger: LedgerNamespace, account: string) {
  if (account.startsWith("guest:")) return [];
  const listed = await attempt(() => listKeys(ledger, emailAccount(account)));
  return listed.ok ? listed.value.keys : [];
}

export function adminKeyAction(
  ledger: LedgerNamespace,
  account: string,
  fields: Record<string, string>,
): Promise<KeyFormOutcome> {
  if (account.startsWith("guest:")) {
    return Promise.resolve({
      kind: "invalid",
      errors: { form: "Guests have no API keys." },
      values: { name: "", credit_limit: "", expires_in_days: "" },
    });
  }
  return keyFormAction(ledger, emailAccount(account), fields);
}
