// The client's Idempotency-Key: a retried mutation with the same key takes effect once.
import { badRequest } from "./errors";

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export function idempotencyKey(request: Request): string | undefined {
  const key = request.headers.get("Idempotency-Key");
  if (key === null) return undefined;
  if (!KEY.test(key)) throw badRequest("Idempotency-Key must be 1-128 letters, digits, '.', '_', ':' or '-'.");
  return key;
}
