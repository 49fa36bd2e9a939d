// The admin dashboard's session: the admin key is checked once at sign-in, and the browser then
// holds only a signed, expiring token in an HttpOnly cookie. The token is "expiry.nonce.mac" with
// an HMAC key derived (HKDF) from ADMIN_API_KEY, so the key never leaves the server and rotating
// it ends every session.

import { sameSecret } from "../auth/admin";
import { readCookie } from "../auth/tokens";
import type { Config } from "../config";

export const ADMIN_SESSION_COOKIE = "cg_admin";
export const ADMIN_SESSION_TTL_SEC = 8 * 3600;

export type AdminSessionState = "disabled" | "signed-out" | "signed-in";

const encoder = new TextEncoder();
const HKDF_SALT = encoder.encode("cognomega/admin-session");
const HKDF_INFO = encoder.encode("hmac-sha256 v1");

// One derived key per admin key per isolate; a promise so concurrent first requests share it.
let derived: { adminKey: string; key: Promise<CryptoKey> } | undefined;

function macKey(adminKey: string): Promise<CryptoKey> {
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

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** A new session token, valid for ADMIN_SESSION_TTL_SEC from `now`. */
export async function createSessionToken(adminKey: string, now = Date.now()): Promise<string> {
  const expiry = Math.floor(now / 1000) + ADMIN_SESSION_TTL_SEC;
  const payload = `${expiry}.${base64url(crypto.getRandomValues(new Uint8Array(16)))}`;
  const mac = await crypto.subtle.sign("HMAC", await macKey(adminKey), encoder.encode(payload));
  return `${payload}.${base64url(new Uint8Array(mac))}`;
}

const TOKEN_SHAPE = /^(\d{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** True when `token` was signed under this admin key and has not expired. */
export async function verifySessionToken(token: string, adminKey: string, now = Date.now()): Promise<boolean> {
  const match = TOKEN_SHAPE.exec(token);
  if (!match) return false;
  const [, expiry = "", nonce = "", mac = ""] = match;
  if (Number(expiry) <= Math.floor(now / 1000)) return false;
  const signature = fromBase64url(mac);
  if (!signature) return false;
  // HMAC verify compares in constant time.
  return crypto.subtle.verify("HMAC", await macKey(adminKey), signature, encoder.encode(`${expiry}.${nonce}`));
}

function cookieAttributes(request: Request, maxAgeSec: number): string {
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${secure}`;
}

export function sessionCookie(request: Request, token: string): string {
  return `${ADMIN_SESSION_COOKIE}=${token}; ${cookieAttributes(request, ADMIN_SESSION_TTL_SEC)}`;
}

export function clearedSessionCookie(request: Request): string {
  return `${ADMIN_SESSION_COOKIE}=; ${cookieAttributes(request, 0)}`;
}

export type SignInResult = { ok: true; cookie: string } | { ok: false; reason: "disabled" | "wrong_key" };

/** Checks the presented admin key in constant time; on success, the session cookie to set. */
export async function signIn(request: Request, config: Config, presentedKey: string): Promise<SignInResult> {
  const adminKey = config.secrets.adminApiKey;
  if (!adminKey) return { ok: false, reason: "disabled" };
  if (!(await sameSecret(presentedKey, adminKey))) return { ok: false, reason: "wrong_key" };
  return { ok: true, cookie: sessionCookie(request, await createSessionToken(adminKey)) };
}

/** Whether this request carries a live admin session (or admin is switched off). */
export async function adminSessionState(request: Request, config: Config): Promise<AdminSessionState> {
  const adminKey = config.secrets.adminApiKey;
  if (!adminKey) return "disabled";
  const token = readCookie(request, ADMIN_SESSION_COOKIE);
  return token && (await verifySessionToken(token, adminKey)) ? "signed-in" : "signed-out";
}
