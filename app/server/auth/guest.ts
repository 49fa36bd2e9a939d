// POST /auth/guest: refused to other sites' pages, rate-limited per client address, optionally
// Turnstile-checked, then an RS256 guest token in the body and in an HttpOnly cookie.
import { z } from "zod";
import type { RequestScope } from "../context";
import { allowedOrigin } from "../http/cors";
import { ApiError } from "../http/errors";
import { readJson } from "../http/json";
import { clientAddress } from "./client-address";
import { requireSigningKey } from "./keys";
import { limitPerAddress } from "./rate-limit";
import { issueGuestToken, tokenCookie } from "./tokens";
import { checkTurnstile } from "./turnstile";

export const guestBodySchema = z.object({ turnstile_token: z.string().max(4096).optional() }).strict();

export async function guestSignIn(request: Request, scope: RequestScope): Promise<Response> {
  const { config, env } = scope;
  // A page on another site must not mint guests (and set their cookie) in its visitors'
  // browsers; callers without Origin (curl, servers, the runbook's probes) are not browsers.
  if (request.headers.has("Origin") && !allowedOrigin(request, config.allowedOrigins)) {
    throw new ApiError(403, "origin_not_allowed", "This origin may not create guest sessions.");
  }
  const input = await readJson(request, guestBodySchema, { limit: 8 * 1024, emptyAsObject: true });
  await limitPerAddress(env.RATE_LIMITER, "guest", request, config.guestRateLimit);
  const turnstile = input.turnstile_token ?? request.headers.get("CF-Turnstile-Response") ?? undefined;
  await checkTurnstile(config, turnstile, clientAddress(request));
  const key = await requireSigningKey(env.KEYS, config);
  const guest = await issueGuestToken(key, config);
  return Response.json(
    {
      ok: true,
      token: guest.token,
      token_type: "Bearer",
      exp: guest.exp,
      expires_in: config.jwtTtlSec,
      sub: guest.sub,
    },
    { headers: { "Set-Cookie": await tokenCookie(request, guest.token, config.jwtTtlSec) } },
  );
}
