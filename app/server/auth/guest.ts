// POST /auth/guest: rate-limited per client address, optionally Turnstile-checked, then an
// RS256 guest token in the body and in an HttpOnly cookie.
import { z } from "zod";
import type { RequestScope } from "../context";
import { readJson } from "../http/json";
import { requireSigningKey } from "./keys";
import { clientAddress, enforceRateLimit } from "./rate-limit";
import { issueGuestToken, tokenCookie } from "./tokens";
import { checkTurnstile } from "./turnstile";

export const guestBodySchema = z.object({ turnstile_token: z.string().max(4096).optional() }).strict();

export async function guestSignIn(request: Request, scope: RequestScope): Promise<Response> {
  const { config, env } = scope;
  const input = await readJson(request, guestBodySchema, { limit: 8 * 1024, emptyAsObject: true });
  const address = clientAddress(request);
  await enforceRateLimit(env.RATE_LIMITER, `guest:${address}`, config.guestRateLimit);
  const turnstile = input.turnstile_token ?? request.headers.get("CF-Turnstile-Response") ?? undefined;
  await checkTurnstile(config, turnstile, address, scope.requestId);
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
