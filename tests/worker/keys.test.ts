import { env, runInDurableObject } from "cloudflare:test";
import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { adminHeaders, call, callWith, expectEnvelope, grant, postJson, uniqueEmail, usageOf } from "./helpers";

interface NewKey {
  id: string;
  secret: string;
  prefix: string;
  email: string;
  name: string | null;
  created_at: string;
  expires_at: string | null;
  credit_limit: number | null;
}

interface KeyListing {
  id: string;
  prefix: string;
  state: string;
  spent: number;
  credit_limit: number | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

async function adminKey(email: string, extra: Record<string, unknown> = {}): Promise<NewKey> {
  const response = await postJson("/api/admin/keys", { email, ...extra }, adminHeaders());
  expect(response.status).toBe(201);
  return (await response.json<{ key: NewKey }>()).key;
}

async function funded(credits = 5) {
  const email = uniqueEmail("keyed");
  await grant(email, credits);
  return { email, key: await adminKey(email, { name: "ci" }) };
}

const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });
const ask = (headers: Record<string, string>, prompt = "hello") => postJson("/api/si/ask", { prompt }, headers);
const ledger = (email: string) => env.LEDGER.get(env.LEDGER.idFromName(`acct:${email}`));

describe("API keys", () => {
  it("are made by an admin, shown once, and stored only as a hash", async () => {
    const email = uniqueEmail("made");
    const key = await adminKey(email, { name: "deploy bot", credit_limit: 2.5 });
    expect(key.secret).toMatch(/^cg_sk_[A-Za-z0-9_-]{94}$/);
    expect(key.prefix).toBe(key.secret.slice(0, 12));
    expect(key.id).toMatch(/^key_[A-Za-z0-9_-]{51}$/);
    expect(key).toMatchObject({ email, name: "deploy bot", credit_limit: 2.5, expires_at: null });
    const stored = await runInDurableObject(ledger(email), (_instance, state) =>
      state.storage.sql.exec("SELECT * FROM keys").toArray(),
    );
    expect(JSON.stringify(stored)).not.toContain(key.secret.slice(12));
    const listed = await (await call(`/api/admin/keys?email=${email}`, { headers: adminHeaders() })).json<{
      keys: Record<string, unknown>[];
    }>();
    expect(listed.keys).toEqual([expect.objectContaining({ id: key.id, prefix: key.prefix, state: "active" })]);
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    expect(listed.keys[0]).not.toHaveProperty("hash");
    expect(listed.keys[0]).not.toHaveProperty("secret");
  });

  it("give every key a different display prefix", async () => {
    const email = uniqueEmail("prefixes");
    const prefixes = new Set<string>();
    for (let i = 0; i < 5; i++) prefixes.add((await adminKey(email)).prefix);
    expect(prefixes.size).toBe(5);
  });

  it("authenticate every API route as Bearer or X-Api-Key, and attribute usage to the key", async () => {
    const { email, key } = await funded();
    for (const headers of [bearer(key.secret), { "X-Api-Key": key.secret }]) {
      const credits = await call("/api/credits", { headers });
      expect(await credits.json()).toMatchObject({ ok: true, account: email, balance: 5, key_id: key.id });
    }
    const answered = await ask(bearer(key.secret));
    expect(answered.status).toBe(200);
    expect((await call("/api/jobs", { headers: bearer(key.secret) })).status).toBe(200);
    expect((await call("/api/uploads", { headers: bearer(key.secret) })).status).toBe(200);
    const [record] = await usageOf(email, 1);
    expect(record).toMatchObject({ key_id: key.id, outcome: "complete" });
    const listed = await (await call("/api/keys", { headers: bearer(key.secret) })).json<{ keys: KeyListing[] }>();
    expect(listed.keys[0]?.spent).toBe(record?.credits);
    expect(Date.parse(listed.keys[0]?.last_used_at ?? "")).toBeGreaterThan(Date.now() - 60_000);
  });

  it("filter the usage feed by key_id", async () => {
    const { email, key } = await funded();
    const other = await adminKey(email);
    await ask(bearer(key.secret));
    await ask(bearer(other.secret));
    await ask(bearer(other.secret));
    const feed = async (keyId: string) =>
      (
        await (
          await call(`/api/usage?kind=usage&key_id=${keyId}`, { headers: bearer(key.secret) })
        ).json<{
          records: Array<{ key_id: string }>;
        }>()
      ).records;
    expect((await feed(key.id)).map((r) => r.key_id)).toEqual([key.id]);
    expect(await feed(other.id)).toHaveLength(2);
    await expectEnvelope(await call("/api/usage?key_id=nope", { headers: bearer(key.secret) }), 400);
  });

  it("stop working on the very next request once revoked, everywhere", async () => {
    const { key } = await funded();
    expect((await ask(bearer(key.secret))).status).toBe(200);
    const revoked = await call(`/api/admin/keys/${key.id}`, { method: "DELETE", headers: adminHeaders() });
    expect(await revoked.json()).toMatchObject({ ok: true, key: { id: key.id, state: "revoked" } });
    for (const path of ["/api/credits", "/api/usage", "/api/jobs", "/api/uploads", "/api/keys"]) {
      const body = await expectEnvelope(await call(path, { headers: bearer(key.secret) }), 401, "invalid_api_key");
      expect(JSON.stringify(body)).not.toContain(key.secret);
    }
    await expectEnvelope(await ask(bearer(key.secret)), 401, "invalid_api_key");
    await expectEnvelope(await ask({ "X-Api-Key": key.secret }), 401, "invalid_api_key");
  });

  it("stop working once expired", async () => {
    const email = uniqueEmail("expiring");
    await grant(email, 1);
    const key = await adminKey(email, { expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await call("/api/credits", { headers: bearer(key.secret) })).status).toBe(200);
    await runInDurableObject(ledger(email), (_instance, state) => {
      state.storage.sql.exec("UPDATE keys SET expires_at = ?", Date.now() - 1);
    });
    await expectEnvelope(await call("/api/credits", { headers: bearer(key.secret) }), 401, "invalid_api_key");
    const listed = await (await call(`/api/admin/keys?email=${email}`, { headers: adminHeaders() })).json<{
      keys: KeyListing[];
    }>();
    expect(listed.keys[0]?.state).toBe("expired");
  });

  it("refuse unknown, forged and malformed keys with 401 invalid_api_key, never echoing them", async () => {
    const { key } = await funded();
    const wrongSecret = `${key.secret.slice(0, -4)}AAAA`;
    const otherRoute = `cg_sk_${key.secret.slice(6, 14)}${base64url.encode(new Uint8Array(32).fill(7))}${key.secret.slice(-43)}`;
    for (const bad of [wrongSecret, otherRoute, "cg_sk_short", `cg_sk_${"!".repeat(94)}`, `${key.secret}x`]) {
      const body = await expectEnvelope(await call("/api/credits", { headers: bearer(bad) }), 401, "invalid_api_key");
      expect(JSON.stringify(body)).not.toContain(bad);
    }
  });

  it("make, list and revoke the account's own keys; guests get 403 and others' ids 404", async () => {
    const { email, key } = await funded();
    const made = await postJson("/api/keys", { name: "laptop", credit_limit: 1 }, bearer(key.secret));
    expect(made.status).toBe(201);
    const second = (await made.json<{ key: NewKey }>()).key;
    expect(second).toMatchObject({ email, name: "laptop", credit_limit: 1 });
    const listed = await (await call("/api/keys", { headers: bearer(second.secret) })).json<{ keys: KeyListing[] }>();
    expect(listed.keys.map((k) => k.id).sort()).toEqual([key.id, second.id].sort());

    const stranger = await funded();
    const foreign = await call(`/api/keys/${stranger.key.id}`, { method: "DELETE", headers: bearer(key.secret) });
    await expectEnvelope(foreign, 404, "not_found");
    expect((await call("/api/credits", { headers: bearer(stranger.key.secret) })).status).toBe(200);
    await expectEnvelope(await call("/api/keys/key_nonsense", { method: "DELETE", headers: bearer(key.secret) }), 404);

    const own = await call(`/api/keys/${second.id}`, { method: "DELETE", headers: bearer(key.secret) });
    expect(await own.json()).toMatchObject({ ok: true, key: { id: second.id, state: "revoked" } });
    await expectEnvelope(await call("/api/credits", { headers: bearer(second.secret) }), 401, "invalid_api_key");

    const guest = await (await call("/auth/guest", { method: "POST", headers: { "CF-Connecting-IP": email } })).json<{
      token: string;
    }>();
    await expectEnvelope(await call("/api/keys", { headers: bearer(guest.token) }), 403, "forbidden");
    await expectEnvelope(await postJson("/api/keys", {}, bearer(guest.token)), 403, "forbidden");
    await expectEnvelope(await call("/api/keys"), 401);
  });

  it("validate what a new key may say", async () => {
    const email = uniqueEmail("bad-key");
    for (const body of [
      { email, credit_limit: -1 },
      { email, credit_limit: "lots" },
      { email, expires_at: "yesterday" },
      { email, expires_at: new Date(Date.now() - 1000).toISOString() },
      { email, name: "x".repeat(101) },
      { email, scope: "all" },
      { email: "not-an-email" },
    ]) {
      await expectEnvelope(await postJson("/api/admin/keys", body, adminHeaders()), 400);
    }
    await expectEnvelope(await postJson("/api/admin/keys", { email }), 401, "admin_key_required");
  });
});

