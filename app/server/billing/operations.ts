// The ledger's idempotency memory: one row per operation key in `operations`. Keys are built
// here and nowhere else, so each kind is spelled once and a misspelt one is a type error.
// An ask's key names its hold: `held` while the hold is open, `settled` once a complete answer
// was charged (with the answer kept for replays, in the same transaction), `released` when the
// hold was released, expired or charged for a partial answer — then the key may run again.

export type OperationKey = `ask:${string}` | `adjust:${string}` | `topup:${string}` | `allowance:${string}`;

export const operationKey = {
  /** An ask made under the client's Idempotency-Key. */
  ask: (clientKey: string): OperationKey => `ask:${clientKey}`,
  /** An admin adjustment made under the client's Idempotency-Key. */
  adjust: (clientKey: string): OperationKey => `adjust:${clientKey}`,
  /** A payment provider's event, applied once. */
  topup: (eventId: string): OperationKey => `topup:${eventId}`,
  /** One allowance period's top-up (`<kind>:<period>`). */
  allowance: (period: string): OperationKey => `allowance:${period}`,
};

export type OperationState = "held" | "settled" | "released" | "applied";

export interface Operation {
  state: OperationState;
  /** JSON of what the operation answered, replayed to a retry. */
  result: string | null;
  /** What the request looked like, so a key reused for a different one is caught. */
  fingerprint: string | null;
  /** The hold an ask's key stands for. */
  holdId?: string | null;
}

/** How long idempotency keys are remembered. */
export const OPERATION_TTL_MS = 24 * 3_600_000;

export function readOperation(sql: SqlStorage, key: OperationKey): Operation | undefined {
  return sql
    .exec<{ state: OperationState; result: string | null; fingerprint: string | null; holdId: string | null }>(
      "SELECT state, result, fingerprint, hold_id AS holdId FROM operations WHERE key = ?",
      key,
    )
    .toArray()[0];
}

export function rememberOperation(sql: SqlStorage, key: OperationKey, operation: Operation, now: number): void {
  sql.exec(
    "INSERT OR REPLACE INTO operations (key, fingerprint, state, result, hold_id, at) VALUES (?, ?, ?, ?, ?, ?)",
    key,
    operation.fingerprint,
    operation.state,
    operation.result,
    operation.holdId ?? null,
    now,
  );
}

/** Moves an ask's key on when its hold resolves (only while the key still names that hold). */
export function resolveAskKey(
  sql: SqlStorage,
  clientKey: string,
  holdId: string,
  state: "settled" | "released",
  result: string | null,
): void {
  sql.exec(
    "UPDATE operations SET state = ?, result = ? WHERE key = ? AND hold_id = ?",
    state,
    result,
    operationKey.ask(clientKey),
    holdId,
  );
}

/**
 * Forgets finished operations older than `before` (a key whose hold is still open stays). Money
 * events (top-ups, allowance periods) are kept for good: Stripe redelivers for days, and a
 * forgotten event id would credit twice.
 */
export function forgetOperationsBefore(sql: SqlStorage, before: number): void {
  sql.exec(
    `DELETE FROM operations WHERE at < ? AND key NOT LIKE 'topup:%' AND key NOT LIKE 'allowance:%'
       AND (state != 'held' OR key NOT LIKE 'ask:%')`,
    before,
  );
}
