// Who is calling: query `email`, then `X-User-Email`, then verified token claims email|em|sub
// (the runbook's order). In `verified` mode asserted emails must match the token or come with
// the admin key.
import { z } from "zod";
import type { RequestScope } from "../context";
import { ApiError, badRequest, unauthorized } from "../http/errors";
import { isAdmin } from "./admin";
import { ensurePublished } from "./keys";
import { GUEST_ID, GUEST_PREFIX, tokenFrom, verifyToken } from "./tokens";

export interface Identity {
  /** The ledger account: a normalized email or `guest:<id>`. */
  account: string;
  kind: "email" | "guest";
  source: "query" | "header" | "token";
}

const emailSchema = z.email().max(254);

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) throw badRequest("That is not a valid email address.");
  return email;
}

function asserted(url: URL, request: Request): { email: string; source: "query" | "header" } | null {
  const query = url.searchParams.get("email");
  if (query !== null) return { email: normalizeEmail(query), source: "query" };
  const header = request.headers.get("X-User-Email");
  if (header !== null) return { email: normalizeEmail(header), source: "header" };
  return null;
}

async function fromToken(request: Request, scope: RequestScope): Promise<Identity | null> {
  const token = await tokenFrom(request);
  if (token === null) return null;
  if (!token) throw new ApiError(401, "invalid_token", "The Authorization header must be `Bearer <token>`.");
  const jwks = await ensurePublished(scope.env.KEYS, scope.config).catch(() => ({ keys: [] }));
  const claims = await verifyToken(token, jwks, scope.config);
  const email = [claims.email, claims.em].find((value) => typeof value === "string") as string | undefined;
  if (email) return { account: normalizeEmail(email), kind: "email", source: "token" };
  const sub = claims.sub ?? "";
  if (sub.startsWith(GUEST_PREFIX)) {
    if (!GUEST_ID.test(sub)) throw new ApiError(401, "invalid_token", "The token's guest id is malformed.");
    return { account: sub, kind: "guest", source: "token" };
  }
  if (emailSchema.safeParse(sub.trim().toLowerCase()).success) {
    return { account: sub.trim().toLowerCase(), kind: "email", source: "token" };
  }
  throw new ApiError(401, "invalid_token", "The token names no account (email, em or sub).");
}

/** The caller's identity, or null when none was offered. Bad offers are 400/401. */
export async function resolveIdentity(request: Request, url: URL, scope: RequestScope): Promise<Identity | null> {
  const claim = asserted(url, request);
  if (!claim) return fromToken(request, scope);
  if (scope.config.identityMode === "asserted") return { account: claim.email, kind: "email", source: claim.source };
  if (await isAdmin(request, scope)) return { account: claim.email, kind: "email", source: claim.source };
  const verified = await fromToken(request, scope);
  if (verified?.kind === "email" && verified.account === claim.email) return { ...verified, source: claim.source };
  throw new ApiError(
    401,
    "identity_not_verified",
    "This service only trusts verified identities: send a token for this email (or the admin key).",
  );
}

/** Like resolveIdentity, but no identity at all is a 401. */
export async function requireIdentity(request: Request, url: URL, scope: RequestScope): Promise<Identity> {
  const identity = await resolveIdentity(request, url, scope);
  if (!identity) throw unauthorized("Send ?email=, an X-User-Email header, or a bearer token.");
  return identity;
}
