// The web app's key forms (the chat's keys page, the dashboard's account page), server side.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { accountKeys, adminKeyAction } from "../../app/routes/admin-keys.server";
import { keyFormAction } from "../../app/routes/keys-form.server";
import { call, uniqueEmail } from "./helpers";

describe("the key forms", () => {
  it("make a key for an admin (secret once), list it, and revoke it", async () => {
    const email = uniqueEmail("dash");
    const made = await adminKeyAction(env.LEDGER, email, {
      intent: "create-key",
      name: "ci",
      credit_limit: "12.5",
      expires_in_days: "30",
    });
    if (made.kind !== "created") throw new Error(`expected a key, got ${JSON.stringify(made)}`);
    expect(made.key).toMatchObject({ email, name: "ci", credit_limit: 12.5, state: "active" });
    expect(made.key.secret).toMatch(/^cg_sk_/);
    const expires = Date.parse(made.key.expires_at ?? "");
    expect(expires - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const listed = await accountKeys(env.LEDGER, email);
    expect(listed.map((key) => key.id)).toEqual([made.key.id]);
    expect(JSON.stringify(listed)).not.toContain(made.key.secret);
    const revoked = await adminKeyAction(env.LEDGER, email, { intent: "revoke-key", id: made.key.id });
    expect(revoked).toMatchObject({ kind: "revoked", key: { id: made.key.id, state: "revoked" } });
    expect((await call("/api/credits", { headers: { "X-Api-Key": made.key.secret } })).status).toBe(401);
  });

  it("let a signed-in account make and revoke only its own keys", async () => {
    const email = uniqueEmail("self");
    const first = await adminKeyAction(env.LEDGER, email, { intent: "create-key" });
    if (first.kind !== "created") throw new Error("no key");
    const caller = {
      via: "account" as const,
      ref: { account: email, kind: "email" as const },
      tokenKeyId: first.key.id,
    };
    const second = await keyFormAction(env.LEDGER, caller, { intent: "create-key", name: "laptop" });
    expect(second).toMatchObject({ kind: "created", key: { email, name: "laptop" } });
    const stranger = await adminKeyAction(env.LEDGER, uniqueEmail("stranger"), { intent: "create-key" });
    if (stranger.kind !== "created") throw new Error("no key");
    const foreign = await keyFormAction(env.LEDGER, caller, { intent: "revoke-key", id: stranger.key.id });
    expect(foreign).toMatchObject({ kind: "invalid", errors: { form: "No such API key." } });
  });

  it("answer bad fields in words", async () => {
    const email = uniqueEmail("fields");
    const bad = await adminKeyAction(env.LEDGER, email, {
      intent: "create-key",
      credit_limit: "lots",
      expires_in_days: "-1",
    });
    expect(bad).toMatchObject({ kind: "invalid", values: { credit_limit: "lots" } });
    if (bad.kind !== "invalid") throw new Error("expected field errors");
    expect(bad.errors.credit_limit).toMatch(/number of credits/);
    expect(bad.errors.expires_in_days).toMatch(/whole number of days/);
    expect(await adminKeyAction(env.LEDGER, "guest:abcdefgh12345678", { intent: "create-key" })).toMatchObject({
      kind: "invalid",
    });
    expect(await accountKeys(env.LEDGER, "guest:abcdefgh12345678")).toEqual([]);
  });
});
