// Credits are money: every amount is an integer number of micro-credits (1 credit = 1,000,000).

export const MICRO_PER_CREDIT = 1_000_000;

/** Largest amount any balance or change may reach (about 9 billion credits). */
export const MAX_MICRO = Number.MAX_SAFE_INTEGER;

export function microFromCredits(credits: number): number {
  return Math.round(credits * MICRO_PER_CREDIT);
}

/** Decimal credits for display; exact to the micro-credit. */
export function creditsFromMicro(micro: number): number {
  return Number((micro / MICRO_PER_CREDIT).toFixed(6));
}

/** Cost of `tokens` at `microPer1k`, rounded up to the next micro-credit. */
export function costOfTokens(tokens: number, microPer1k: number): number {
  return Math.ceil((tokens * microPer1k) / 1000);
}

/** How many tokens `micro` pays for at `microPer1k` (unbounded when the price is zero). */
export function tokensFor(micro: number, microPer1k: number): number {
  if (microPer1k <= 0) return Number.POSITIVE_INFINITY;
  return Math.floor((micro * 1000) / microPer1k);
}
