// A sliding-window counter (the previous window's count, decayed, plus this window's), kept in
// memory by whoever owns it: the RateLimiter object per client address, and each account's
// ledger for its asks per minute. An evicted owner forgets, which errs on the client's side.

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSec: number;
}

export class SlidingWindow {
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  /** Counts one request if `limit` per `windowSec` allows it. */
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
