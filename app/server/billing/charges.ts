// Charging a call: what a hold may take (its own amount plus funds nobody holds, never more than
// the balance, never past its key's limit), the usage record written with it, and the three ways
// a hold ends with a charge — settled, expired (its call never came back), or late (a settle that
// found its hold already expired). Called inside the ledger's transactions.
import type { HoldRow } from "./holds";
import { keyRoom, keyRow } from "./key-store";
import { type AccountRow, accountRow } from "./ledger-queries";
import { writeRecord } from "./ledger-records";
import { costAt } from "./money";
import type { UsageDetails, UsageOutcome } from "./types";

/** What a usage record says about the call. */
export type ChargeDetails = Omit<UsageDetails, "outcome"> & { outcome: UsageOutcome };

export interface Charge {
  charged: number;
  recordId: string;
  /** The account row as the charge left it. */
  account: AccountRow;
}

/** The most a charge may take: `heldHere` plus unheld funds, within the balance and the key's room. */
function ceiling(sql: SqlStorage, account: AccountRow, heldHere: number, keyId: string | null): number {
  const free = Math.max(0, account.balance - account.held);
  let most = Math.min(heldHere + free, account.balance);
  const key = keyId ? keyRow(sql, keyId) : undefined;
  if (key) most = Math.min(most, keyRoom(key) + heldHere);
  return Math.max(0, most);
}

/**
 * Takes `charged` from the account (and its key), releasing `released` of their `held` in the same
 * statements, and writes the usage record.
 */
function applyCharge(
  sql: SqlStorage,
  charge: { charged: number; released: number; keyId: string | null },
  details: ChargeDetails,
  now: number,
): Charge {
  const { charged, released, keyId } = charge;
  const after = sql
    .exec<AccountRow>(
      "UPDATE account SET spent = spent + ?, balance = balance - ?, held = held - ?, last_seen = ? WHERE singleton = 1 RETURNING *",
      charged,
      charged,
      released,
      now,
    )
    .one();
  if (keyId && (charged > 0 || released > 0)) {
    sql.exec("UPDATE keys SET spent = spent + ?, held = held - ? WHERE id = ?", charged, released, keyId);
  }
  const recordId = `use_${crypto.randomUUID()}`;
  writeRecord(sql, {
    id: recordId,
    kind: "usage",
    at: now,
    micro: charged,
    balance_after: after.balance,
    provider: details.provider,
    model: details.model,
    tokens_in: details.tokensIn,
    tokens_out: details.tokensOut,
    estimated: details.estimated,
    request_id: details.requestId,
    job_id: details.jobId ?? null,
    tier: details.tier ?? null,
    outcome: details.outcome,
    key_id: keyId,
    price_in: details.priceIn ?? null,
    price_out: details.priceOut ?? null,
  });
  return { charged, recordId, account: after };
}

/**
 * Charges an open hold up to `cost` and closes it as `state` (its amount leaves `held`).
 * `account` is the account's row as it stands now, when the caller has it (else it is read).
 */
export function chargeOpenHold(
  sql: SqlStorage,
  hold: HoldRow,
  cost: number,
  details: ChargeDetails,
  state: "settled" | "expired",
  now: number,
  account: AccountRow = accountRow(sql) as AccountRow,
): Charge {
  const charged = Math.max(0, Math.min(cost, ceiling(sql, account, hold.amount, hold.key_id)));
  const charge = applyCharge(sql, { charged, released: hold.amount, keyId: hold.key_id }, details, now);
  sql.exec(
    "UPDATE holds SET state = ?, charged = ?, record_id = ?, resolved_at = ? WHERE id = ?",
    state,
    charged,
    charge.recordId,
    now,
    hold.id,
  );
  return charge;
}

/**
 * A settle whose hold is no longer open (expired, or forgotten): charges what the call cost
 * beyond what was already charged for it, from unheld funds only, as a `late` record.
 */
export function chargeLate(
  sql: SqlStorage,
  hold: HoldRow | undefined,
  cost: number,
  details: ChargeDetails,
  now: number,
  account: AccountRow = accountRow(sql) as AccountRow,
) {
  const keyId = hold?.key_id ?? null;
  const already = hold?.charged ?? 0;
  const charged = Math.max(0, Math.min(cost - already, ceiling(sql, account, 0, keyId)));
  const charge = applyCharge(sql, { charged, released: 0, keyId }, { ...details, outcome: "late" }, now);
  if (hold) {
    sql.exec(
      "UPDATE holds SET state = 'settled', charged = charged + ?, record_id = ?, resolved_at = ? WHERE id = ?",
      charged,
      charge.recordId,
      now,
      hold.id,
    );
  }
  return { ...charge, charged: already + charged };
}

/**
 * A hold whose call never came back: charged for what it last reported delivered, at least the
 * prompt's estimate (a hold means the call went upstream), with an `interrupted` record.
 */
export function expireHold(sql: SqlStorage, hold: HoldRow, now: number): Charge {
  const price = { in: hold.price_in, out: hold.price_out };
  return chargeOpenHold(
    sql,
    hold,
    costAt(price, hold.tokens_in_est, hold.delivered_out),
    {
      provider: hold.provider ?? "unknown",
      model: hold.model ?? "unknown",
      tokensIn: hold.tokens_in_est,
      tokensOut: hold.delivered_out,
      estimated: true,
      requestId: hold.request_id ?? "",
      jobId: hold.job_id ?? undefined,
      tier: hold.tier ?? undefined,
      outcome: "interrupted",
      priceIn: hold.price_in,
      priceOut: hold.price_out,
    },
    "expired",
    now,
  );
}
