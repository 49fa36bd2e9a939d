// The client's Idempotency-Key: a retried mutation with the same key takes effect once.
import { badRequest } from "./errors";

/** Every id a client may choose (Idempotency-Key, X-Request-Id): safe to log and to store. */
export const CLIENT_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export function idempotencyKey(request: Request): string | undefined {
  const key = request.headers.get("Idempotency-Key");
  if (key === null) return undefined;
  if (!CLIENT_KEY.test(key)) throw badRequest("Idempotency-Key must be 1-128 letters, digits, '.', '_', ':' or '-'.");
  return key;
}
