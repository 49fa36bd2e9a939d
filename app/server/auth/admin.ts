// The admin key: sent as X-Admin-Key or X-Admin-Token, compared in constant time. With no
// ADMIN_API_KEY configured every admin route is closed (503), never open. Wrong keys are counted
// per client address (ADMIN_AUTH_RATE_LIMIT a minute): past the limit every request from that
// address that carries an admin key — right or wrong — is 429 until the window has passed, so
// the answer stops telling a guesser anything.
import type { RequestScope } from "../context";
import { ApiError } from "../http/errors";
import { limiterFor, rateLimited } from "./rate-limit";

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

/** What an admin check needs of the request's scope. */
export type AdminScope = Pick<RequestScope, "env" | "config">;

export function presentedAdminKey(request: Request): string | null {
  return request.headers.get("X-Admin-Key") ?? request.headers.get("X-Admin-Token");
}

/**
 * Checks a presented admin key against ADMIN_API_KEY under the per-address limit on wrong keys:
 * true or false, or a 429 while the address is over the limit.
 */
export async function checkAdminKey(request: Request, scope: AdminScope, given: string): Promise<boolean> {
  const expected = scope.config.secrets.adminApiKey;
  if (!expected) return false;
  const right = await sameSecret(given, expected);
  const { limit, windowSec } = scope.config.adminAuthRateLimit;
  const limiter = limiterFor(scope.env.RATE_LIMITER, "admin-key", request);
  // A wrong key is counted; a right one only asks whether the address is locked out.
  const decision = right ? await limiter.peek(limit, windowSec) : await limiter.hit(limit, windowSec);
  if (!decision.allowed) throw rateLimited(decision, "Too many wrong admin keys from this address");
  return right;
}

/** Whether the request carries the right admin key (429 while its address is locked out). */
export async function isAdmin(request: Request, scope: AdminScope): Promise<boolean> {
  const given = presentedAdminKey(request);
  return Boolean(given && scope.config.secrets.adminApiKey && (await checkAdminKey(request, scope, given)));
}

export function adminDisabled(): ApiError {
  return new ApiError(503, "admin_disabled", "Admin endpoints are disabled: ADMIN_API_KEY is not set.");
}

export async function requireAdmin(request: Request, scope: AdminScope): Promise<void> {
  if (!scope.config.secrets.adminApiKey) throw adminDisabled();
  const given = presentedAdminKey(request);
  if (!given) throw new ApiError(401, "admin_key_required", "Send the admin key as X-Admin-Key.");
  if (!(await checkAdminKey(request, scope, given))) {
    throw new ApiError(401, "admin_key_invalid", "The admin key is not valid.");
  }
}
