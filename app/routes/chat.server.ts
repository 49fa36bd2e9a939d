// The chat page's server side: who the visitor is — an account signed in with one of its API
// keys (the session cookie holds a token made from the key), else a guest (a guest token is issued
// here when they have none, under the same rate limit and bot-check rules as POST /auth/guest),
// and in `asserted` mode the "use my email" choice — their balance, and what the page must know
// about the service. Sign-in and sign-out are in session.server.ts.
import { isbot } from "isbot";
import { z } from "zod";
import { denied } from "~/server/auth/identity";
import { requireSigningKey } from "~/server/auth/keys";
import { limitPerAddress } from "~/server/auth/rate-limit";
import { GUEST_ID, issueGuestToken, tokenCookie } from "~/server/auth/tokens";
import { verifyTokenCached } from "~/server/auth/verification-keys";
import { balanceBody, ledgerFor, readBalance } from "~/server/billing/ledger-client";
import { creditsFromMicro } from "~/server/billing/money";
import { paymentLinkFor } from "~/server/billing/stripe-webhook";
import type { Caller } from "~/server/billing/types";
import { priceOf } from "~/server/config";
import type { RequestScope } from "~/server/context";
import { readiness } from "~/server/health";
import { accountEmailCookie, guestTokenCookie, readCookie, writeCookie } from "~/server/http/cookies";
import { ApiError } from "~/server/http/errors";
import { planAttempts } from "~/server/llm/plan";

export const emailSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "Enter an email address like name@example.com." }).max(254)),
});

type Session =
  /** A guest token (or an account session) is in place, or was just issued. */
  | { state: "ready" }
  /** The page gets its guest token from POST /auth/guest itself. */
  | { state: "deferred" }
  /** The bot check must pass in the browser before a guest token is issued. */
  | { state: "check-needed" }
  | { state: "unavailable"; message: string };

/** Who the session cookie says the visitor is (its token verified); null when nobody. */
export type Visitor =
  | { kind: "guest"; account: string }
  | { kind: "account"; email: string; keyId: string; caller: Caller };

export async function visitorOf(request: Request, scope: RequestScope): Promise<Visitor | null> {
  const token = await readCookie(guestTokenCookie, request);
  if (!token) return null;
  try {
    const claims = await verifyTokenCached(token, scope);
    if (typeof claims.email === "string" && typeof claims.key_id === "string") {
      const email = claims.email.toLowerCase();
      const caller: Caller = { via: "account", ref: { account: email, kind: "email" }, tokenKeyId: claims.key_id };
      return { kind: "account", email, keyId: claims.key_id, caller };
    }
    return claims.sub && GUEST_ID.test(claims.sub) ? { kind: "guest", account: claims.sub } : null;
  } catch {
    return null;
  }
}

/** A new guest session for a visitor without one; the Set-Cookie to send when one was issued. */
async function newGuestSession(request: Request, scope: RequestScope): Promise<{ session: Session; cookie?: string }> {
  const { config, env } = scope;
  if (config.turnstile.secretKey) return { session: { state: "check-needed" } };
  // Crawlers get the page without spending the address's guest allowance; a real browser behind
  // a bot-like user agent fetches its token from POST /auth/guest once its scripts run.
  const agent = request.headers.get("User-Agent");
  if (agent && isbot(agent)) return { session: { state: "deferred" } };
  try {
    await limitPerAddress(env.RATE_LIMITER, "guest", request, config.guestRateLimit);
    const guest = await issueGuestToken(await requireSigningKey(env.KEYS, config), config);
    return { session: { state: "ready" }, cookie: await tokenCookie(request, guest.token, config.jwtTtlSec) };
  } catch (error) {
    if (error instanceof ApiError) return { session: { state: "unavailable", message: error.message } };
    throw error;
  }
}

/** The signed-in account's balance; null when its key was revoked or expired since (signed out). */
async function accountBalance(scope: RequestScope, visitor: Extract<Visitor, { kind: "account" }>) {
  const read = await ledgerFor(scope.env.LEDGER, visitor.caller).read(visitor.caller);
  return read.status === "ok" ? balanceBody(read.view).balance : null;
}

