// Upload quotas: bytes and files per account, refused before the body is read, counted once
// however many uploads race, shown by GET /api/uploads and freed by DELETE /api/uploads/:key.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AccountQuota } from "../../app/server/quotas/account-quota";
import { quotaOf } from "../../app/server/quotas/client";
import { uploadPrefix } from "../../app/server/uploads/keys";
import { call, callWith, expectEnvelope, onBehalfOf, uniqueEmail } from "./helpers";

interface Quota {
  used_bytes: number;
  remaining_bytes: number;
  limit_bytes: number;
  used_files: number;
  remaining_files: number;
  limit_files: number;
}

const QUOTA = { UPLOAD_QUOTA_BYTES: "1000", UPLOAD_QUOTA_FILES: "3" };

function upload(email: string, size: number, init: RequestInit = {}, vars: Record<string, string> = QUOTA) {
  return callWith(vars, `/api/upload/direct?filename=f${size}.bin`, {
    method: "POST",
    body: new Uint8Array(size),
    ...init,
    headers: {
      ...onBehalfOf(email),
      "Content-Type": "application/octet-stream",
      "Content-Length": String(size),
      ...init.headers,
    },
  });
}

async function quotaOfList(email: string, vars: Record<string, string> = QUOTA) {
  const response = await callWith(vars, "/api/uploads", { headers: onBehalfOf(email) });
  return response.json<{ uploads: Array<{ key: string; size: number }>; quota: Quota }>();
}

describe("upload quotas", () => {
  it("refuse an upload that would pass UPLOAD_QUOTA_BYTES with 413 quota_exceeded", async () => {
    const email = uniqueEmail("bytes");
    expect((await upload(email, 600)).status).toBe(201);
    const refused = await expectEnvelope(await upload(email, 401), 413, "quota_exceeded");
    expect(refused.error).toMatchObject({ used_bytes: 600, remaining_bytes: 400, limit_bytes: 1000, size: 401 });
    expect((await upload(email, 400)).status).toBe(201);
  });

  it("refuse the file after UPLOAD_QUOTA_FILES", async () => {
    const email = uniqueEmail("files");
    for (let i = 0; i < 3; i++) expect((await upload(email, 1)).status).toBe(201);
    await expectEnvelope(await upload(email, 1), 413, "quota_exceeded");
  });

  it("refuse before a byte of the body is read", async () => {
    const email = uniqueEmail("unread");
    let pulled = 0;
    const body = new ReadableStream({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(100));
        return new Promise(() => undefined);
      },
    });
    const response = await upload(
      email,
      0,
      { body, headers: { "Content-Length": "5000" } },
      {
        ...QUOTA,
        MAX_UPLOAD_BYTES: "10000",
      },
    );
    await expectEnvelope(response, 413, "quota_exceeded");
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("hold under twenty concurrent uploads: exactly what fits is stored", async () => {
    const email = uniqueEmail("race");
    const vars = { UPLOAD_QUOTA_BYTES: "1000", UPLOAD_QUOTA_FILES: "100" };
    const results = await Promise.all(Array.from({ length: 20 }, () => upload(email, 150, {}, vars)));
    const statuses = results.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(6);
    expect(statuses.filter((status) => status === 413)).toHaveLength(14);
    const listed = await quotaOfList(email, vars);
    expect(listed.uploads).toHaveLength(6);
    expect(listed.quota).toMatchObject({ used_bytes: 900, used_files: 6 });
  });

  it("are shown by GET /api/uploads and freed by DELETE /api/uploads/:key, for the owner only", async () => {
    const email = uniqueEmail("owner");
    const stored = await (await upload(email, 700)).json<{ key: string }>();
    expect((await quotaOfList(email)).quota).toEqual({
      used_bytes: 700,
      remaining_bytes: 300,
      limit_bytes: 1000,
      used_files: 1,
      remaining_files: 2,
      limit_files: 3,
    });
    await expectEnvelope(await upload(email, 400), 413, "quota_exceeded");

    const path = `/api/uploads/${encodeURIComponent(stored.key)}`;
    const stranger = await callWith(QUOTA, path, { method: "DELETE", headers: onBehalfOf(uniqueEmail()) });
    await expectEnvelope(stranger, 404, "not_found");
    expect(await env.R2_UPLOADS.head(stored.key)).not.toBeNull();

    const deleted = await callWith(QUOTA, path, { method: "DELETE", headers: onBehalfOf(email) });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ ok: true, deleted: { key: stored.key, size: 700 } });
    expect(await env.R2_UPLOADS.head(stored.key)).toBeNull();
    expect((await quotaOfList(email)).quota).toMatchObject({ used_bytes: 0, used_files: 0 });
    expect((await upload(email, 1000)).status).toBe(201);
    await expectEnvelope(
      await callWith(QUOTA, path, { method: "DELETE", headers: onBehalfOf(email) }),
      404,
      "not_found",
    );
  });

  it("answer a malformed key, a key outside the folder and no identity with 4xx", async () => {
    const headers = onBehalfOf(uniqueEmail());
    for (const key of ["%E0%A4%A", "uploads%2Fsomeone-else%40example.com%2Fx", "..%2F..%2Fetc", "x".repeat(2000)]) {
      await expectEnvelope(await call(`/api/uploads/${key}`, { method: "DELETE", headers }), 404, "not_found");
    }
    await expectEnvelope(await call("/api/uploads/x", { method: "DELETE" }), 401);
    await expectEnvelope(await call("/api/uploads/x", { headers }), 405, "method_not_allowed");
  });

  it("count an account's uploads from before quotas existed, once", async () => {
    const email = uniqueEmail("older");
    const prefix = uploadPrefix(email);
    await env.R2_UPLOADS.put(`${prefix}2025-01-01/a-old.bin`, new Uint8Array(300), {
      customMetadata: { account: email },
    });
    // Someone else's file under the old, lossy folder name is not this account's.
    await env.R2_UPLOADS.put(`${prefix}2025-01-01/b-other.bin`, new Uint8Array(300), {
      customMetadata: { account: "someone@else.example" },
    });
    expect((await quotaOfList(email)).quota).toMatchObject({ used_bytes: 300, used_files: 1 });
    expect((await upload(email, 700)).status).toBe(201);
    expect((await quotaOfList(email)).quota).toMatchObject({ used_bytes: 1000, used_files: 2 });
  });

  it("settle an upload nobody reported on by looking it up in R2", async () => {
    const email = uniqueEmail("lost");
    const stub = quotaOf(env.QUOTAS, email);
    const limits = { bytes: 1000, files: 10 };
    const stored = `${uploadPrefix(email)}2026-01-01/stored.bin`;
    const lost = `${uploadPrefix(email)}2026-01-01/lost.bin`;
    await env.R2_UPLOADS.put(stored, new Uint8Array(50), { customMetadata: { account: email } });
    // Both admitted an hour ago; neither outcome was ever reported.
    const past = Date.now() - 2 * 3_600_000;
    expect((await stub.admitUpload(email, lost, 400, limits, past)).ok).toBe(true);
    await runInDurableObject(stub, async (quota: AccountQuota) => {
      // The backfill at admission counted the stored object; make it an unreported admission too.
      quota.uploadGone(stored);
      await quota.admitUpload(email, stored, 400, limits, past);
      await quota.alarm();
      expect(await quota.uploadUsage(email)).toEqual({ bytes: 50, files: 1 });
    });
  });
});
