// The keys that verify tokens, imported once per isolate (docs/decisions/009): the published set
// in KV `KEYS` plus the public half of PRIVATE_KEY_PEM. Reading KV and importing keys on every
// request cost an ask about 2 ms, so the set is kept in memory and refreshed in the background
// at most every REFRESH_MS; a token naming a kid the set lacks refreshes it at once (at most every
// FORCED_REFRESH_MS), so a newly published key works on its first token. A retired key stops
// verifying within REFRESH_MS (OPS.md §12).
import { createLocalJWKSet, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { RequestScope } from "../context";
import { readJwks, signingKey } from "./keys";
import { UnknownKid, verifyToken } from "./tokens";

export const REFRESH_MS = 30_000;
const FORCED_REFRESH_MS = 5_000;

interface KeySet {
  getKey: JWTVerifyGetKey;
  kids: ReadonlySet<string>;
}

interface Entry {
  set: Promise<KeySet>;
  loadedAt: number;
  forcedAt: number;
}

// Per env object (one per isolate in production; tests that change variables get their own).
const entries = new WeakMap<object, Entry>();

async function load(scope: Pick<RequestScope, "env" | "config">): Promise<KeySet> {
  let keys = (await readJwks(scope.env.KEYS))?.keys ?? [];
  try {
    const own = await signingKey(scope.config);
    if (!keys.some((key) => key.kid === own.kid)) keys = [...keys, own.publicJwk];
  } catch {
    // No usable signing key: only the published keys verify (/ready names the problem).
  }
  return { getKey: createLocalJWKSet({ keys }), kids: new Set(keys.map((key) => key.kid)) };
}

/** The current key set; when it is older than REFRESH_MS a fresh one is loaded in the background. */
function current(scope: RequestScope): Promise<KeySet> {
  const now = Date.now();
  const entry = entries.get(scope.env);
  if (!entry) {
    const fresh: Entry = { set: load(scope), loadedAt: now, forcedAt: 0 };
    entries.set(scope.env, fresh);
    return fresh.set;
  }
  if (now - entry.loadedAt >= REFRESH_MS) {
    entry.loadedAt = now;
    const next = load(scope);
    const swap = next.then((set) => {
      entry.set = Promise.resolve(set);
    });
    scope.ctx.waitUntil(swap.catch(() => undefined));
  }
  return entry.set;
}

/** Loads the set now, unless that was done less than FORCED_REFRESH_MS ago. */
async function refreshed(scope: RequestScope): Promise<KeySet | null> {
  const entry = entries.get(scope.env);
  const now = Date.now();
  if (!entry || now - entry.forcedAt < FORCED_REFRESH_MS) return null;
  entry.forcedAt = now;
  entry.loadedAt = now;
  entry.set = load(scope);
  return entry.set;
}

/**
 * Tokens verified lately, so a client's next request skips the signature check: kept until the
 * token expires or REFRESH_MS has passed (the same window in which a retired key stops working),
 * at most VERIFIED_MAX of them (oldest first out). Only tokens that verified are kept.
 */
const VERIFIED_MAX = 2_000;
type Verified = Map<string, { claims: JWTPayload; until: number }>;
// Per env object, like the key set it was verified with.
const verifiedByEnv = new WeakMap<object, Verified>();

function remember(verified: Verified, token: string, claims: JWTPayload): JWTPayload {
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
  const exp = typeof claims.exp === "number" ? claims.exp * 1000 : 0;
  verified.set(token, { claims, until: Math.min(exp, Date.now() + REFRESH_MS) });
  return claims;
}

/** Verifies a bearer or cookie token against the cached keys (401 `invalid_token` when it fails). */
export async function verifyTokenCached(token: string, scope: RequestScope): Promise<JWTPayload> {
  let verified = verifiedByEnv.get(scope.env);
  if (!verified) {
    verified = new Map();
    verifiedByEnv.set(scope.env, verified);
  }
  const known = verified.get(token);
  if (known && known.until > Date.now()) return known.claims;
  if (known) verified.delete(token);
  return remember(verified, token, await verifyFresh(token, scope));
}

async function verifyFresh(token: string, scope: RequestScope): Promise<JWTPayload> {
  const keys = await current(scope);
  try {
    return await verifyToken(token, keys.getKey, scope.config);
  } catch (error) {
    // A kid we have not seen may have been published since the set was loaded.
    if (!(error instanceof UnknownKid)) throw error;
    const fresh = await refreshed(scope);
    if (!fresh) throw error.reported;
    return verifyToken(token, fresh.getKey, scope.config).catch((again: unknown) => {
      throw again instanceof UnknownKid ? again.reported : again;
    });
  }
}
