// A sliding-window counter per client key, held in one Durable Object per key so the limit
// holds across every isolate and location.
import { DurableObject } from "cloudflare:workers";
import { ApiError } from "../http/errors";
import { addressBucket, clientAddress } from "./client-address";

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSec: number;
}

export class RateLimiter extends DurableObject<Env> {
  // Counts live in memory: an evicted limiter forgets, which errs on the side of the client.
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  /** Counts one request unless the window is full. */
  hit(limit: number, windowSec: number, now = Date.now()): RateDecision {
    return this.decide(limit, windowSec, now, true);
  }

  /** The decision `hit` would make, without counting anything. */
  peek(limit: number, windowSec: number, now = Date.now()): RateDecision {
    return this.decide(limit, windowSec, now, false);
  }

  private decide(limit: number, windowSec: number, now: number, count: boolean): RateDecision {
    const windowMs = windowSec * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    if (start !== this.windowStart) {
      this.previous = start - this.windowStart === windowMs ? this.current : 0;
      this.current = 0;
      this.windowStart = start;
    }
    const elapsed = (now - start) / windowMs;
    const estimate = this.previous * (1 - elapsed) + this.current;
    if (estimate + 1 > limit) {
      // The fraction of this window after which the previous window has decayed enough for
      // one more request; when this window alone is full, that is its end.
      const freeAt = this.current + 1 > limit ? 1 : 1 - (limit - 1 - this.current) / this.previous;
      const waitMs = Math.max(0, freeAt - elapsed) * windowMs;
      return { allowed: false, remaining: 0, retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    if (count) this.current += 1;
    return { allowed: true, remaining: Math.max(0, Math.floor(limit - estimate - 1)), retryAfterSec: 0 };
  }
}

export interface Limit {
  limit: number;
  windowSec: number;
}

export function rateLimited(decision: RateDecision, message = "Too many requests"): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    `${message}; try again in ${decision.retryAfterSec} s.`,
    { retry_after: decision.retryAfterSec },
    { "Retry-After": String(decision.retryAfterSec) },
  );
}

/** The limiter counting `purpose` for the caller's address (its /64 for IPv6). */
export function limiterFor(namespace: DurableObjectNamespace<RateLimiter>, purpose: string, request: Request) {
  return namespace.get(namespace.idFromName(`${purpose}:${addressBucket(clientAddress(request))}`));
}

/** Counts one request from the caller's address (its /64 for IPv6) against `limit`; 429 when over. */
export async function limitPerAddress(
  namespace: DurableObjectNamespace<RateLimiter>,
  purpose: string,
  request: Request,
  limit: Limit,
): Promise<void> {
  const decision = await limiterFor(namespace, purpose, request).hit(limit.limit, limit.windowSec);
  if (!decision.allowed) throw rateLimited(decision);
}
