// A sliding-window counter per client key (http/sliding-window.ts), held in one Durable Object
// per key so the limit holds across every isolate and location.
import { DurableObject } from "cloudflare:workers";
import { ApiError } from "../http/errors";
import { type RateDecision, SlidingWindow } from "../http/sliding-window";
import { addressBucket, clientAddress } from "./client-address";

export type { RateDecision } from "../http/sliding-window";

export class RateLimiter extends DurableObject<Env> {
  // Counts live in memory: an evicted limiter forgets, which errs on the side of the client.
  private readonly window = new SlidingWindow();

  /** Counts one request unless the window is full. */
  hit(limit: number, windowSec: number, now = Date.now()) {
    return this.window.hit(limit, windowSec, now);
  }

  /** The decision `hit` would make, without counting anything. */
  peek(limit: number, windowSec: number, now = Date.now()) {
    return this.window.peek(limit, windowSec, now);
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
