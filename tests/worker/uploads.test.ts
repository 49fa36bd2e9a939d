import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sanitizeFilename } from "../../app/server/uploads/filename";
import { call, expectEnvelope, onBehalfOf, uniqueEmail } from "./helpers";

const CAP = 10_485_760;

function upload(filename: string, body: BodyInit | null, headers: Record<string, string> = {}) {
  return call(`/api/upload/direct?filename=${encodeURIComponent(filename)}`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream", ...headers },
    body,
  });
}

function bytes(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(size, i + 65_536)));
  return out;
}

describe("POST /api/upload/direct", () => {
  it("stores a 1 MB upload under the account's namespace and answers key, size, type and etag", async () => {
    const email = uniqueEmail("uploader");
    const data = bytes(1024 * 1024);
    const response = await upload("random.bin", data, onBehalfOf(email));
    expect(response.status).toBe(201);
    const body = await response.json<{
      key: string;
      size: number;
      content_type: string;
      etag: string;
      filename: string;
    }>();
    const day = new Date().toISOString().slice(0, 10);
    expect(body.key).toMatch(
      new RegExp(`^uploads/${email.replace(/[.+]/g, "\\$&")}/${day}/[0-9a-f]{16}-random\\.bin$`),
    );
    expect(body).toMatchObject({ size: 1024 * 1024, content_type: "application/octet-stream", filename: "random.bin" });
    expect(body.etag).toMatch(/^[0-9a-f]{32}$/);
    const stored = await env.R2_UPLOADS.get(body.key);
    expect(new Uint8Array(await (stored as R2ObjectBody).arrayBuffer())).toEqual(data);
    expect(stored?.customMetadata).toMatchObject({ account: email, filename: "random.bin" });
  });

  it("accepts exactly MAX_UPLOAD_BYTES and refuses one byte more with 413", async () => {
    const headers = onBehalfOf(uniqueEmail("cap"));
    const atCap = await upload("cap.bin", bytes(CAP), headers);
    expect(atCap.status).toBe(201);
    expect((await atCap.json<{ size: number }>()).size).toBe(CAP);
    await expectEnvelope(await upload("over.bin", bytes(CAP + 1), headers), 413, "payload_too_large");
  });

  it("answers an over-cap Content-Length with 413 before reading the body", async () => {
    let pulled = 0;
    const endless = new ReadableStream({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
        return new Promise(() => undefined); // never finishes
      },
    });
    const response = await upload("huge.bin", endless, {
      ...onBehalfOf(uniqueEmail("huge")),
      "Content-Length": String(50 * 1024 * 1024),
    });
    await expectEnvelope(response, 413, "payload_too_large");
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("answers a body without Content-Length with 411", async () => {
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        controller.close();
      },
    });
    await expectEnvelope(await upload("chunked.bin", chunked, onBehalfOf(uniqueEmail())), 411, "length_required");
  });

  it("answers an empty body with 400", async () => {
    await expectEnvelope(
      await upload("empty.bin", new Uint8Array(0), onBehalfOf(uniqueEmail())),
      400,
      "invalid_request",
    );
  });

  it("answers a missing filename, a bad Content-Type and no identity with 4xx", async () => {
    const headers = onBehalfOf(uniqueEmail());
    await expectEnvelope(await call("/api/upload/direct", { method: "POST", headers, body: "abc" }), 400);
    await expectEnvelope(await upload("a.txt", "abc", { ...headers, "Content-Type": "not a type" }), 400);
    await expectEnvelope(await upload("x".repeat(1025), "abc", headers), 400);
    await expectEnvelope(await upload("a.txt", "abc"), 401, "unauthorized");
  });

  it.each([
    ["../../etc/passwd", "passwd"],
    ["C:\\Windows\\system32\\evil.dll", "evil.dll"],
    ["a\u0000b\u0007c.txt", "abc.txt"],
    ["\u202Egnp.exe", "gnp.exe"],
    ["zero\u200Bwidth.txt", "zerowidth.txt"],
    ["ｆｕｌｌｗｉｄｔｈ.txt", "fullwidth.txt"],
    ["<script>alert(1)</script>.html", "script_.html"],
    ["<img src=x onerror=alert(1)>.svg", "_img src_x onerror_alert(1)_.svg"],
    ["CON.txt", "_CON.txt"],
    ["...", "file"],
    ["..", "file"],
    ["report   final .pdf", "report final .pdf"],
  ])("sanitizes %j to %j", async (raw, safe) => {
    expect(sanitizeFilename(raw)).toBe(safe);
    const response = await upload(raw, "content", onBehalfOf(uniqueEmail("hostile")));
    expect(response.status).toBe(201);
    const body = await response.json<{ key: string; filename: string }>();
    expect(body.filename).toBe(safe);
    expect(body.key.split("/")).toHaveLength(4);
  });

  it("shortens an over-long name and keeps its extension", () => {
    const name = sanitizeFilename(`${"a".repeat(300)}.tar.gz`);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.endsWith(".gz")).toBe(true);
  });
});

describe("GET /api/uploads", () => {
  it("lists only the caller's own uploads", async () => {
    const alice = onBehalfOf(uniqueEmail("alice"));
    const bob = onBehalfOf(uniqueEmail("bob"));
    await upload("one.txt", "1", alice);
    await upload("two.txt", "22", alice);
    await upload("bobs.txt", "333", bob);
    const list = await (await call("/api/uploads", { headers: alice })).json<{
      uploads: Array<{ name: string; size: number }>;
    }>();
    expect(list.uploads.map((u) => u.name).sort()).toEqual(["one.txt", "two.txt"]);
    expect(list.uploads.find((u) => u.name === "two.txt")?.size).toBe(2);
    await expectEnvelope(await call("/api/uploads?limit=0", { headers: alice }), 400);
    await expectEnvelope(await call("/api/uploads"), 401);
  });
});
