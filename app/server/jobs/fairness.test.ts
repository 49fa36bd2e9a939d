import { describe, expect, it } from "vitest";
import { fairOrder } from "./fairness";

const job = (account: string, n: number) => ({ id: `${account}${n}`, account });

describe("the cron's order", () => {
  it("takes one job per account per round, accounts by their oldest job", () => {
    const queue = [job("a", 1), job("a", 2), job("a", 3), job("b", 1), job("a", 4), job("c", 1), job("b", 2)];
    expect(fairOrder(queue).map((entry) => entry.id)).toEqual(["a1", "b1", "c1", "a2", "b2", "a3", "a4"]);
  });

  it("lets a flood from one account wait behind a single job of another", () => {
    const flood = Array.from({ length: 500 }, (_, i) => job("flood", i));
    const order = fairOrder([...flood, job("quiet", 0)]);
    expect(order.slice(0, 2).map((entry) => entry.account)).toEqual(["flood", "quiet"]);
  });

  it("keeps every job exactly once", () => {
    const queue = Array.from({ length: 50 }, (_, i) => job(`acct${i % 7}`, i));
    const order = fairOrder(queue);
    expect(order).toHaveLength(50);
    expect(new Set(order.map((entry) => entry.id)).size).toBe(50);
  });
});
