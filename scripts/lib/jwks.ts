// Pure JWK Set changes for key rotation: add a new public key, retire an old one.
import { generateKeyPairSync } from "node:crypto";
import type { JwkSet, PublicJwk } from "../../app/server/auth/jwk.ts";

export function parseSet(text: string | null): JwkSet {
  if (!text?.trim()) return { keys: [] };
  const parsed = JSON.parse(text) as { keys?: PublicJwk[] };
  if (!Array.isArray(parsed.keys)) throw new Error("the stored jwks value is not a JWK Set");
  return { keys: parsed.keys };
}

/**
 * The next id in a k1, k2, … sequence (never one already in use, published or signing), or a
 * dated one when the ids follow no pattern.
 */
export function nextKid(set: JwkSet, currentKid: string, now = new Date()): string {
  const kids = [...set.keys.map((key) => key.kid), currentKid];
  const numbers = kids
    .map((kid) => kid.match(/^k(\d+)$/)?.[1])
    .filter(Boolean)
    .map(Number);
  if (numbers.length === kids.length) return `k${Math.max(0, ...numbers) + 1}`;
  return `k${now.toISOString().slice(0, 19).replace(/\D/g, "")}`;
}

export function generateKey(kid: string): { privatePem: string; publicJwk: PublicJwk } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicJwk: { kty: "RSA", n: jwk.n, e: jwk.e, kid, alg: "RS256", use: "sig" },
  };
}

export function withKey(set: JwkSet, key: PublicJwk): JwkSet {
  if (set.keys.some((existing) => existing.kid === key.kid))
    throw new Error(`a key with kid ${key.kid} is already published`);
  return { keys: [...set.keys, key] };
}

export function withoutKey(set: JwkSet, kid: string, currentKid: string): JwkSet {
  if (kid === currentKid) throw new Error(`${kid} is the key tokens are signed with now (KID); switch KID first`);
  if (!set.keys.some((key) => key.kid === kid)) throw new Error(`no key with kid ${kid} is published`);
  return { keys: set.keys.filter((key) => key.kid !== kid) };
}
