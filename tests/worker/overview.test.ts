// The operator overview's data: every ask noted after its response in the day's stats object,
// read back as totals, top accounts, provider health and recent errors.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { medianMs } from "../../app/server/stats/latency";
import { operatorOverview, providerHealth } from "../../app/server/stats/overview";
import { callWith, grant, onBehalfOf, postJson, uniqueEmail, upstream } from "./helpers";

async function until<T>(read: () => Promise<T>, ready: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 60 && !ready(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

describe("the operator overview", () => {
  it("counts asks, credits and tokens per account and day, and each provider's answers", async () => {
    const email = uniqueEmail("overview");
    await grant(email, 5);
    const answers = [];
    for (const prompt of ["one", "two"]) {
      const response = await postJson("/api/si/ask", { prompt }, onBehalfOf(email));
      answers.push(await response.json<{ credits_used: number; tokens_in: number; tokens_out: number }>());
    }
    const overview = await until(
      () => operatorOverview(env.STATS),
      (o) => o.topAccounts.some((row) => row.account === email && row.asks === 2),
    );
    const mine = overview.topAccounts.find((row) => row.account === email);
    const credits = Number(answers.reduce((sum, a) => sum + a.credits_used, 0).toFixed(6));
    expect(mine).toEqual({
      account: email,
      asks: 2,
      credits,
      tokens: answers.reduce((sum, a) => sum + a.tokens_in + a.tokens_out, 0),
    });
    expect(overview.daily).toHaveLength(30);
    expect(overview.daily.at(-1)?.calls).toBeGreaterThanOrEqual(2);
    expect(overview.periods.today.asks).toBe(overview.periods.week.asks);
    const openai = overview.providers.find((row) => row.provider === "openai");
    expect(openai?.answers).toBeGreaterThanOrEqual(2);
    expect(openai?.median_ms).toEqual(expect.any(Number));
  });

  it("shows a provider that fails every ask as failing, with the last error and the request id", async () => {
    const email = uniqueEmail("outage");
    await grant(email, 5);
    const vars = { PREFERRED_PROVIDER: "groq", GROQ_API_KEY: "x", GROQ_BASE: upstream("status=503") };
    const response = await callWith(vars, "/api/si/ask", {
      method: "POST",
      headers: { ...onBehalfOf(email), "Content-Type": "application/json", "X-Request-Id": "outage-request-1" },
      body: JSON.stringify({ prompt: "anyone there?" }),
    });
    expect(response.status).toBeGreaterThanOrEqual(500);
    const health = await until(
      () => providerHealth(env.STATS),
      (rows) => (rows.find((row) => row.provider === "groq")?.failures ?? 0) > 0,
    );
    expect(health.find((row) => row.provider === "groq")).toMatchObject({
      answers: 0,
      failures: expect.any(Number),
      last_error: expect.any(String),
    });
    const overview = await operatorOverview(env.STATS);
    expect(overview.errors.some((error) => error.request_id === "outage-request-1")).toBe(true);
  });
});

describe("the latency median", () => {
  it("is read from the histogram within 5 %", () => {
    expect(medianMs([])).toBeNull();
    const histogram = [100, 200, 300, 400, 5000].map((ms) => ({
      bucket: Math.floor(Math.log(ms) / Math.log(1.1)),
      n: 1,
    }));
    const median = medianMs(histogram) ?? 0;
    expect(Math.abs(median - 300) / 300).toBeLessThan(0.05);
  });
});