describe("a key's credit_limit", () => {
  it("is never overspent by concurrent asks, and the account balance still applies", async () => {
    const email = uniqueEmail("limited");
    await grant(email, 10);
    // Each ask holds its prompt bound plus up to 1024 tokens at 0.05 credits/1K: about 0.05 credits.
    const key = await adminKey(email, { credit_limit: 0.12 });
    const answers = await Promise.all(Array.from({ length: 12 }, () => ask(bearer(key.secret), "race")));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses).toContain(402);
    for (const refused of answers.filter((a) => a.status !== 200))
      await expectEnvelope(refused, 402, "key_limit_reached");
    const listed = await (await call("/api/keys", { headers: bearer(key.secret) })).json<{ keys: KeyListing[] }>();
    const spent = listed.keys[0]?.spent ?? Number.POSITIVE_INFINITY;
    expect(spent).toBeLessThanOrEqual(0.12);
    const records = await usageOf(email, 100);
    expect(records.reduce((sum, r) => sum + Number(r.credits), 0)).toBeCloseTo(spent, 6);
    const account = await (await call("/api/credits", { headers: bearer(key.secret) })).json<{ balance: number }>();
    expect(account.balance).toBeCloseTo(10 - spent, 6);
  });

  it("cannot spend past the account's balance either", async () => {
    const email = uniqueEmail("poor");
    const key = await adminKey(email, { credit_limit: 100 });
    await expectEnvelope(await ask(bearer(key.secret)), 402, "insufficient_credits");
  });
});

