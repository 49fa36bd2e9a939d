// The RS256 signing key (imported once per isolate) and the public JWK Set kept in KV `KEYS`.
import type { Config, ConfigProblem } from "../config";
import { ApiError } from "../http/errors";
import { fromBase64url } from "./base64url";
import type { JwkSet, PublicJwk } from "./jwk";

export type { JwkSet, PublicJwk };

export const JWKS_KEY = "jwks";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const MIN_MODULUS_BITS = 2048;

// One import per isolate and PEM; a promise so concurrent first requests share it.
const imported = new Map<string, Promise<SigningKey>>();

export class KeyProblem extends Error {}

/** The signing key, or a KeyProblem naming what is wrong (never the key material). */
export function signingKey(config: Config): Promise<SigningKey> {
  const pem = config.secrets.privateKeyPem;
  if (!pem) return Promise.reject(new KeyProblem("PRIVATE_KEY_PEM is not set"));
  const cacheKey = `${config.kid}\n${pem}`;
  let key = imported.get(cacheKey);
  if (!key) {
    key = importSigningKey(pem, config.kid);
    imported.set(cacheKey, key);
    key.catch(() => imported.delete(cacheKey));
  }
  return key;
}

async function importSigningKey(pem: string, kid: string): Promise<SigningKey> {
  const normalized = pem.replace(/\\n/g, "\n").trim();
  if (/BEGIN (RSA |ENCRYPTED )?PRIVATE KEY/.test(normalized) && !normalized.includes("BEGIN PRIVATE KEY")) {
    throw new KeyProblem("PRIVATE_KEY_PEM must be an unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
  }
  const body = normalized.match(/-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/)?.[1];
  if (!body) throw new KeyProblem("PRIVATE_KEY_PEM is not a PEM-encoded PKCS#8 private key");
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = Uint8Array.from(atob(body.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    throw new KeyProblem("PRIVATE_KEY_PEM is not valid base64");
  }
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey("pkcs8", der, ALGORITHM, true, ["sign"]);
  } catch {
    throw new KeyProblem("PRIVATE_KEY_PEM is not an RSA private key");
  }
  const jwk = (await crypto.subtle.exportKey("jwk", privateKey)) as JsonWebKey;
  if (!jwk.n || !jwk.e || modulusBits(jwk.n) < MIN_MODULUS_BITS) {
    throw new KeyProblem(`PRIVATE_KEY_PEM must be an RSA key of at least ${MIN_MODULUS_BITS} bits`);
  }
  return { kid, privateKey, publicJwk: { kty: "RSA", n: jwk.n, e: jwk.e, kid, alg: "RS256", use: "sig" } };
}

function modulusBits(n: string): number {
  const bytes = fromBase64url(n).replace(/^\0+/, "");
  return bytes.length * 8;
}

/** How long a successful "the signing key is published" check is trusted (per isolate). */
export const PUBLISHED_CHECK_MS = 30_000;
const published = new WeakMap<Config, { at: number; done: Promise<unknown> }>();

/** ensurePublished, at most once per PUBLISHED_CHECK_MS: issuing a token must not read KV each time. */
function publishedRecently(kv: KVNamespace, config: Config): Promise<unknown> {
  const now = Date.now();
  const entry = published.get(config);
  if (entry && now - entry.at < PUBLISHED_CHECK_MS) return entry.done;
  const done = ensurePublished(kv, config);
  published.set(config, { at: now, done });
  done.catch(() => published.delete(config));
  return done;
}

/**
 * 503 for endpoints that cannot work without a usable, published signing key. The check is
 * cached for PUBLISHED_CHECK_MS; /ready checks afresh every time.
 */
export async function requireSigningKey(kv: KVNamespace, config: Config): Promise<SigningKey> {
  try {
    await publishedRecently(kv, config);
    return await signingKey(config);
  } catch (error) {
    if (error instanceof KeyProblem) {
      throw new ApiError(503, "signing_key_unavailable", `Tokens cannot be issued: ${error.message}.`);
    }
    throw error;
  }
}

/** Only the public members of well-formed RSA signing keys survive. */
export function publicOnly(value: unknown): JwkSet {
  const keys = (value as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) return { keys: [] };
  const out: PublicJwk[] = [];
  for (const key of keys) {
    const { kty, n, e, kid } = (key ?? {}) as Record<string, unknown>;
    if (kty === "RSA" && typeof n === "string" && typeof e === "string" && typeof kid === "string") {
      out.push({ kty, n, e, kid, alg: "RS256", use: "sig" });
    }
  }
  return { keys: out };
}

export async function readJwks(kv: KVNamespace): Promise<JwkSet | null> {
  const stored = await kv.get<unknown>(JWKS_KEY, { type: "json", cacheTtl: 60 }).catch(() => null);
  if (!stored) return null;
  const set = publicOnly(stored);
  return set.keys.length ? set : null;
}

/**
 * The published set, with the public half of PRIVATE_KEY_PEM added when KV lacks it (publishing
 * a public key is always safe). A different key already published under KID is a KeyProblem:
 * tokens signed now would not verify.
 */
export async function ensurePublished(kv: KVNamespace, config: Config): Promise<JwkSet> {
  const stored = (await readJwks(kv)) ?? { keys: [] };
  let key: SigningKey;
  try {
    key = await signingKey(config);
  } catch (error) {
    if (stored.keys.length && error instanceof KeyProblem) return stored;
    throw error;
  }
  const published = stored.keys.find((candidate) => candidate.kid === key.kid);
  if (published && (published.n !== key.publicJwk.n || published.e !== key.publicJwk.e)) {
    throw new KeyProblem(`the published key ${key.kid} is not the public half of PRIVATE_KEY_PEM`);
  }
  if (published) return stored;
  const set: JwkSet = { keys: [...stored.keys, key.publicJwk] };
  await kv.put(JWKS_KEY, JSON.stringify(set));
  return set;
}

/** A readiness check: the signing key imports and is the one published under KID. */
export async function keyProblem(kv: KVNamespace, config: Config): Promise<ConfigProblem | null> {
  try {
    await ensurePublished(kv, config);
    await signingKey(config);
    return null;
  } catch (error) {
    if (!(error instanceof KeyProblem)) throw error;
    return { name: error.message.startsWith("the published") ? "KID" : "PRIVATE_KEY_PEM", message: error.message };
  }
}
