// The ledger's idempotency memory: one row per operation key in `operations`. Keys are built
// here and nowhere else, so each kind is spelled once and a misspelt one is a type error.

export type OperationKey = `reserve:${string}` | `settle:${string}` | `adjust:${string}`;

export const operationKey = {
  /** A hold and its fate (held → settled | released); a settled one may keep the reply. */
  reserve: (holdId: string): OperationKey => `reserve:${holdId}`,
  /** A settle already applied, with its result. */
  settle: (holdId: string): OperationKey => `settle:${holdId}`,
  /** An admin adjustment made under the client's Idempotency-Key. */
  adjust: (clientKey: string): OperationKey => `adjust:${clientKey}`,
};

export type OperationState = "held" | "settled" | "released" | "applied";

export interface Operation {
  state: OperationState;
  /** JSON of what the operation answered, replayed to a retry. */
  result: string | null;
  /** What the request looked like, so a key reused for a different one is caught. */
  fingerprint: string | null;
}

/** How long idempotency keys are remembered. */
export const OPERATION_TTL_MS = 24 * 3_600_000;

export function readOperation(sql: SqlStorage, key: OperationKey): Operation | undefined {
  return sql
    .exec<{ state: OperationState; result: string | null; fingerprint: string | null }>(
      "SELECT state, result, fingerprint FROM operations WHERE key = ?",
      key,
    )
    .toArray()[0];
}

export function rememberOperation(sql: SqlStorage, key: OperationKey, operation: Operation, now: number): void {
  sql.exec(
    "INSERT OR REPLACE INTO operations (key, fingerprint, state, result, at) VALUES (?, ?, ?, ?, ?)",
    key,
    operation.fingerprint,
    operation.state,
    operation.result,
    now,
  );
}

export function setOperationState(sql: SqlStorage, key: OperationKey, state: OperationState): void {
  sql.exec("UPDATE operations SET state = ? WHERE key = ?", state, key);
}

/** Keeps `result` on an operation, only while it is in `state`. */
export function setOperationResult(sql: SqlStorage, key: OperationKey, state: OperationState, result: string): void {
  sql.exec("UPDATE operations SET result = ? WHERE key = ? AND state = ?", result, key, state);
}

export function forgetOperationsBefore(sql: SqlStorage, before: number): void {
  sql.exec("DELETE FROM operations WHERE at < ?", before);
}
