import { describe, expect, it } from "vitest";
import { type AskEvent, askEvent, billOf, readAskEvents } from "./ask-events";

const bill = {
  provider: "openai",
  model: "gpt-4o-mini",
  tokens_in: 12,
  tokens_out: 5,
  estimated: false,
  credits_used: 0.00085,
  price_in: 0.05,
  price_out: 0.05,
};

function streamOf(text: string): ReadableStream<Uint8Array> {
  return new Response(text).body as ReadableStream<Uint8Array>;
}

describe("the answer's events", () => {
  it("read back as they were written, unknown events skipped", async () => {
    const wire = [
      askEvent("meta", { provider: "openai", model: "gpt-4o-mini", request_id: "r1", local_upstream: true }),
      askEvent("token", { text: "Hello\nworld" }),
      ": a comment a proxy may add\n\nevent: ping\ndata: {}\n\n",
      askEvent("done", { ...bill, balance: 9.5, finish_reason: "stop" }),
    ].join("");
    const events: AskEvent[] = [];
    for await (const event of readAskEvents(streamOf(wire))) events.push(event);
    expect(events.map((event) => event.event)).toEqual(["meta", "token", "done"]);
    expect(events[1]).toEqual({ event: "token", data: { text: "Hello\nworld" } });
    expect(events[2]?.data).toMatchObject({ credits_used: 0.00085, balance: 9.5, finish_reason: "stop" });
  });

  it("carry the bill and nothing else of an outcome, without a balance for guests", () => {
    const outcome = { ok: true, text: "secret answer", request_id: "r", ...bill };
    expect(billOf(outcome)).toEqual(bill);
    expect(Object.keys(billOf({ ...outcome, balance: 1 }))).toContain("balance");
  });
});
