// Credits that come from outside the ledger's own rules: a Stripe top-up (applied once per event
// id, however often or concurrently it is delivered) and an allowance (once per period, up to a
// level). Both are grants — `granted` grows with the balance — with their own record kinds.
// Called inside the ledger's transactions.
import type { AccountRow } from "./ledger-queries";
import { writeRecord } from "./ledger-records";
import { operationKey, readOperation, rememberOperation } from "./operations";
import type { AllowanceInput, AllowanceResult, TopUpInput, TopUpResult } from "./types";

function credit(sql: SqlStorage, account: AccountRow, micro: number, now: number): number {
  const balance = account.balance + micro;
  sql.exec(
    "UPDATE account SET granted = granted + ?, balance = ?, last_seen = ? WHERE singleton = 1",
    micro,
    balance,
    now,
  );
  return balance;
}

export function applyTopUp(sql: SqlStorage, account: AccountRow, input: TopUpInput, now: number): TopUpResult {
  const key = operationKey.topup(input.eventId);
  const prior = readOperation(sql, key);
  if (prior?.result) {
    const first = JSON.parse(prior.result) as Exclude<TopUpResult, { status: "no_account" }>;
    return { ...first, status: "duplicate" };
  }
  const balance = credit(sql, account, input.micro, now);
  const recordId = `top_${crypto.randomUUID()}`;
  writeRecord(sql, {
    id: recordId,
    kind: "topup",
    at: now,
    micro: input.micro,
    balance_after: balance,
    actor: "stripe",
    reason: `Stripe event ${input.eventId}`,
    ref: input.sessionId,
  });
  const applied: TopUpResult = { status: "applied", account: account.account, balance, recordId };
  rememberOperation(sql, key, { state: "applied", result: JSON.stringify(applied), fingerprint: null }, now);
  return applied;
}

export function applyAllowance(
  sql: SqlStorage,
  account: AccountRow,
  input: AllowanceInput,
  now: number,
): AllowanceResult {
  const key = operationKey.allowance(input.period);
  if (readOperation(sql, key)) return { status: "already_done" };
  // At most one top-up per period: the first time the cron finds the balance under the level.
  const micro = Math.max(0, input.levelMicro - account.balance);
  if (micro === 0) return { status: "not_needed" };
  rememberOperation(sql, key, { state: "applied", result: JSON.stringify({ micro }), fingerprint: null }, now);
  const balance = credit(sql, account, micro, now);
  writeRecord(sql, {
    id: `alw_${crypto.randomUUID()}`,
    kind: "allowance",
    at: now,
    micro,
    balance_after: balance,
    actor: "system",
    reason: `allowance ${input.period}`,
    ref: input.period,
  });
  return { status: "applied", micro };
}
