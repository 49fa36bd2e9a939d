// Asks that call the provider while their hold is being taken (docs/decisions/012): the hold
// still decides. A refused hold aborts the call and answers nothing; a hold smaller than assumed
// sends the call again at the cap the hold pays for; every answer is charged as before.
import { describe, expect, it } from "vitest";
import {
  adminHeaders,
  balanceOf,
  callWith,
  expectEnvelope,
  grant,
  onBehalfOf,
  postJson,
  readEvents,
  type UpstreamLogEntry,
  uniqueEmail,
  upstream,
  upstreamLog,
  usageOf,
} from "./helpers";

function ask(email: string, body: Record<string, unknown>, switches = "") {
  return callWith(switches ? { OPENAI_BASE: upstream(switches) } : {}, "/api/si/ask", {
    method: "POST",
    headers: { ...onBehalfOf(email), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** An account this isolate has seen hold successfully (so its next ask may run ahead). */
async function known(credits: number) {
  const email = uniqueEmail("ahead");
  await grant(email, credits);
  const first = await ask(email, { prompt: "hello" });
  expect(first.status).toBe(200);
  await first.json();
  // Its settle lands first, so the balance set next is not charged for it afterwards.
  for (let i = 0; i < 40 && (await usageOf(email)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  return email;
}

async function setBalance(email: string, credits: number) {
  const response = await postJson("/api/credits/adjust", { email, set: credits }, adminHeaders());
  expect(response.status).toBe(200);
}

describe("an ask that runs ahead of its hold", () => {
  it.each([false, true])(
    "answers nothing and aborts the provider when the hold is refused (stream: %s)",
    async (stream) => {
      const email = await known(5);
      // Another isolate spent the money: this one still believes the account can pay.
      await setBalance(email, 0);
      const tag = crypto.randomUUID();
      const response = await ask(email, { prompt: "run ahead", stream }, `latency=300;tag=${tag}`);
      await expectEnvelope(response, 402, "insufficient_credits");
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await upstreamLog(tag)).filter((entry) => entry.finished)).toEqual([]);
      expect(await usageOf(email)).toHaveLength(1); // the first ask's only
      expect(await balanceOf(email)).toMatchObject({ balance: 0, held: 0 });
    },
  );

  it("asks the provider again at the cap a smaller hold pays for", async () => {
    const email = await known(5);
    // Enough for the prompt, less than the whole answer wanted: the hold is all that is left.
    await setBalance(email, 0.03);
    const tag = crypto.randomUUID();
    // The provider takes a while, so the call made ahead is still running when the hold answers.
    const response = await ask(email, { prompt: "a smaller hold" }, `latency=200;tag=${tag}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { credits_used: number; tokens_out: number };
    expect(body.credits_used).toBeLessThanOrEqual(0.03);
    const calls = await upstreamLog(tag);
    expect(calls).toHaveLength(2);
    const [ahead, again] = calls as [UpstreamLogEntry, UpstreamLogEntry];
    expect(ahead).toMatchObject({ finished: false, client_aborted: true });
    expect(again.finished).toBe(true);
    expect(Number(again.params?.max_tokens)).toBeLessThan(Number(ahead.params?.max_tokens));
    let balance = 0.03;
    for (let i = 0; i < 40 && balance === 0.03; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ({ balance } = await balanceOf(email));
    }
    expect(balance).toBeCloseTo(0.03 - body.credits_used, 6);
  });

  it("charges every answer, streamed or not, exactly as an ask that waited", async () => {
    const email = await known(5);
    const plain = await ask(email, { prompt: "one" });
    expect(plain.status).toBe(200);
    const streamed = await ask(email, { prompt: "two", stream: true });
    const events = await readEvents(streamed);
    expect(events.at(-1)?.event).toBe("done");
    let records: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 40 && records.length < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      records = await usageOf(email);
    }
    expect(records).toHaveLength(3);
    expect(records.every((record) => record.outcome === "complete")).toBe(true);
    expect((await balanceOf(email)).held).toBe(0);
  });
});
