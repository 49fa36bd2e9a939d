// Optional bot check on guest sign-up: with TURNSTILE_SECRET_KEY set, a valid Turnstile
// response is required, checked against the siteverify API. A response is redeemable once;
// siteverify answers a repeat that carries the first call's idempotency key with that call's
// success, so the key is made here for each check and never taken from the client (a client's
// X-Request-Id would let one solved challenge mint any number of guests).
import type { Config } from "../config";
import { ApiError, badRequest } from "../http/errors";

export async function checkTurnstile(config: Config, response: string | undefined, remoteIp: string): Promise<void> {
  const secret = config.turnstile.secretKey;
  if (!secret) return;
  if (!response) throw badRequest("A Turnstile response (turnstile_token) is required.");
  const form = new FormData();
  form.set("secret", secret);
  form.set("response", response);
  if (remoteIp !== "local") form.set("remoteip", remoteIp);
  form.set("idempotency_key", crypto.randomUUID());
  let outcome: { success?: boolean };
  try {
    const answer = await fetch(config.turnstile.verifyUrl, {
      method: "POST",
      body: form,
      signal: AbortSignal.timeout(5000),
    });
    if (!answer.ok) throw new Error(`siteverify answered ${answer.status}`);
    outcome = await answer.json();
  } catch {
    throw new ApiError(503, "turnstile_unavailable", "The bot check could not be completed; try again.");
  }
  if (outcome.success !== true) throw new ApiError(403, "turnstile_failed", "The bot check did not pass.");
}