describe("identity in verified mode (the default), attacked from outside", () => {
  it("refuses every route that names a victim's email without proof", async () => {
    const victim = uniqueEmail("victim");
    await grant(victim, 5);
    const asserted: Record<string, string>[] = [{ "X-User-Email": victim }, {}];
    for (const headers of asserted) {
      const suffix = "email" in headers ? "" : `?email=${victim}`;
      for (const path of ["/api/credits", "/api/usage", "/api/jobs", "/api/uploads", "/api/keys"]) {
        await expectEnvelope(await call(`${path}${suffix}`, { headers }), 401, "identity_not_verified");
      }
      await expectEnvelope(await postJson(`/api/si/ask${suffix}`, { prompt: "free?" }, headers), 401);
      await expectEnvelope(await postJson(`/api/jobs${suffix}`, { type: "si", input: { prompt: "x" } }, headers), 401);
      await expectEnvelope(await postJson(`/api/keys${suffix}`, {}, headers), 401);
    }
    const balance = await (await call(`/api/credits?email=${victim}`, { headers: adminHeaders() })).json<{
      balance: number;
    }>();
    expect(balance.balance).toBe(5);
  });

  it("honours an asserted email with one of that account's keys, and not with another account's", async () => {
    const { email, key } = await funded();
    const mine = await call(`/api/credits?email=${email}`, { headers: bearer(key.secret) });
    expect(await mine.json()).toMatchObject({ account: email });
    const other = uniqueEmail("other");
    const theirs = await call("/api/credits", { headers: { ...bearer(key.secret), "X-User-Email": other } });
    await expectEnvelope(theirs, 401, "identity_not_verified");
    await expectEnvelope(await ask({ ...bearer(key.secret), "X-User-Email": other }), 401, "identity_not_verified");
  });

  it("lets asserted mode take emails at their word, keys still checked", async () => {
    const asserted = { IDENTITY_MODE: "asserted" };
    const email = uniqueEmail("trusted");
    const response = await callWith(asserted, `/api/credits?email=${email}`);
    expect(await response.json()).toMatchObject({ account: email });
    const bad = await callWith(asserted, "/api/credits", { headers: { "X-Api-Key": "cg_sk_nope" } });
    await expectEnvelope(bad, 401, "invalid_api_key");
    // The chat signed in with a key also names its email: the key still counts.
    const { email: owner, key } = await funded();
    const { token } = await (await call("/auth/token", { method: "POST", headers: bearer(key.secret) })).json<{
      token: string;
    }>();
    const both = await callWith(asserted, "/api/credits", { headers: { ...bearer(token), "X-User-Email": owner } });
    expect(await both.json()).toMatchObject({ account: owner, key_id: key.id });
  });
});

