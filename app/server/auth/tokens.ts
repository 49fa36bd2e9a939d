// Guest token issue and verification (RS256 only, key found by kid in the published set).
import { createLocalJWKSet, errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Config } from "../config";
import { guestTokenCookie, readCookie, writeCookie } from "../http/cookies";
import { ApiError } from "../http/errors";
import type { JwkSet, SigningKey } from "./keys";

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

function randomId(bytes = 16): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export async function issueGuestToken(key: SigningKey, config: Config, now = Date.now()): Promise<GuestToken> {
  const iat = Math.floor(now / 1000);
  const exp = iat + config.jwtTtlSec;
  const sub = `${GUEST_PREFIX}${randomId()}`;
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

const invalid = (message: string) => new ApiError(401, "invalid_token", message);

/** Verifies a bearer/cookie token; every failure is a 401 that says why in plain words. */
export async function verifyToken(token: string, jwks: JwkSet, config: Config): Promise<JWTPayload> {
  if (token.length > 8192 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    throw invalid("The token is not a well-formed signed JWT.");
  }
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      algorithms: ["RS256"],
      issuer: config.issuer,
      clockTolerance: CLOCK_LEEWAY_SEC,
      requiredClaims: ["exp"],
    });
    return payload;
  } catch (error) {
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
