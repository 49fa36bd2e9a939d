// API keys: `cg_sk_<nonce 8><route 43><secret 43>`, all base64url. The route is the account's
// ledger Durable Object id (32 bytes), so a key names the one object that can check it — no
// look-up table, no extra round trip, and no KV in the way of a revocation (docs/decisions/009).
// The nonce makes every key's display prefix (its first 12 characters) different. The key id
// (`key_<nonce><route>`) is public and routes the same way; only SHA-256 of the whole key is
// stored. Pure functions: the ledger mints keys with them, the Worker parses them.

import { fromBase64url, randomText, toBase64url } from "./base64url";

export const KEY_PREFIX = "cg_sk_";
export const KEY_ID_PREFIX = "key_";
const NONCE = 8;
const ROUTE = 43;
const SECRET = 43;
/** The characters of a key shown in lists: `cg_sk_` and six of the nonce. */
export const DISPLAY_LENGTH = 12;

const B64URL = /^[A-Za-z0-9_-]+$/;
const KEY_SHAPE = new RegExp(`^${KEY_PREFIX}[A-Za-z0-9_-]{${NONCE + ROUTE + SECRET}}$`);
const ID_SHAPE = new RegExp(`^${KEY_ID_PREFIX}[A-Za-z0-9_-]{${NONCE + ROUTE}}$`);

export interface ParsedKey {
  /** The whole key, as sent (what is hashed). */
  key: string;
  id: string;
  route: string;
}

/** A Durable Object id (64 hex digits) as a key's route. */
export function routeOfObjectId(hex: string): string {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return toBase64url(bytes);
}

/** The Durable Object id (hex) a route names, or null when it cannot be one. */
export function objectIdOfRoute(route: string): string | null {
  if (route.length !== ROUTE || !B64URL.test(route)) return null;
  let binary: string;
  try {
    binary = fromBase64url(route);
  } catch {
    return null;
  }
  if (binary.length !== 32) return null;
  return Array.from(binary, (char) => char.charCodeAt(0).toString(16).padStart(2, "0")).join("");
}

/** A new key for the ledger whose object id is `objectIdHex`: the secret (shown once), its id and prefix. */
export function mintKey(objectIdHex: string): { key: string; id: string; prefix: string } {
  const nonce = randomText(6);
  const route = routeOfObjectId(objectIdHex);
  const key = `${KEY_PREFIX}${nonce}${route}${randomText(32)}`;
  return { key, id: `${KEY_ID_PREFIX}${nonce}${route}`, prefix: key.slice(0, DISPLAY_LENGTH) };
}

/** True when `text` is meant as an API key (told from a JWT by its prefix). */
export function looksLikeKey(text: string): boolean {
  return text.startsWith(KEY_PREFIX);
}

/** The key's id and route, or null when it is not shaped like a key. */
export function parseKey(key: string): ParsedKey | null {
  if (!KEY_SHAPE.test(key)) return null;
  const body = key.slice(KEY_PREFIX.length);
  const route = body.slice(NONCE, NONCE + ROUTE);
  return { key, id: `${KEY_ID_PREFIX}${body.slice(0, NONCE + ROUTE)}`, route };
}

/** The route inside a key id, or null when `id` is not shaped like one. */
export function routeOfKeyId(id: string): string | null {
  return ID_SHAPE.test(id) ? id.slice(KEY_ID_PREFIX.length + NONCE) : null;
}

/** SHA-256 of the whole key, hex: the only thing stored. */
export async function hashKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
