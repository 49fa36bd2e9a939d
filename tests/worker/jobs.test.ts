import {
  createExecutionContext,
  createScheduledController,
  env,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/app";
import {
  call,
  callWith,
  expectEnvelope,
  grant,
  onBehalfOf,
  postJson,
  uniqueEmail,
  upstream,
  upstreamLog,
  usageOf,
} from "./helpers";

interface JobView {
  id: string;
  status: string;
  title: string | null;
  result: { text: string; credits_used: number; tokens_in: number; tokens_out: number } | null;
  error: { code: string } | null;
  created_at: string;
}

async function user(credits = 5) {
  const email = uniqueEmail("jobs");
  if (credits) await grant(email, credits);
  return { email, headers: onBehalfOf(email) };
}

async function create(headers: Record<string, string>, input: unknown = { prompt: "a job" }, extra: object = {}) {
  const response = await postJson("/api/jobs", { type: "si", input, ...extra }, headers);
  expect(response.status).toBe(201);
  return (await response.json<{ job: JobView }>()).job;
}

const stub = (id: string) => env.JOBS.get(env.JOBS.idFromName(id));

/** Lets the job's Durable Object mirror its latest state to KV now. */
async function mirrored(id: string) {
  await runDurableObjectAlarm(stub(id));
}

function patch(id: string, body: unknown, headers: Record<string, string>) {
  return call(`/api/jobs/${id}`, {
    method: "PATCH",
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("jobs", () => {
  it("creates a queued si job with timestamps", async () => {
    const { headers } = await user();
    const job = await create(headers, { prompt: "summarize" }, { title: "Summary" });
    expect(job).toMatchObject({ type: "si", status: "queued", title: "Summary", result: null });
    expect(job.id).toMatch(/^job_[0-9a-f]{32}$/);
    expect(Date.parse(job.created_at)).toBeGreaterThan(Date.now() - 10_000);
    const fetched = await (await call(`/api/jobs/${job.id}`, { headers })).json<{ job: JobView }>();
    expect(fetched.job).toMatchObject({ id: job.id, status: "queued" });
  });

  it.each([
    ["an unsupported type", { type: "video", input: { prompt: "x" } }, "supported: si"],
    ["a missing type", { input: { prompt: "x" } }, "type"],
    ["a streaming input", { type: "si", input: { prompt: "x", stream: true } }, "stream"],
    ["an input that is not an ask", { type: "si", input: { prompt: 5 } }, "prompt"],
    ["a missing input", { type: "si" }, "input"],
    [
      "too much metadata",
      {
        type: "si",
        input: { prompt: "x" },
        metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])),
      },
      "metadata",
    ],
  ])("refuses %s with 400", async (_, body, mention) => {
    const { headers } = await user();
    const response = await postJson("/api/jobs", body, headers);
    const envelope = await expectEnvelope(response, 400);
    expect(envelope.error.message).toContain(mention);
  });

  it("keeps each identity's jobs to itself (someone else's job is a 404)", async () => {
    const alice = await user();
    const bob = await user();
    const job = await create(alice.headers);
    await mirrored(job.id);
    await expectEnvelope(await call(`/api/jobs/${job.id}`, { headers: bob.headers }), 404, "not_found");
    await expectEnvelope(await patch(job.id, { title: "mine" }, bob.headers), 404, "not_found");
    await expectEnvelope(await postJson("/api/jobs/run", { id: job.id }, bob.headers), 404, "not_found");
    const bobs = await (await call("/api/jobs", { headers: bob.headers })).json<{ jobs: unknown[] }>();
    expect(bobs.jobs).toHaveLength(0);
    const alices = await (await call("/api/jobs", { headers: alice.headers })).json<{ jobs: Array<{ id: string }> }>();
    expect(alices.jobs.map((j) => j.id)).toEqual([job.id]);
    await expectEnvelope(await call("/api/jobs/job_nope", { headers: alice.headers }), 404, "not_found");
  });

  it("lists newest first, filters by status and pages with a cursor", async () => {
    const { headers } = await user();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const job = await create(headers, { prompt: `job ${i}` });
      ids.push(job.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await patch(ids[0] ?? "", { status: "canceled" }, headers);
    for (const id of ids) await mirrored(id);
    const all = await (await call("/api/jobs?limit=2", { headers })).json<{
      jobs: Array<{ id: string }>;
      cursor: string;
    }>();
    expect(all.jobs.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    const rest = await (await call(`/api/jobs?limit=2&cursor=${encodeURIComponent(all.cursor)}`, { headers })).json<{
      jobs: Array<{ id: string }>;
      cursor: string | null;
    }>();
    expect(rest.jobs.map((j) => j.id)).toEqual([ids[0]]);
    expect(rest.cursor).toBeNull();
    const canceled = await (await call("/api/jobs?status=canceled", { headers })).json<{
      jobs: Array<{ id: string; status: string }>;
    }>();
    expect(canceled.jobs).toEqual([expect.objectContaining({ id: ids[0], status: "canceled" })]);
    const queued = await (await call("/api/jobs?status=queued", { headers })).json<{ jobs: unknown[] }>();
    expect(queued.jobs).toHaveLength(2);
    await expectEnvelope(await call("/api/jobs?status=exploded", { headers }), 400);
    await expectEnvelope(await call("/api/jobs?limit=500", { headers }), 400);
  });

  describe("the state machine", () => {
    it("cancels a queued job once; a canceled job can neither be canceled again nor run", async () => {
      const { headers } = await user();
      const job = await create(headers);
      const canceled = await patch(job.id, { status: "canceled" }, headers);
      expect((await canceled.json<{ job: JobView }>()).job.status).toBe("canceled");
      await expectEnvelope(await patch(job.id, { status: "canceled" }, headers), 409, "invalid_transition");
      await expectEnvelope(await postJson("/api/jobs/run", { id: job.id }, headers), 409, "invalid_transition");
    });

    it("refuses to cancel a finished job, but lets its title change", async () => {
      const { headers } = await user();
      const job = await create(headers);
      const ran = await (await postJson("/api/jobs/run", { id: job.id }, headers)).json<{ job: JobView }>();
      expect(ran.job.status).toBe("succeeded");
      const refused = await expectEnvelope(
        await patch(job.id, { status: "canceled" }, headers),
        409,
        "invalid_transition",
      );
      expect(refused.error).toMatchObject({ status: "succeeded" });
      const renamed = await patch(job.id, { title: "Renamed", metadata: { project: "alpha" } }, headers);
      expect((await renamed.json<{ job: JobView }>()).job).toMatchObject({ status: "succeeded", title: "Renamed" });
    });

    it.each([
      ["a status other than canceled", { status: "succeeded" }],
      ["nothing to change", {}],
      ["an unknown field", { owner: "me" }],
      ["a title that is not text", { title: 42 }],
    ])("answers a patch with %s with 400", async (_, body) => {
      const { headers } = await user();
      const job = await create(headers);
      await expectEnvelope(await patch(job.id, body, headers), 400);
    });
  });

  describe("limits", () => {
    it("refuse to create a job without a positive balance (402)", async () => {
      const { email, headers } = await user(0);
      const refused = await postJson("/api/jobs", { type: "si", input: { prompt: "x" } }, headers);
      await expectEnvelope(refused, 402, "insufficient_credits");
      const inline = await postJson("/api/jobs/run", { type: "si", input: { prompt: "x" } }, headers);
      await expectEnvelope(inline, 402, "insufficient_credits");
      expect((await env.KV_BILLING.list({ prefix: `jobs:${email}:` })).keys).toHaveLength(0);
    });

    it("refuse the job after MAX_QUEUED_JOBS with 429 too_many_jobs, counted once under a race", async () => {
      const { headers } = await user(5);
      const vars = { MAX_QUEUED_JOBS: "3" };
      const post = () =>
        callWith(vars, "/api/jobs", {
          method: "POST",
          headers: { ...headers, "Content-Type": "application/json" },
          body: JSON.stringify({ type: "si", input: { prompt: "queued" } }),
        });
      const statuses = (await Promise.all(Array.from({ length: 8 }, post))).map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(3);
      const limited = await post();
      expect(limited.headers.get("Retry-After")).toBe("60");
      const body = await expectEnvelope(limited, 429, "too_many_jobs");
      expect(body.error).toMatchObject({ queued: 3, limit: 3 });
    });

    it("make room again as jobs leave the queue (canceled or run)", async () => {
      const { headers } = await user(5);
      const vars = { MAX_QUEUED_JOBS: "2" };
      const post = (path: string, body: unknown) =>
        callWith(vars, path, {
          method: "POST",
          headers: { ...headers, "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
      const job = { type: "si", input: { prompt: "queued" } };
      const first = (await (await post("/api/jobs", job)).json<{ job: JobView }>()).job;
      const second = (await (await post("/api/jobs", job)).json<{ job: JobView }>()).job;
      await expectEnvelope(await post("/api/jobs", job), 429, "too_many_jobs");
      expect((await patch(first.id, { status: "canceled" }, headers)).status).toBe(200);
      expect((await post("/api/jobs", job)).status).toBe(201);
      expect((await post("/api/jobs/run", { id: second.id })).status).toBe(200);
      expect((await post("/api/jobs", job)).status).toBe(201);
      await expectEnvelope(await post("/api/jobs", job), 429, "too_many_jobs");
    });
  });

  describe("running", () => {
    it("runs a queued job by id, billed exactly like an ask, with the job id on the usage record", async () => {
      const { email, headers } = await user(5);
      const job = await create(headers, { prompt: "what is a job" });
      const response = await postJson("/api/jobs/run", { id: job.id }, headers);
      expect(response.status).toBe(200);
      const ran = (await response.json<{ job: JobView }>()).job;
      expect(ran.status).toBe("succeeded");
      expect(ran.result?.text).toContain("what is a job");
      const tokens = (ran.result?.tokens_in ?? 0) + (ran.result?.tokens_out ?? 0);
      expect(ran.result?.credits_used).toBe(Number(((tokens * 0.05) / 1000).toFixed(6)));
      const [record] = await usageOf(email, 1);
      expect(record).toMatchObject({ job_id: job.id, credits: ran.result?.credits_used });
    });

    it("runs a whole job body in one call", async () => {
      const { headers } = await user();
      const response = await postJson(
        "/api/jobs/run",
        { type: "si", input: { prompt: "inline" }, title: "Inline" },
        headers,
      );
      expect((await response.json<{ job: JobView }>()).job).toMatchObject({ status: "succeeded", title: "Inline" });
    });

    it("finishes as failed, with the reason, when the ask cannot be paid for", async () => {
      const { email, headers } = await user(1);
      const job = await create(headers);
      await grant(email, 0);
      const ran = (await (await postJson("/api/jobs/run", { id: job.id }, headers)).json<{ job: JobView }>()).job;
      expect(ran).toMatchObject({ status: "failed", error: { code: "insufficient_credits" }, result: null });
    });

    it("never runs a job twice, however many runs race for it", async () => {
      const tag = crypto.randomUUID();
      const { email, headers } = await user(5);
      const job = await create(headers, { prompt: `race [[upstream: tag=${tag};latency=50]]` });
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => postJson("/api/jobs/run", { id: job.id }, headers)),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
      expect(await upstreamLog(tag)).toHaveLength(1);
      expect(await usageOf(email)).toHaveLength(1);
    });

    it("never runs a job twice when the cron and an API run overlap", async () => {
      const tag = crypto.randomUUID();
      const { email, headers } = await user(5);
      const job = await create(headers, { prompt: `overlap [[upstream: tag=${tag};latency=50]]` });
      await mirrored(job.id);
      const tick = () =>
        worker.scheduled?.(
          createScheduledController({ cron: "*/5 * * * *", scheduledTime: Date.now() }),
          env,
          createExecutionContext(),
        );
      await Promise.all([tick(), tick(), postJson("/api/jobs/run", { id: job.id }, headers)]);
      // The tick's work runs in waitUntil; give it a moment to finish.
      for (let i = 0; i < 30; i++) {
        const current = (await (await call(`/api/jobs/${job.id}`, { headers })).json<{ job: JobView }>()).job;
        if (current.status === "succeeded") break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The charge is settled after the run's answer, so its record may land a moment later.
      await expect.poll(async () => (await usageOf(email)).length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(await upstreamLog(tag)).toHaveLength(1);
      expect(await usageOf(email)).toHaveLength(1);
    });

    it("records a provider failure on the job without charging", async () => {
      const { email, headers } = await user(5);
      const job = await create(headers);
      const ctx = createExecutionContext();
      const failing = { ...env, OPENAI_BASE: upstream("status=500") } as Env;
      const request = new Request("https://app.cognomega.com/api/jobs/run", {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ id: job.id }),
      });
      const ran = (await (await worker.fetch(request as never, failing, ctx)).json<{ job: JobView }>()).job;
      expect(ran).toMatchObject({ status: "failed", error: { code: "no_provider_available" } });
      expect(await usageOf(email)).toHaveLength(0);
    });
  });

  describe("the cron", () => {
    it("runs queued jobs in the background, a bounded batch per tick", async () => {
      const { headers } = await user(5);
      for (let i = 0; i < 3; i++) await mirrored((await create(headers, { prompt: `background ${i}` })).id);
      const queued = async () => (await env.KV_BILLING.list({ prefix: "jobq:" })).keys.length;
      const before = await queued();
      expect(before).toBeGreaterThanOrEqual(3);
      const ctx = createExecutionContext();
      await worker.scheduled?.(
        createScheduledController({ cron: "*/5 * * * *" }),
        { ...env, JOBS_PER_TICK: "2" } as Env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      let after = before;
      for (let i = 0; i < 50 && after !== before - 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await queued();
      }
      expect(after).toBe(before - 2);
    });

    it("takes jobs round-robin by account, so one account's flood starves no one", async () => {
      const flood = await user(5);
      const quiet = await user(5);
      const floodIds = [];
      for (let i = 0; i < 12; i++) {
        const job = await create(flood.headers, { prompt: `flood ${i}` });
        await mirrored(job.id);
        floodIds.push(job.id);
      }
      const single = await create(quiet.headers, { prompt: "just one" });
      await mirrored(single.id);
      const queue = (await env.KV_BILLING.list({ prefix: "jobq:" })).keys.length;
      const ctx = createExecutionContext();
      // Room for every other queued account's first job, and one more.
      const perTick = String(queue - floodIds.length + 2);
      await worker.scheduled?.(
        createScheduledController({ cron: "*/5 * * * *" }),
        { ...env, JOBS_PER_TICK: perTick } as Env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      const status = async (id: string, headers: Record<string, string>) =>
        (await (await call(`/api/jobs/${id}`, { headers })).json<{ job: JobView }>()).job.status;
      expect(await status(single.id, quiet.headers)).toBe("succeeded");
      const flooded = await Promise.all(floodIds.map((id) => status(id, flood.headers)));
      expect(flooded.filter((value) => value === "queued").length).toBeGreaterThanOrEqual(10);
    });

    it("recovers running jobs whose lease ran out, as a backstop to their own alarms", async () => {
      const { headers } = await user();
      const job = await create(headers);
      await stub(job.id).claim("a-runner-that-died", Date.now() - 3_600_000);
      // As if its alarm had copied the running state to KV and then never fired again.
      await env.KV_BILLING.put(`jobr:${job.id}`, job.id);
      const ctx = createExecutionContext();
      await worker.scheduled?.(createScheduledController({ cron: "*/5 * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
      const after = (await (await call(`/api/jobs/${job.id}`, { headers })).json<{ job: JobView }>()).job;
      // It never held anything, so nothing was billed: it is queued to run again.
      expect(after).toMatchObject({ status: "queued", error: null });
    });
  });

  describe("leases", () => {
    /** Claims `job` as a runner that died `ago` ms ago (its lease long over). */
    async function deadRun(id: string, ago = 3_600_000) {
      await stub(id).claim("a-runner-that-died", Date.now() - ago);
    }
    const ledgerOf = (email: string) => env.LEDGER.get(env.LEDGER.idFromName(`acct:${email}`));

    it("queues a run again when its lease ran out before it held anything", async () => {
      const { email, headers } = await user(5);
      const job = await create(headers);
      await deadRun(job.id);
      await runDurableObjectAlarm(stub(job.id));
      const after = (await (await call(`/api/jobs/${job.id}`, { headers })).json<{ job: JobView }>()).job;
      expect(after.status).toBe("queued");
      // The next run is a new attempt with its own hold, billed once.
      const ran = await postJson("/api/jobs/run", { id: job.id }, headers);
      expect((await ran.json<{ job: JobView }>()).job.status).toBe("succeeded");
      const records = await usageOf(email);
      expect(records.map((r) => r.job_id)).toEqual([job.id]);
    });

    it("fails a run whose lease ran out after its hold was charged, with an interrupted record", async () => {
      const { email, headers } = await user(5);
      const job = await create(headers);
      await deadRun(job.id);
      // The dead run had held credits and gone upstream; its hold's time is up too.
      const held = await ledgerOf(email).reserve(
        { account: email, kind: "email" },
        {
          holdId: `job:${job.id}:1`,
          minimumMicro: 100,
          worstMicro: 5000,
          requestId: "dead-run",
          jobId: job.id,
          expiresAt: Date.now() - 1,
          provider: "openai",
          model: "gpt-4o-mini",
          priceIn: 50_000,
          priceOut: 50_000,
          tokensInEst: 20,
        },
      );
      expect(held.status).toBe("held");
      await runDurableObjectAlarm(stub(job.id));
      const after = (await (await call(`/api/jobs/${job.id}`, { headers })).json<{ job: JobView }>()).job;
      expect(after).toMatchObject({ status: "failed", error: { code: "interrupted" } });
      const [record] = await usageOf(email, 1);
      expect(record).toMatchObject({ job_id: job.id, outcome: "interrupted", credits: 0.001, estimated: true });
    });

    it("lets the owner cancel a running job once its lease ran out, and not before", async () => {
      const { headers } = await user();
      const live = await create(headers);
      await stub(live.id).claim("a-live-runner");
      await expectEnvelope(await patch(live.id, { status: "canceled" }, headers), 409, "invalid_transition");
      const dead = await create(headers);
      await deadRun(dead.id);
      const canceled = await patch(dead.id, { status: "canceled" }, headers);
      expect((await canceled.json<{ job: JobView }>()).job.status).toBe("canceled");
    });

    it("ends a run's hold with its lease, so a dead run's job and hold resolve at the same moment", async () => {
      const { email, headers } = await user(5);
      const job = await create(headers);
      const ran = await postJson("/api/jobs/run", { id: job.id }, headers);
      expect((await ran.json<{ job: JobView }>()).job.status).toBe("succeeded");
      const doc = await stub(job.id).get();
      const expiresAt = await runInDurableObject(
        ledgerOf(email),
        (_instance, state) =>
          state.storage.sql
            .exec<{ at: number }>("SELECT expires_at AS at FROM holds WHERE id = ?", `job:${job.id}:1`)
            .one().at,
      );
      expect(expiresAt).toBe((doc?.started_at ?? 0) + 6000 + 60_000);
    });

    it("sets the lease to LLM_DEADLINE_MS + HOLD_GRACE_MS and an alarm for it", async () => {
      const { headers } = await user();
      const job = await create(headers);
      const before = Date.now();
      const claimed = await stub(job.id).claim("runner");
      const lease = (claimed.job?.lease_until ?? 0) - before;
      expect(lease).toBeGreaterThanOrEqual(6000 + 60_000);
      expect(lease).toBeLessThan(6000 + 60_000 + 1000);
      const alarm = await runInDurableObject(stub(job.id), (_instance, state) => state.storage.getAlarm());
      expect(alarm).not.toBeNull();
    });
  });
});
