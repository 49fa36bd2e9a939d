// A sliding-window counter per client key (http/sliding-window.ts), held in one Durable Object
// per key so the limit holds across every isolate and location.
import { DurableObject } from "cloudflare:workers";
import { ApiError } from "../http/errors";
import { SlidingWindow } from "../http/sliding-window";

export type { RateDecision } from "../http/sliding-window";

export class RateLimiter extends DurableObject<Env> {
  // Counts live in memory: an evicted limiter forgets, which errs on the side of the client.
  private readonly window = new SlidingWindow();

  hit(limit: number, windowSec: number, now = Date.now()) {
    return this.window.hit(limit, windowSec, now);
  }
}

/** The caller's address as Cloudflare reports it (locally, loopback). */
export function clientAddress(request: Request): string {
  return request.headers.get("CF-Connecting-IP") ?? request.headers.get("X-Real-IP") ?? "local";
}

export async function enforceRateLimit(
  namespace: DurableObjectNamespace<RateLimiter>,
  bucket: string,
  limit: { limit: number; windowSec: number },
): Promise<void> {
  const stub = namespace.get(namespace.idFromName(bucket));
  const decision = await stub.hit(limit.limit, limit.windowSec);
  if (!decision.allowed) {
    throw new ApiError(
      429,
      "rate_limited",
      `Too many requests; try again in ${decision.retryAfterSec} s.`,
      { retry_after: decision.retryAfterSec },
      { "Retry-After": String(decision.retryAfterSec) },
    );
  }
}
