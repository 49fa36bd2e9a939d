import { describe, expect, it } from "vitest";
import { costAt, microFromCredits, outputTokensFor, worstPrice } from "./money";

describe("prices in micro-credits", () => {
  it("charge input and output each at its own price, rounded up once, exactly", () => {
    const price = { in: microFromCredits(0.15), out: microFromCredits(0.6) };
    // 1,234 in × 150,000 + 567 out × 600,000 = 525,300,000 → ÷ 1,000 = 525,300 exactly.
    expect(costAt(price, 1234, 567)).toBe(525_300);
    // 1 in × 1 micro/1K = 0.001 → rounded up to one micro-credit, not per part.
    expect(costAt({ in: 1, out: 1 }, 1, 1)).toBe(1);
    expect(costAt({ in: 333_333, out: 0 }, 3, 0)).toBe(1_000);
  });

  it("stay exact for prices with six decimals, where floats would drift", () => {
    const price = { in: microFromCredits(0.000001), out: microFromCredits(1.1) };
    expect(price).toEqual({ in: 1, out: 1_100_000 });
    expect(costAt(price, 1_000_000, 3)).toBe(1_000 + 3_300);
  });

  it("hold at the dearest of mixed prices, input and output each on its own", () => {
    const cheapIn = { in: 10, out: 900 };
    const cheapOut = { in: 500, out: 20 };
    expect(worstPrice([cheapIn, cheapOut])).toEqual({ in: 500, out: 900 });
    // A hold for 100 in + 10 out at the worst covers the answer at either price.
    const hold = costAt(worstPrice([cheapIn, cheapOut]), 100, 10);
    expect(hold).toBeGreaterThanOrEqual(costAt(cheapIn, 100, 10));
    expect(hold).toBeGreaterThanOrEqual(costAt(cheapOut, 100, 10));
  });

  it("cap the output at what the hold pays for at the answering price", () => {
    const answering = { in: 1_000_000, out: 2_000_000 };
    // 0.2 credits held, 42 prompt tokens at 1/1K = 42,000: the rest pays for 79 output tokens.
    expect(outputTokensFor(200_000, 42, answering)).toBe(79);
    expect(costAt(answering, 42, 79)).toBeLessThanOrEqual(200_000);
    expect(costAt(answering, 42, 80)).toBeGreaterThan(200_000);
    expect(outputTokensFor(10, 42, answering)).toBe(0);
    expect(outputTokensFor(10, 42, { in: 1, out: 0 })).toBe(Number.POSITIVE_INFINITY);
  });
});
