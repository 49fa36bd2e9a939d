// What reaches React Router: no path deeper than a page, no cross-site form post, no form body
// over FORM_MAX_BYTES (refused before it is read). And the headers every API answer carries.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../app/server/config";
import { admitPageRequest, deeperThan } from "../../app/server/http/page-requests";
import wranglerToml from "../../wrangler.toml?raw";
import { APP_ORIGIN, BASE, call, callWith, expectEnvelope } from "./helpers";

const PATHS = [
  ["20,000 segments", `/${"a/".repeat(20_000)}`],
  ["20,000 slashes", `/${"/".repeat(20_000)}`],
  ["20,000 slashes inside the admin pages", `/admin${"/x".repeat(10_000)}`],
] as const;

function form(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  };
}

/** A body sent in chunks, without Content-Length, that counts how much of it was pulled. */
function chunkedBody(chunks: number, chunkSize: number) {
  const sent = { bytes: 0 };
  const chunk = new TextEncoder().encode(`key=${"k".repeat(chunkSize - 4)}`);
  let left = chunks;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left-- <= 0) return controller.close();
      sent.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, sent };
}

describe("page paths", () => {
  it("counts non-empty segments and stops as soon as it knows", () => {
    expect(deeperThan("/", 0)).toBe(false);
    expect(deeperThan("//a///b/", 2)).toBe(false);
    expect(deeperThan("/a/b/c", 2)).toBe(true);
  });

  it.each(PATHS)("decides on a page path of %s in well under 100 ms", async (_, path) => {
    const url = new URL(`${BASE}${path}`);
    const started = performance.now();
    const admitted = await admitPageRequest(new Request(url), url, parseConfig({}));
    expect(performance.now() - started).toBeLessThan(100);
    expect(admitted).toBeInstanceOf(Response);
  });

  // End to end through the Worker the time also holds the runtime's own handling of a 40 KB URL,
  // and the machine is shared: the bound is loose, the old behaviour (21 s) far beyond it.
  it.each(PATHS)("answers a page path of %s with a 404, not minutes of routing", async (_, path) => {
    const started = performance.now();
    const response = await call(`${BASE}${path}`);
    await response.arrayBuffer();
    expect(response.status).toBe(404);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("answers a path deeper than any page with 404 before the web app sees it", async () => {
    const response = await call(`/admin${"/x".repeat(17)}`);
    expect(response.status).toBe(404);
    expect(response.headers.get("X-Request-Id")).toBeTruthy();
  });

  it("still renders pages at their real depth", async () => {
    expect((await call("/admin/accounts/someone@example.com", { redirect: "manual" })).status).toBe(302);
  });
});

describe("form posts", () => {
  it("refuse a declared body over 16 KB with 413 on the sign-in and chat forms", async () => {
    const big = { key: "k".repeat(17 * 1024) };
    for (const path of ["/admin/sign-in", "/?index", "/admin/sign-in.data"]) {
      const response = await call(path, form(big));
      expect({ path, status: response.status }).toEqual({ path, status: 413 });
    }
  });

  it("stop reading an undeclared (chunked) body at the cap and answer 413", async () => {
    const { stream, sent } = chunkedBody(1000, 1024);
    const response = await call("/admin/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: stream,
      redirect: "manual",
    });
    expect(response.status).toBe(413);
    // Pulled: the cap and what was already in flight, nowhere near the megabyte offered.
    expect(sent.bytes).toBeLessThan(64 * 1024);
  });

  it("follow FORM_MAX_BYTES", async () => {
    const response = await callWith({ FORM_MAX_BYTES: "2048" }, "/admin/sign-in", form({ key: "k".repeat(3000) }));
    expect(response.status).toBe(413);
  });

  it("pass a small form through to its action", async () => {
    const response = await call("/admin/sign-in", form({ key: "not-the-key" }));
    expect(response.status).toBe(401);
  });

  it("refuse a browser Origin that is neither this site nor an allowed origin with 403", async () => {
    for (const origin of ["https://evil.example", "null"]) {
      const signIn = await call("/admin/sign-in", form({ key: "not-the-key" }, { Origin: origin }));
      expect(signIn.status).toBe(403);
      const chat = await call("/?index", form({ intent: "forget-email" }, { Origin: origin }));
      expect(chat.status).toBe(403);
    }
  });

  it("accept this site's own Origin and no Origin at all", async () => {
    for (const headers of [{ Origin: APP_ORIGIN }, {}] as Record<string, string>[]) {
      const chat = await call("/?index", form({ intent: "forget-email" }, headers));
      expect(chat.status).toBe(200);
    }
  });
});

describe("headers", () => {
  it("mark every API answer nosniff, errors included", async () => {
    for (const path of ["/ready", "/api/nothing", "/.well-known/jwks.json", "/api/credits"]) {
      const response = await call(path);
      expect({ path, nosniff: response.headers.get("X-Content-Type-Options") }).toEqual({ path, nosniff: "nosniff" });
    }
  });

  it("give the API host its own robots.txt, shutting every crawler out", async () => {
    const response = await call("https://api.cognomega.com/robots.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("User-agent: *\nDisallow: /\n");
    await expectEnvelope(await call("https://api.cognomega.com/favicon.ico"), 404, "not_found");
  });

  it("leave the deployment no address outside its routes, and the Worker before the assets", () => {
    // Top-level keys come before the first table; a key inside a table would mean something else.
    const topLevel = wranglerToml.slice(0, wranglerToml.search(/^\[/m));
    expect(topLevel).toMatch(/^workers_dev = false$/m);
    expect(topLevel).toMatch(/^preview_urls = false$/m);
    const assets = wranglerToml.slice(wranglerToml.indexOf("[assets]")).split(/^\[(?!assets\])/m)[0];
    expect(assets).toMatch(/^run_worker_first = true$/m);
  });
});
