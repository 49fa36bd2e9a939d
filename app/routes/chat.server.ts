// The chat page's server side: who the visitor is (a guest token is issued here when they have
// none, under the same rate limit and bot-check rules as POST /auth/guest), their balance when
// they use an account email, and what the page must know about the service.
import { isbot } from "isbot";
import { z } from "zod";
import { ensurePublished, requireSigningKey } from "~/server/auth/keys";
import { limitPerAddress } from "~/server/auth/rate-limit";
import { issueGuestToken, tokenCookie, verifyToken } from "~/server/auth/tokens";
import { balanceBody, readBalance } from "~/server/billing/ledger-client";
import type { RequestScope } from "~/server/context";
import { readiness } from "~/server/health";
import { accountEmailCookie, guestTokenCookie, readCookie, writeCookie } from "~/server/http/cookies";
import { ApiError } from "~/server/http/errors";

export const emailSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "Enter an email address like name@example.com." }).max(254)),
});

type Session =
  /** A guest token is in place (or was just issued). */
  | { state: "ready" }
  /** The page gets its guest token from POST /auth/guest itself. */
  | { state: "deferred" }
  /** The bot check must pass in the browser before a guest token is issued. */
  | { state: "check-needed" }
  | { state: "unavailable"; message: string };

async function hasLiveToken(request: Request, scope: RequestScope): Promise<boolean> {
  const token = await readCookie(guestTokenCookie, request);
  if (!token) return false;
  try {
    await verifyToken(token, await ensurePublished(scope.env.KEYS, scope.config), scope.config);
    return true;
  } catch {
    return false;
  }
}

/** Makes sure the visitor has a guest session; the Set-Cookie to send when one was issued. */
async function guestSession(request: Request, scope: RequestScope): Promise<{ session: Session; cookie?: string }> {
  if (await hasLiveToken(request, scope)) return { session: { state: "ready" } };
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

export async function chatPageData(request: Request, scope: RequestScope) {
  const { config, env } = scope;
  const emailSignIn = config.identityMode === "asserted";
  const chosen = emailSchema.safeParse({ email: (await readCookie(accountEmailCookie, request)) ?? "" });
  const email = emailSignIn && chosen.success ? chosen.data.email : null;
  const [guest, ready, view] = await Promise.all([
    guestSession(request, scope),
    readiness(scope),
    email ? readBalance(env.LEDGER, { account: email, kind: "email" }) : null,
  ]);
  return {
    cookie: guest.cookie,
    page: {
      session: guest.session,
      email,
      balance: view ? balanceBody(view).balance : null,
      emailSignIn,
      provider: ready.provider,
      model: ready.model,
      localUpstream: ready.local_upstream,
      maxUploadBytes: config.maxUploadBytes,
      tiers: Object.keys(config.tiers),
    },
  };
}

export type ChatPageData = Awaited<ReturnType<typeof chatPageData>>["page"];

/** The Set-Cookie header that remembers (or, for null, forgets) the chosen account email. */
export function emailCookie(request: Request, email: string | null): Promise<string> {
  return writeCookie(accountEmailCookie, request, email);
}
