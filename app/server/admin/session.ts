// The admin dashboard's session: the admin key is checked once at sign-in, and the browser then
// holds only a signed, expiring token in an HttpOnly cookie (`cg_admin`). The token is an HS256
// JWT (8 h, with a `jti`) whose key is derived (HKDF) from ADMIN_API_KEY, so the admin key never
// leaves the server and rotating it ends every session. (epic-stack's session.server.ts is the
// model: a cookie made with createCookie, the token by jose.)
import { jwtVerify, SignJWT } from "jose";
import { sameSecret } from "../auth/admin";
import type { Config } from "../config";
import { adminSessionCookie, readCookie, writeCookie } from "../http/cookies";

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

/** True when `token` was signed under this admin key and has not expired. */
export async function verifySessionToken(token: string, adminKey: string, now = Date.now()): Promise<boolean> {
  try {
    await jwtVerify(token, await sessionKey(adminKey), {
      ...CLAIMS,
      algorithms: ["HS256"],
      currentDate: new Date(now),
      requiredClaims: ["exp", "iat", "jti"],
    });
    return true;
  } catch {
    return false;
  }
}

export function sessionCookie(request: Request, token: string): Promise<string> {
  return writeCookie(adminSessionCookie, request, token);
}

export function clearedSessionCookie(request: Request): Promise<string> {
  return writeCookie(adminSessionCookie, request, null);
}

export type SignInResult = { ok: true; cookie: string } | { ok: false; reason: "disabled" | "wrong_key" };

/** Checks the presented admin key in constant time; on success, the session cookie to set. */
export async function signIn(request: Request, config: Config, presentedKey: string): Promise<SignInResult> {
  const adminKey = config.secrets.adminApiKey;
  if (!adminKey) return { ok: false, reason: "disabled" };
  if (!(await sameSecret(presentedKey, adminKey))) return { ok: false, reason: "wrong_key" };
  return { ok: true, cookie: await sessionCookie(request, await createSessionToken(adminKey)) };
}

/** Whether this request carries a live admin session (or admin is switched off). */
export async function adminSessionState(request: Request, config: Config): Promise<AdminSessionState> {
  const adminKey = config.secrets.adminApiKey;
  if (!adminKey) return "disabled";
  const token = await readCookie(adminSessionCookie, request);
  return token && (await verifySessionToken(token, adminKey)) ? "signed-in" : "signed-out";
}
