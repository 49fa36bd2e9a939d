// Low-balance alerts (issue 16): when an email account's balance goes from at or above
// LOW_BALANCE_THRESHOLD to below it, one webhook is queued in the ledger's outbox — once per
// crossing: `account.low_alerted` is set with the alert and cleared when the balance is back at or
// above the threshold. Checked inside the transaction that moved the balance; delivered after it
// (outbox.ts), never on an ask's way to its answer.
import { accountRow } from "./ledger-queries";
import { creditsFromMicro } from "./money";

export interface LowBalanceWatch {
  /** Micro-credits; 0 = alerts off. */
  thresholdMicro: number;
  /** Where the alert is POSTed; without one the crossing is still tracked, nothing is sent. */
  url?: string;
}

/** What the alert says (the webhook's JSON body). */
export interface LowBalanceAlert {
  account: string;
  balance: number;
  threshold: number;
  at: string;
}

/** The flag a new account starts with: already "alerted" when it opens below the threshold. */
export function openingFlag(watch: LowBalanceWatch, openingMicro: number): number {
  return watch.thresholdMicro > 0 && openingMicro < watch.thresholdMicro ? 1 : 0;
}

/** Checks the account after a balance change; true when an alert was queued. */
export function watchBalance(sql: SqlStorage, watch: LowBalanceWatch, now: number): boolean {
  if (watch.thresholdMicro <= 0) return false;
  const account = accountRow(sql);
  if (account?.kind !== "email") return false;
  const below = account.balance < watch.thresholdMicro;
  if (!below) {
    if (account.low_alerted) sql.exec("UPDATE account SET low_alerted = 0 WHERE singleton = 1");
    return false;
  }
  if (account.low_alerted) return false;
  sql.exec("UPDATE account SET low_alerted = 1 WHERE singleton = 1");
  if (!watch.url) return false;
  const alert: LowBalanceAlert = {
    account: account.account,
    balance: creditsFromMicro(account.balance),
    threshold: creditsFromMicro(watch.thresholdMicro),
    at: new Date(now).toISOString(),
  };
  sql.exec(
    "INSERT INTO outbox (id, url, body, created_at, next_at) VALUES (?, ?, ?, ?, ?)",
    `low_${crypto.randomUUID()}`,
    watch.url,
    JSON.stringify(alert),
    now,
    now,
  );
  return true;
}
