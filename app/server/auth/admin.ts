// The admin key: sent as X-Admin-Key or X-Admin-Token, compared in constant time. With no
// ADMIN_API_KEY configured every admin route is closed (503), never open.
import type { Config } from "../config";
import { ApiError } from "../http/errors";

async function digest(value: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
}

// workerd's constant-time comparison (not in the DOM typings the app is checked against).
const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual(a: ArrayBuffer, b: ArrayBuffer): boolean };

/** Equal-length digests make the comparison independent of where the strings differ. */
export async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  return subtle.timingSafeEqual(a, b);
}

function presentedKey(request: Request): string | null {
  return request.headers.get("X-Admin-Key") ?? request.headers.get("X-Admin-Token");
}

export async function isAdmin(request: Request, config: Config): Promise<boolean> {
  const expected = config.secrets.adminApiKey;
  const given = presentedKey(request);
  return Boolean(expected && given && (await sameSecret(given, expected)));
}

export function adminDisabled(): ApiError {
  return new ApiError(503, "admin_disabled", "Admin endpoints are disabled: ADMIN_API_KEY is not set.");
}

export async function requireAdmin(request: Request, config: Config): Promise<void> {
  const expected = config.secrets.adminApiKey;
  if (!expected) throw adminDisabled();
  const given = presentedKey(request);
  if (!given) throw new ApiError(401, "admin_key_required", "Send the admin key as X-Admin-Key.");
  if (!(await sameSecret(given, expected))) throw new ApiError(401, "admin_key_invalid", "The admin key is not valid.");
}
