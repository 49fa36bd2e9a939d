// The graceful stop's Worker half (app/server/drain.ts): POST /__drain with npm start's secret
// refuses new requests and waits for the work in flight; without the secret it does not exist.
import { afterEach, describe, expect, it } from "vitest";
import { resumeAfterDrain } from "../../app/server/drain";
import { track } from "../../app/server/in-flight";
import { call, callWith } from "./helpers";

const SECRET = "drain-secret-for-tests";

type Envelope = { ok: false; error: { code: string } };
type Report = { ok: true; drained: boolean; in_flight: number; in_flight_at_start: number; waited_ms: number };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function drainRequest(secret: string | null, vars: Record<string, string> = { DRAIN_SECRET: SECRET }) {
  return callWith(vars, "/__drain", { method: "POST", headers: secret ? { "X-Drain-Secret": secret } : {} });
}

afterEach(() => resumeAfterDrain());

describe("the graceful stop (POST /__drain)", () => {
  it("does not exist where DRAIN_SECRET is unset, as deployed", async () => {
    const response = await call("/__drain", { method: "POST", headers: { "X-Drain-Secret": SECRET } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as Envelope).error.code).toBe("not_found");
    expect((await call("/ready")).status).toBe(200);
  });

  it("does not exist for a wrong or missing secret, and refuses nothing", async () => {
    expect((await drainRequest("wrong")).status).toBe(404);
    expect((await drainRequest(null)).status).toBe(404);
    expect((await call("/ready")).status).toBe(200);
  });

  it("refuses new requests with 503 shutting_down and waits for the work in flight to finish", async () => {
    let finished = false;
    void track(sleep(400).then(() => (finished = true)));
    const draining = drainRequest(SECRET);
    await sleep(50);
    const refused = await callWith({}, "/api/si/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "hello" }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("Retry-After")).toBe("5");
    const body = (await refused.json()) as Envelope & { request_id: string };
    expect(body).toMatchObject({ ok: false, error: { code: "shutting_down" } });
    expect(body.request_id).toBe(refused.headers.get("X-Request-Id"));
    expect((await callWith({}, "/")).status).toBe(503);

    const report = (await (await draining).json()) as Report;
    expect(finished).toBe(true);
    expect(report).toMatchObject({ ok: true, drained: true, in_flight: 0 });
    expect(report.in_flight_at_start).toBeGreaterThanOrEqual(1);
    expect(report.waited_ms).toBeGreaterThanOrEqual(300);
  });

  it("gives up after LLM_DEADLINE_MS and says what is still in flight", async () => {
    void track(sleep(1_500));
    const response = await drainRequest(SECRET, { DRAIN_SECRET: SECRET, LLM_DEADLINE_MS: "200" });
    const report = (await response.json()) as Report;
    expect(report).toMatchObject({ ok: true, drained: false, in_flight: 1 });
    expect(report.waited_ms).toBeGreaterThanOrEqual(200);
    expect(report.waited_ms).toBeLessThan(1_500);
  });
});