describe("POST /auth/token", () => {
  function decode(token: string) {
    return JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[1] ?? "")));
  }

  it.each(["/auth/token", "/api/auth/token", "/api/v1/auth/token"])(
    "%s trades a key for a short-lived account token, good until the key is revoked",
    async (path) => {
      const { email, key } = await funded();
      const response = await call(path, { method: "POST", headers: bearer(key.secret) });
      const body = await response.json<{ token: string; exp: number }>();
      expect(response.status).toBe(200);
      const header = JSON.parse(new TextDecoder().decode(base64url.decode(body.token.split(".")[0] ?? "")));
      expect(header).toMatchObject({ alg: "RS256", kid: "k1" });
      expect(decode(body.token)).toMatchObject({ email, key_id: key.id, exp: body.exp });
      expect(body.exp - Date.now() / 1000).toBeLessThanOrEqual(3600);
      const asToken = await call("/api/credits", { headers: bearer(body.token) });
      expect(await asToken.json()).toMatchObject({ account: email, key_id: key.id });
      expect((await ask(bearer(body.token))).status).toBe(200);
      await call(`/api/admin/keys/${key.id}`, { method: "DELETE", headers: adminHeaders() });
      await expectEnvelope(await call("/api/credits", { headers: bearer(body.token) }), 401, "invalid_token");
      await expectEnvelope(await call("/api/jobs", { headers: bearer(body.token) }), 401, "invalid_token");
      await expectEnvelope(await call(path, { method: "POST", headers: bearer(key.secret) }), 401, "invalid_api_key");
    },
  );

  it("ends no later than its key does, and needs a key", async () => {
    const email = uniqueEmail("short");
    const soon = Math.floor(Date.now() / 1000) + 120;
    const key = await adminKey(email, { expires_at: soon });
    const body = await (await call("/auth/token", { method: "POST", headers: bearer(key.secret) })).json<{
      exp: number;
    }>();
    expect(body.exp).toBe(soon);
    await expectEnvelope(await call("/auth/token", { method: "POST" }), 401, "api_key_required");
  });
});
