// The product as `npm start` runs it: health, the local upstream, and the cron handler.
import { expect, test } from "@playwright/test";
import { adminKey, grant, uniqueEmail } from "../fixtures";

test("reports ready with the local development upstream", async ({ request }) => {
  const ready = await request.get("/ready");
  expect(ready.status()).toBe(200);
  const body = await ready.json();
  expect(body).toMatchObject({ ok: true, provider: "openai", model: "gpt-4o-mini", local_upstream: true });
  // playwright.config.ts opts into asserted mode for the browser tests' "use my email".
  expect(body.identity_mode).toBe("asserted");
  // The whole provider chain, in order, each usable or skipped with the reason.
  expect(body.providers.map((p: { name: string }) => p.name)).toEqual(["openai", "groq", "cfai"]);
  expect(body.providers[0]).toEqual({ name: "openai", model: "gpt-4o-mini", configured: true, local: true });
  expect(body.providers[1]).toMatchObject({ name: "groq", configured: false, reason: "GROQ_API_KEY is not set" });
  // Read-aloud: the Cartesia stand-in of the same local server first, then Workers AI (bound,
  // though it cannot run offline).
  expect(body.tts).toEqual([
    { name: "cartesia", model: "sonic-2", configured: true, local: true },
    { name: "cfai", model: "@cf/myshell-ai/melotts", configured: true, local: false },
  ]);
  for (const alias of ["/healthz", "/api/healthz", "/api/v1/healthz"]) {
    expect((await request.head(alias)).status()).toBe(200);
  }
});

test("runs queued jobs when the */5 cron fires", async ({ request }) => {
  const email = uniqueEmail("cron");
  await grant(email, 5);
  const headers = { "X-User-Email": email, "X-Admin-Key": adminKey() };
  const created = await request.post("/api/jobs", {
    headers,
    data: { type: "si", input: { prompt: "from the cron" } },
  });
  expect(created.status()).toBe(201);
  const { job } = await created.json();

  let status = "queued";
  for (let i = 0; i < 40 && status !== "succeeded"; i++) {
    const tick = await request.get(`/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
    expect(tick.ok()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    status = (await (await request.get(`/api/jobs/${job.id}`, { headers })).json()).job.status;
  }
  expect(status).toBe("succeeded");
  const usage = await (await request.get("/api/billing/usage?limit=5&kind=usage", { headers })).json();
  expect(usage.records[0]).toMatchObject({ job_id: job.id });
});