/** What each tier ("" = standard) costs on its first configured provider, credits per 1K tokens. */
function tierPrices(scope: RequestScope): Record<string, { input: number; output: number }> {
  const prices: Record<string, { input: number; output: number }> = {};
  for (const tier of ["", ...Object.keys(scope.config.tiers)]) {
    const first = planAttempts(scope.config, scope.env, { tier: tier || undefined }).find((a) => a.configured);
    if (first) prices[tier] = { input: creditsFromMicro(first.price.in), output: creditsFromMicro(first.price.out) };
  }
  return prices;
}

export async function chatPageData(request: Request, scope: RequestScope, options: { afterAction?: boolean } = {}) {
  const { config, env } = scope;
  const emailSignIn = config.identityMode === "asserted";
  const [visitor, ready] = await Promise.all([visitorOf(request, scope), readiness(scope)]);
  const signedIn = visitor?.kind === "account" ? { visitor, balance: await accountBalance(scope, visitor) } : null;
  const account =
    signedIn && signedIn.balance !== null ? { email: signedIn.visitor.email, keyId: signedIn.visitor.keyId } : null;
  // No session, or a key session whose key is gone: a fresh guest session — but not right after the
  // page's action, which may just have set the session cookie (sign-in, sign-out) this request lacks.
  const settled = visitor?.kind === "guest" || account || options.afterAction;
  const guest = settled ? { session: { state: "ready" } as Session } : await newGuestSession(request, scope);
  const chosen = emailSchema.safeParse({ email: (await readCookie(accountEmailCookie, request)) ?? "" });
  const assertedEmail = !account && emailSignIn && chosen.success ? chosen.data.email : null;
  const assertedView = assertedEmail ? await readBalance(env.LEDGER, { account: assertedEmail, kind: "email" }) : null;
  return {
    cookie: guest.cookie,
    page: {
      session: guest.session,
      /** The account the chat runs as (signed in with a key, or the asserted email); null for guests. */
      email: account?.email ?? assertedEmail,
      /** Signed in with an API key: the account and the key's id. */
      account,
      balance: account ? (signedIn?.balance ?? null) : assertedView ? balanceBody(assertedView).balance : null,
      emailSignIn,
      provider: ready.provider,
      model: ready.model,
      localUpstream: ready.local_upstream,
      readAloud: ready.tts.some((link) => link.configured),
      maxUploadBytes: config.maxUploadBytes,
      /** Credits per 1,000 input tokens at the default model: what an attached file costs. */
      inputPrice:
        ready.provider && ready.model ? creditsFromMicro(priceOf(config, ready.provider, ready.model).in) : null,
      tiers: Object.keys(config.tiers),
      tierPrices: tierPrices(scope),
      /** "Buy credits": the Stripe Payment Link naming this account (signed-in accounts, when configured). */
      buyCreditsUrl: account ? paymentLinkFor(scope, account.email) : null,
      /** LOW_BALANCE_THRESHOLD in credits (null when off): below it the chat says so, quietly. */
      lowBalanceThreshold:
        config.lowBalance.thresholdMicro > 0 ? creditsFromMicro(config.lowBalance.thresholdMicro) : null,
    },
  };
}

export type ChatPageData = Awaited<ReturnType<typeof chatPageData>>["page"];

/** The signed-in account (401 in the envelope's words when the visitor is not one). */
export async function requireAccountVisitor(request: Request, scope: RequestScope) {
  const visitor = await visitorOf(request, scope);
  if (visitor?.kind !== "account") throw new ApiError(401, "sign_in_required", "Sign in with an API key first.");
  const read = await ledgerFor(scope.env.LEDGER, visitor.caller).read(visitor.caller);
  if (read.status === "denied") throw denied(read.code);
  return { visitor, balance: balanceBody(read.view).balance };
}

/** The Set-Cookie header that remembers (or, for null, forgets) the chosen account email. */
export function emailCookie(request: Request, email: string | null): Promise<string> {
  return writeCookie(accountEmailCookie, request, email);
}
