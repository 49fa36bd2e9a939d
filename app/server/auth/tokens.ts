// Guest token issue and verification (RS256 only, key found by kid in the published set).
import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify, SignJWT } from "jose";
import type { Config } from "../config";
import { guestTokenCookie, readCookie, writeCookie } from "../http/cookies";
import { ApiError } from "../http/errors";
import { randomText } from "./base64url";
import type { SigningKey } from "./keys";

export const CLOCK_LEEWAY_SEC = 60;
export const GUEST_PREFIX = "guest:";
export const GUEST_ID = /^guest:[A-Za-z0-9_-]{8,64}$/;

export interface GuestToken {
  token: string;
  sub: string;
  iat: number;
  exp: number;
  jti: string;
}

export async function issueGuestToken(key: SigningKey, config: Config, now = Date.now()): Promise<GuestToken> {
  const iat = Math.floor(now / 1000);
  const exp = iat + config.jwtTtlSec;
  const sub = `${GUEST_PREFIX}${randomText(16)}`;
  const jti = crypto.randomUUID();
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .setIssuer(config.issuer)
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(jti)
    .sign(key.privateKey);
  return { token, sub, iat, exp, jti };
}

export interface AccountToken {
  token: string;
  exp: number;
  email: string;
  keyId: string;
}

/**
 * A token for an email account, made from one of its API keys (POST /auth/token, the chat's key
 * sign-in): same key and issuer as guest tokens, with `email` and `key_id` claims. It lasts
 * JWT_TTL_SEC but never past its key's expiry, and stops working when the key is revoked (the
 * ledger checks `key_id` in the call each request already makes).
 */
export async function issueAccountToken(
  key: SigningKey,
  config: Config,
  account: { email: string; keyId: string; keyExpiresAt: number | null },
  now = Date.now(),
): Promise<AccountToken> {
  const iat = Math.floor(now / 1000);
  const keyEnds = account.keyExpiresAt === null ? Number.POSITIVE_INFINITY : Math.floor(account.keyExpiresAt / 1000);
  const exp = Math.min(iat + config.jwtTtlSec, keyEnds);
  const token = await new SignJWT({ email: account.email, key_id: account.keyId })
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .setIssuer(config.issuer)
    .setSubject(account.email)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
  return { token, exp, email: account.email, keyId: account.keyId };
}

const invalid = (message: string) => new ApiError(401, "invalid_token", message);

/** Thrown by verifyToken when the token's kid is not in the key set, so the set can be refreshed. */
export class UnknownKid extends Error {
  constructor(readonly reported: ApiError) {
    super(reported.message);
  }
}

/**
 * Verifies a bearer/cookie token with `getKey` (the cached key set: auth/verification-keys.ts);
 * every failure is a 401 that says why in plain words. A kid the set lacks is thrown as
 * UnknownKid, so the caller may refresh the set and try once more.
 */
export async function verifyToken(token: string, getKey: JWTVerifyGetKey, config: Config): Promise<JWTPayload> {
  if (token.length > 8192 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    throw invalid("The token is not a well-formed signed JWT.");
  }
  try {
    const { payload } = await jwtVerify(token, getKey, {
      algorithms: ["RS256"],
      issuer: config.issuer,
      clockTolerance: CLOCK_LEEWAY_SEC,
      requiredClaims: ["exp"],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) throw new UnknownKid(invalid(reason(error)));
    throw invalid(reason(error));
  }
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "The token has expired.";
  if (error instanceof errors.JWKSNoMatchingKey) return "The token was signed by a key that is not published.";
  if (error instanceof errors.JWKSMultipleMatchingKeys) return "The token does not name its key (kid).";
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted (RS256 only).";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature does not verify.";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf") return "The token is not valid yet.";
    if (error.claim === "iss") return "The token was issued by someone else.";
    if (error.claim === "exp") return "The token has no expiry.";
    return `The token's ${error.claim} claim is not acceptable.`;
  }
  return "The token could not be verified.";
}

/** The token from `Authorization: Bearer …` ("" when malformed), else from the app's cookie. */
export async function tokenFrom(request: Request): Promise<string | null> {
  const auth = request.headers.get("Authorization");
  if (auth) {
    const match = auth.match(/^Bearer\s+(\S+)\s*$/i);
    return match?.[1] ?? "";
  }
  return readCookie(guestTokenCookie, request);
}

/** The Set-Cookie header that keeps a guest token for as long as it lives. */
export function tokenCookie(request: Request, token: string, maxAgeSec: number): Promise<string> {
  return writeCookie(guestTokenCookie, request, token, { maxAge: maxAgeSec });
}
