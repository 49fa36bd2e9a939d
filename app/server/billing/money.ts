// Credits are money: every amount is an integer number of micro-credits (1 credit = 1,000,000),
// and every price an integer number of micro-credits per 1,000 tokens.

export const MICRO_PER_CREDIT = 1_000_000;

/** Largest amount any balance or change may reach (about 9 billion credits). */
export const MAX_MICRO = Number.MAX_SAFE_INTEGER;

/** A model's price: micro-credits per 1,000 input and per 1,000 output tokens. */
export interface Price {
  in: number;
  out: number;
}

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

/** What `tokensIn` and `tokensOut` cost at `price`, rounded up once, to the next micro-credit. */
export function costAt(price: Price, tokensIn: number, tokensOut: number): number {
  return Math.ceil((tokensIn * price.in + tokensOut * price.out) / 1000);
}

/** How many tokens `micro` pays for at `microPer1k` (unbounded when the price is zero). */
export function tokensFor(micro: number, microPer1k: number): number {
  if (microPer1k <= 0) return Number.POSITIVE_INFINITY;
  return Math.floor((micro * 1000) / microPer1k);
}

/** The dearest of `prices`, input and output each on its own (what a hold must cover). */
export function worstPrice(prices: readonly Price[]): Price {
  return prices.reduce((worst, price) => ({ in: Math.max(worst.in, price.in), out: Math.max(worst.out, price.out) }), {
    in: 0,
    out: 0,
  });
}

/**
 * The most output tokens `heldMicro` pays for after a prompt of `promptTokens` at `price`
 * (unbounded when output is free; 0 when the prompt alone uses the hold up).
 */
export function outputTokensFor(heldMicro: number, promptTokens: number, price: Price): number {
  if (price.out <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.floor((heldMicro * 1000 - promptTokens * price.in) / price.out));
}
