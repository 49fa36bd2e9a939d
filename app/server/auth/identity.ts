// Who is calling (docs/decisions/002, 009). Asserted emails come from the query `email`, then
// `X-User-Email`; credentials are an API key (`X-Api-Key`, or `Authorization: Bearer cg_sk_…`),
// then a token (bearer, else the app's `cg_token` cookie) whose claims email|em|sub name the
// account. In `verified` mode (the default) an asserted email needs proof: one of that account's
// keys (its ledger checks), a token for that email, or the admin key acting on its behalf. Keys
// are resolved without I/O — their ledger says whose they are inside the call the request makes.
import { z } from "zod";
import { ledgerFor } from "../billing/ledger-client";
import type { AccountRef, Caller, DenialCode } from "../billing/types";
import type { RequestScope } from "../context";
import { ApiError, badRequest, unauthorized } from "../http/errors";
import { isAdmin } from "./admin";
import { hashKey, looksLikeKey, objectIdOfRoute, parseKey } from "./api-key";
import { GUEST_ID, GUEST_PREFIX, tokenFrom } from "./tokens";
import { verifyTokenCached } from "./verification-keys";

/** An account a request acts for, once known (jobs, uploads and keys name it). */
export interface Identity {
  /** The ledger account: a normalized email or `guest:<id>`. */
  account: string;
  kind: "email" | "guest";
  /** The API key used, directly or through a token made from it; null when none. */
  keyId: string | null;
}

export type KeyCaller = Extract<Caller, { via: "key" }>;

const emailSchema = z.email().max(254);

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) throw badRequest("That is not a valid email address.");
  return email;
}

function assertedEmail(url: URL, request: Request): string | null {
  const query = url.searchParams.get("email");
  if (query !== null) return normalizeEmail(query);
  const header = request.headers.get("X-User-Email");
  return header === null ? null : normalizeEmail(header);
}

const DENIALS: Record<DenialCode, string> = {
  invalid_api_key: "The API key is not valid: unknown, revoked or expired.",
  identity_not_verified:
    "This service only trusts verified identities: prove the email with one of its API keys, a token for it, or the admin key.",
  invalid_token: "The API key this session was made from is revoked or has expired; sign in again.",
};

export function denied(code: DenialCode): ApiError {
  return new ApiError(401, code, DENIALS[code]);
}

const invalidKey = () => denied("invalid_api_key");

/** The key a request carries (X-Api-Key, or a bearer that is a key), as a caller; null when none. */
export async function keyCaller(request: Request, scope: RequestScope): Promise<KeyCaller | null> {
  const header = request.headers.get("X-Api-Key");
  const bearer = request.headers.get("Authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  const text = header ?? (bearer && looksLikeKey(bearer) ? bearer : null);
  return text === null ? null : keyCallerOf(text, scope);
}

/** A key as a caller, checked for shape and route without I/O (401 `invalid_api_key` otherwise). */
export async function keyCallerOf(text: string, scope: RequestScope): Promise<KeyCaller> {
  const parsed = parseKey(text.trim());
  const objectId = parsed ? objectIdOfRoute(parsed.route) : null;
  if (!parsed || !objectId) throw invalidKey();
  try {
    scope.env.LEDGER.idFromString(objectId); // a route this namespace never issued fails here, without I/O
  } catch {
    throw invalidKey();
  }
  return { via: "key", route: parsed.route, keyId: parsed.id, hash: await hashKey(parsed.key) };
}

/** The account a verified token names, as a caller; null when the request carries no token. */
async function tokenCaller(request: Request, scope: RequestScope): Promise<Caller | null> {
  const token = await tokenFrom(request);
  if (token === null) return null;
  if (!token) throw new ApiError(401, "invalid_token", "The Authorization header must be `Bearer <token>`.");
  const claims = await verifyTokenCached(token, scope);
  const tokenKeyId = typeof claims.key_id === "string" ? claims.key_id : undefined;
  const email = [claims.email, claims.em].find((value) => typeof value === "string") as string | undefined;
  const account = (ref: AccountRef): Caller => ({ via: "account", ref, ...(tokenKeyId ? { tokenKeyId } : {}) });
  if (email) return account({ account: normalizeEmail(email), kind: "email" });
  const sub = claims.sub ?? "";
  if (sub.startsWith(GUEST_PREFIX)) {
    if (!GUEST_ID.test(sub)) throw new ApiError(401, "invalid_token", "The token's guest id is malformed.");
    return account({ account: sub, kind: "guest" });
  }
  if (emailSchema.safeParse(sub.trim().toLowerCase()).success) {
    return account({ account: sub.trim().toLowerCase(), kind: "email" });
  }
  throw new ApiError(401, "invalid_token", "The token names no account (email, em or sub).");
}

/** The caller, or null when the request offers no identity at all. Bad offers are 400/401. */
export async function resolveCaller(request: Request, url: URL, scope: RequestScope): Promise<Caller | null> {
  const email = assertedEmail(url, request);
  const key = await keyCaller(request, scope);
  // A key is proof in itself; with an asserted email its ledger also checks the email is its own.
  if (key) return email === null ? key : { ...key, asserted: email };
  if (email === null) return tokenCaller(request, scope);
  const asserted: Caller = { via: "account", ref: { account: email, kind: "email" } };
  if (scope.config.identityMode === "asserted") {
    // Taken at its word — but a token for the same email (the chat signed in with a key) says
    // more: its key's limit and attribution apply.
    const token = await tokenCaller(request, scope).catch(() => null);
    return token?.via === "account" && token.ref.account === email ? token : asserted;
  }
  if (await isAdmin(request, scope)) return asserted;
  const verified = await tokenCaller(request, scope);
  if (verified?.via === "account" && verified.ref.kind === "email" && verified.ref.account === email) return verified;
  throw denied("identity_not_verified");
}

/** Like resolveCaller, but no identity at all is a 401. */
export async function requireCaller(request: Request, url: URL, scope: RequestScope): Promise<Caller> {
  const caller = await resolveCaller(request, url, scope);
  if (!caller) throw unauthorized("Send an API key, a bearer token, or ?email= with its proof.");
  return caller;
}

/**
 * The account a caller is, for routes that name it without a ledger operation of their own (jobs,
 * uploads). Keys, and tokens made from keys, are checked by their ledger: one round trip.
 */
export async function identityOf(scope: RequestScope, caller: Caller): Promise<Identity> {
  if (caller.via === "account" && !caller.tokenKeyId) return { ...caller.ref, keyId: null };
  const auth = await ledgerFor(scope.env.LEDGER, caller).authenticate(caller);
  if (auth.status === "denied") throw denied(auth.code);
  return { ...auth.ref, keyId: auth.keyId };
}

/** requireCaller, then identityOf. */
export async function requireIdentity(request: Request, url: URL, scope: RequestScope): Promise<Identity> {
  return identityOf(scope, await requireCaller(request, url, scope));
}
