// The chat's sign-in with an API key and its sign-out (the home route's action calls these). The
// key is traded for an account token (email + key_id claims) kept in the HttpOnly session cookie
// `cg_token`; the key itself is never stored. Signing out clears the cookie, and the next page
// load starts a guest session.
import { accountTokenFor } from "~/server/auth/account-token";
import { keyCallerOf } from "~/server/auth/identity";
import type { RequestScope } from "~/server/context";
import { accountEmailCookie, guestTokenCookie, writeCookie } from "~/server/http/cookies";
import { ApiError } from "~/server/http/errors";

export type SignInResult =
  | { ok: true; email: string; cookies: string[] }
  | { ok: false; status: number; error: string };

const MAX_KEY_INPUT = 200;

export async function signInWithKey(request: Request, scope: RequestScope, apiKey: string): Promise<SignInResult> {
  const text = apiKey.trim();
  if (!text) return { ok: false, status: 400, error: "Enter an API key (it starts with cg_sk_)." };
  if (text.length > MAX_KEY_INPUT) return { ok: false, status: 400, error: "That is not an API key." };
  try {
    const account = await accountTokenFor(scope, await keyCallerOf(text, scope));
    const maxAge = Math.max(0, account.exp - Math.floor(Date.now() / 1000));
    const cookies = [
      await writeCookie(guestTokenCookie, request, account.token, { maxAge }),
      // A chosen email (asserted mode) gives way to the signed-in account.
      await writeCookie(accountEmailCookie, request, null),
    ];
    return { ok: true, email: account.email, cookies };
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      return { ok: false, status: error.status, error: "That API key is not valid: unknown, revoked or expired." };
    }
    if (error instanceof ApiError) return { ok: false, status: error.status, error: error.message };
    throw error;
  }
}

/** The Set-Cookie headers that end an account session (the page then starts a guest one). */
export async function signOut(request: Request): Promise<string[]> {
  return [await writeCookie(guestTokenCookie, request, null), await writeCookie(accountEmailCookie, request, null)];
}
