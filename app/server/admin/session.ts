// The admin dashboard's session: the admin key is checked once at sign-in, and the browser then
// holds only a signed, expiring token in an HttpOnly cookie (`cg_admin`). The token is an HS256
// JWT (8 h, with a `jti`) whose key is derived (HKDF) from ADMIN_API_KEY, so the admin key never
// leaves the server and rotating it ends every session. Signing out revokes the token's `jti`
// on the server (revocations.ts), so a copy of the cookie stops working too. (epic-stack's
// session.server.ts is the model: a cookie made with createCookie, the token by jose.)
import { jwtVerify, SignJWT } from "jose";
import { type AdminScope, checkAdminKey } from "../auth/admin";
import { adminSessionCookie, readCookie, writeCookie } from "../http/cookies";
import { adminSessions } from "./revocations";

export const ADMIN_SESSION_COOKIE = adminSessionCookie.name;
export const ADMIN_SESSION_TTL_SEC = 8 * 3600;

export type AdminSessionState = "disabled" | "signed-out" | "signed-in";

/** Who the token is from and for: a session token cannot pass for any other HS256 token. */
const CLAIMS = { issuer: "cognomega", audience: "cognomega/admin-session", subject: "admin" } as const;

const encoder = new TextEncoder();
const HKDF_SALT = encoder.encode("cognomega/admin-session");
const HKDF_INFO = encoder.encode("jwt hs256 v2");

// One derived key per admin key per isolate; a promise so concurrent first requests share it.
let derived: { adminKey: string; key: Promise<CryptoKey> } | undefined;

function sessionKey(adminKey: string): Promise<CryptoKey> {
  if (derived?.adminKey !== adminKey) {
    const key = crypto.subtle
      .importKey("raw", encoder.encode(adminKey), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: HKDF_INFO },
          material,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign", "verify"],
        ),
      );
    derived = { adminKey, key };
  }
  return derived.key;
}

/** A new session token, valid for ADMIN_SESSION_TTL_SEC from `now`. */
export async function createSessionToken(adminKey: string, now = Date.now()): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(CLAIMS.issuer)
    .setAudience(CLAIMS.audience)
    .setSubject(CLAIMS.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ADMIN_SESSION_TTL_SEC)
    .setJti(crypto.randomUUID())
    .sign(await sessionKey(adminKey));
}

export interface SessionClaims {
  jti: string;
  /** Expiry, in ms. */
  expiresAt: number;
}

/** The claims of `token` when it was signed under this admin key and has not expired. */
export async function sessionClaims(token: string, adminKey: string, now = Date.now()): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await sessionKey(adminKey), {
      ...CLAIMS,
      algorithms: ["HS256"],
      currentDate: new Date(now),
      requiredClaims: ["exp", "iat", "jti"],
    });
    return { jti: String(payload.jti), expiresAt: Number(payload.exp) * 1000 };
  } catch {
    return null;
  }
}

/** True when `token` was signed under this admin key and has not expired (revocation aside). */
export async function verifySessionToken(token: string, adminKey: string, now = Date.now()): Promise<boolean> {
  return (await sessionClaims(token, adminKey, now)) !== null;
}

export function sessionCookie(request: Request, token: string): Promise<string> {
  return writeCookie(adminSessionCookie, request, token);
}

export function clearedSessionCookie(request: Request): Promise<string> {
  return writeCookie(adminSessionCookie, request, null);
}

export type SignInResult = { ok: true; cookie: string } | { ok: false; reason: "disabled" | "wrong_key" };

/**
 * Checks the presented admin key in constant time, under the per-address limit on wrong keys
 * (a 429 ApiError past it); on success, the session cookie to set.
 */
export async function signIn(request: Request, scope: AdminScope, presentedKey: string): Promise<SignInResult> {
  const adminKey = scope.config.secrets.adminApiKey;
  if (!adminKey) return { ok: false, reason: "disabled" };
  if (!(await checkAdminKey(request, scope, presentedKey))) return { ok: false, reason: "wrong_key" };
  return { ok: true, cookie: await sessionCookie(request, await createSessionToken(adminKey)) };
}

async function liveSession(request: Request, scope: AdminScope): Promise<SessionClaims | null> {
  const adminKey = scope.config.secrets.adminApiKey;
  const token = adminKey ? await readCookie(adminSessionCookie, request) : null;
  const claims = token && adminKey ? await sessionClaims(token, adminKey) : null;
  if (!claims) return null;
  return (await adminSessions(scope.env.ADMIN_SESSIONS).isRevoked(claims.jti)) ? null : claims;
}

/** Whether this request carries a live (signed, unexpired, not signed-out) admin session. */
export async function adminSessionState(request: Request, scope: AdminScope): Promise<AdminSessionState> {
  if (!scope.config.secrets.adminApiKey) return "disabled";
  return (await liveSession(request, scope)) ? "signed-in" : "signed-out";
}

/** Ends the request's session everywhere; the Set-Cookie header that clears the browser's copy. */
export async function signOut(request: Request, scope: AdminScope): Promise<string> {
  const claims = await liveSession(request, scope);
  if (claims) await adminSessions(scope.env.ADMIN_SESSIONS).revoke(claims.jti, claims.expiresAt);
  return clearedSessionCookie(request);
}
