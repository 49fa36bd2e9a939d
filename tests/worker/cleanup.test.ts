import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { adminHeaders, call, expectEnvelope, grant, onBehalfOf, postJson, uniqueEmail } from "./helpers";

const DAY = 86_400_000;

function ledger(account: string) {
  return env.LEDGER.get(env.LEDGER.idFromName(`acct:${account}`));
}

/** An account with `old` usage records from 40 days ago and `fresh` ones from today. */
async function seedUsage(old: number, fresh: number) {
  const ref = { account: uniqueEmail("retention"), kind: "email" as const };
  const stub = ledger(ref.account);
  await stub.adjust(ref, { set: 1_000_000, actor: "test" });
  for (let i = 0; i < old + fresh; i++) {
    const holdId = `h${i}`;
    await stub.reserve(ref, { holdId, minimumMicro: 10, worstMicro: 10, requestId: holdId, idempotent: false });
    await stub.settle(ref, {
      holdId,
      costMicro: 10,
      usage: {
        provider: "openai",
        model: "m",
        tokensIn: 1,
        tokensOut: 1,
        estimated: false,
        requestId: holdId,
        outcome: "complete",
      },
    });
  }
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec(
      `UPDATE records SET at = ? WHERE seq IN (SELECT seq FROM records WHERE kind = 'usage' ORDER BY seq LIMIT ?)`,
      Date.now() - 40 * DAY,
      old,
    );
  });
  await runDurableObjectAlarm(stub);
  return { ref, stub };
}

async function balanceAndSpent(stub: ReturnType<typeof ledger>, ref: { account: string; kind: "email" }) {
  const view = await stub.balance(ref);
  return { balance: view.balance, spent: view.spent };
}

function clean(body: unknown) {
  return postJson("/api/admin/cleanup", body, adminHeaders());
}

async function wipeIndex() {
  // Earlier tests leave accounts and jobs behind; count only what this test seeds.
  for (const prefix of ["acct:", "job:"]) {
    for (const key of (await env.KV_BILLING.list({ prefix })).keys) await env.KV_BILLING.delete(key.name);
  }
}

describe("POST /api/admin/cleanup", () => {
  it("counts without deleting on a dry run, then deletes exactly what it counted, never touching balances", async () => {
    await wipeIndex();
    const a = await seedUsage(5, 3);
    const b = await seedUsage(2, 0);
    const before = [await balanceAndSpent(a.stub, a.ref), await balanceAndSpent(b.stub, b.ref)];

    const dry = await (await clean({ kind: "usage", older_than_days: 30, limit: 500, dry_run: true })).json();
    expect(dry).toMatchObject({ ok: true, dry_run: true, usage: { scanned: 10, matched: 7, deleted: 0, accounts: 2 } });
    expect((await a.stub.usage({ limit: 100, kinds: ["usage"] })).records).toHaveLength(8);

    const first = await (await clean({ kind: "usage", older_than_days: 30, limit: 5 })).json();
    expect(first).toMatchObject({ dry_run: false, usage: { matched: 7, deleted: 5 } });
    const second = await (await clean({ kind: "usage", older_than_days: 30, limit: 5 })).json();
    expect(second).toMatchObject({ usage: { scanned: 5, matched: 2, deleted: 2 } });

    expect((await a.stub.usage({ limit: 100, kinds: ["usage"] })).records).toHaveLength(3);
    expect((await b.stub.usage({ limit: 100, kinds: ["usage"] })).records).toHaveLength(0);
    expect([await balanceAndSpent(a.stub, a.ref), await balanceAndSpent(b.stub, b.ref)]).toEqual(before);
  });

  it("prunes finished jobs older than the cutoff and leaves the rest", async () => {
    await wipeIndex();
    const email = uniqueEmail("jobs-retention");
    await grant(email, 1);
    const headers = onBehalfOf(email);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await postJson("/api/jobs", { type: "si", input: { prompt: `old ${i}` } }, headers);
      ids.push((await response.json<{ job: { id: string } }>()).job.id);
    }
    const [oldCanceled, oldQueued, freshCanceled] = ids as [string, string, string];
    for (const id of [oldCanceled, freshCanceled]) {
      await call(`/api/jobs/${id}`, {
        method: "PATCH",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({ status: "canceled" }),
      });
    }
    for (const id of [oldCanceled, oldQueued]) {
      await runInDurableObject(env.JOBS.get(env.JOBS.idFromName(id)), (_instance, state) => {
        const doc = JSON.parse(state.storage.sql.exec<{ doc: string }>("SELECT doc FROM job").one().doc);
        state.storage.sql.exec("UPDATE job SET doc = ?", JSON.stringify({ ...doc, updated_at: Date.now() - 40 * DAY }));
      });
    }
    for (const id of ids) await runDurableObjectAlarm(env.JOBS.get(env.JOBS.idFromName(id)));

    const dry = await (await clean({ kind: "jobs", older_than_days: 30, dry_run: true })).json();
    expect(dry).toMatchObject({ jobs: { scanned: 3, matched: 1, deleted: 0, sample: [oldCanceled] } });
    const real = await (await clean({ kind: "jobs", older_than_days: 30 })).json();
    expect(real).toMatchObject({ jobs: { matched: 1, deleted: 1 } });
    await expectEnvelope(await call(`/api/jobs/${oldCanceled}`, { headers }), 404);
    expect((await call(`/api/jobs/${oldQueued}`, { headers })).status).toBe(200);
    expect((await call(`/api/jobs/${freshCanceled}`, { headers })).status).toBe(200);
    expect(await env.KV_BILLING.get(`job:${oldCanceled}`)).toBeNull();
  });

  it.each([
    ["a missing older_than_days", { kind: "both" }],
    ["an unknown kind", { kind: "everything", older_than_days: 30 }],
    ["zero days", { older_than_days: 0 }],
    ["a fractional day", { older_than_days: 1.5 }],
    ["a limit of zero", { older_than_days: 30, limit: 0 }],
    ["a limit too large", { older_than_days: 30, limit: 1_000_000 }],
    ["a string for dry_run", { older_than_days: 30, dry_run: "yes" }],
    ["an unknown field", { older_than_days: 30, everything: true }],
  ])("answers %s with 400", async (_, body) => {
    await expectEnvelope(await clean(body), 400, "invalid_request");
  });

  it("is admin-only", async () => {
    await expectEnvelope(await postJson("/api/admin/cleanup", { older_than_days: 30 }), 401);
  });
});
