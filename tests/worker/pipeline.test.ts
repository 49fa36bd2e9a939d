import { describe, expect, it } from "vitest";
import { APP_ORIGIN, BASE, call, callWith, expectEnvelope } from "./helpers";

const EXPOSED =
  "Content-Type, Content-Disposition, X-Request-Id, X-Credits-Used, X-Credits-Balance, X-Tokens-In, X-Tokens-Out, X-Provider, X-Model";

function preflight(path: string, origin: string, requestHeaders = "Content-Type, X-User-Email, X-Intelligence-Tier") {
  return call(path, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": requestHeaders,
    },
  });
}

describe("CORS", () => {
  it("answers a preflight from an allowed origin with 204 and the runbook's headers, before any auth", async () => {
    const response = await preflight("/api/si/ask", APP_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(APP_ORIGIN);
    expect(response.headers.get("Access-Control-Allow-Methods")).toBe("GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
    const allowHeaders = response.headers.get("Access-Control-Allow-Headers") ?? "";
    for (const name of [
      "Authorization",
      "Content-Type",
      "X-User-Email",
      "x-user-email",
      "X-Admin-Key",
      "X-Admin-Token",
    ]) {
      expect(allowHeaders.split(", ")).toContain(name);
    }
    expect(allowHeaders.toLowerCase()).toContain("x-intelligence-tier");
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(response.headers.get("Access-Control-Max-Age")).toBe("86400");
    expect(response.headers.get("Access-Control-Expose-Headers")).toBe(EXPOSED);
    expect(response.headers.get("Vary")).toContain("Origin");
  });

  it("merges any well-formed header the browser asks for and drops malformed ones", async () => {
    const response = await preflight("/api/credits", APP_ORIGIN, "X-Custom-Thing, bad header!, x-user-email");
    const allowHeaders = response.headers.get("Access-Control-Allow-Headers") ?? "";
    expect(allowHeaders).toContain("X-Custom-Thing");
    expect(allowHeaders).not.toContain("bad header");
    expect(allowHeaders.match(/x-user-email/gi)).toHaveLength(2); // the base list names both spellings
  });

  it("gives a preflight from an unlisted origin no Access-Control-Allow-Origin", async () => {
    const response = await preflight("/api/si/ask", "https://evil.example");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    await expectEnvelope(response, 403, "origin_not_allowed");
  });

  it("exposes the billing headers to allowed origins on normal responses", async () => {
    const response = await call("/ready", { headers: { Origin: "https://www.cognomega.com" } });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("https://www.cognomega.com");
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBe("true");
    expect(response.headers.get("Access-Control-Expose-Headers")).toBe(EXPOSED);
    expect(response.headers.get("Vary")).toContain("Origin");
  });

  it("leaves out every CORS grant for an unlisted origin on normal responses", async () => {
    const response = await call("/ready", { headers: { Origin: "https://evil.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(response.headers.get("Access-Control-Expose-Headers")).toBeNull();
    expect(response.headers.get("Vary")).toContain("Origin");
  });

  it("follows ALLOWED_ORIGINS as configured", async () => {
    const response = await callWith({ ALLOWED_ORIGINS: "https://only.example" }, "/ready", {
      headers: { Origin: "https://www.cognomega.com" },
    });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("request ids", () => {
  it("generates one when none is sent and puts it in header and envelope alike", async () => {
    const response = await call("/api/does-not-exist");
    const id = response.headers.get("X-Request-Id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const body = await expectEnvelope(response, 404, "not_found");
    expect(body.request_id).toBe(id);
  });

  it("echoes a sane incoming id and replaces an unsafe one", async () => {
    const echoed = await call("/ready", { headers: { "X-Request-Id": "probe-123.abc" } });
    expect(echoed.headers.get("X-Request-Id")).toBe("probe-123.abc");
    const replaced = await call("/ready", { headers: { "X-Request-Id": "<script>alert(1)</script>" } });
    expect(replaced.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("health", () => {
  it.each(["/ready", "/healthz", "/api/healthz", "/api/v1/healthz"])(
    "%s reports the first configured provider",
    async (path) => {
      const response = await call(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      const body = await response.json();
      // groq has no key in tests, so the first configured provider is the next one listed.
      expect(body).toMatchObject({ ok: true, provider: "openai", model: "gpt-4o-mini", local_upstream: true });
    },
  );

  it("answers HEAD with the status and no body", async () => {
    const response = await call("/ready", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("reports bad settings by name with 503, without their values", async () => {
    const response = await callWith({ CREDIT_PER_1K: "lots", JWT_TTL_SEC: "-5" }, "/ready");
    expect(response.status).toBe(503);
    const body = await response.json<{ ok: boolean; problems: { name: string }[] }>();
    expect(body.ok).toBe(false);
    expect(body.problems.map((p) => p.name).sort()).toEqual(["CREDIT_PER_1K", "JWT_TTL_SEC"]);
    expect(JSON.stringify(body)).not.toContain("lots");
  });

  it("keeps other API routes closed while the configuration is broken", async () => {
    const response = await callWith({ PREFERRED_PROVIDER: "gpt5,nobody" }, "/api/credits?email=a@example.com");
    const body = await expectEnvelope(response, 503, "misconfigured");
    expect(body.error.message).toContain("PREFERRED_PROVIDER");
  });

  it("names a missing signing key without showing key material", async () => {
    const response = await callWith({ PRIVATE_KEY_PEM: "" }, "/ready");
    expect(response.status).toBe(503);
    const body = await response.json<{ problems: { name: string; message: string }[] }>();
    expect(body.problems).toContainEqual({ name: "PRIVATE_KEY_PEM", message: "PRIVATE_KEY_PEM is not set" });
  });

  it("counts a bound Workers AI as configured", async () => {
    const response = await callWith({ PREFERRED_PROVIDER: "groq,cfai,openai" }, "/ready");
    expect(await response.json()).toMatchObject({
      ok: true,
      provider: "cfai",
      model: "@cf/meta/llama-3.1-8b-instruct",
    });
  });

  it("reports no provider at all as not ready", async () => {
    const response = await callWith({ PREFERRED_PROVIDER: "groq", GROQ_API_KEY: "" }, "/ready");
    expect(response.status).toBe(503);
    const body = await response.json<{ problems: { name: string; message: string }[] }>();
    expect(body.problems[0]?.name).toBe("PREFERRED_PROVIDER");
    expect(body.problems[0]?.message).toContain("GROQ_API_KEY is not set");
  });
});

describe("the error envelope", () => {
  it("answers unknown API paths with 404 for every method", async () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      await expectEnvelope(await call("/api/v1/nothing-here", { method }), 404, "not_found");
    }
    await expectEnvelope(await call("/auth/nothing"), 404, "not_found");
    await expectEnvelope(await call("/.well-known/other"), 404, "not_found");
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const response = await call("/ready", { method: "DELETE" });
    expect(response.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
    await expectEnvelope(response, 405, "method_not_allowed");
    const post = await call("/auth/guest", { method: "GET" });
    expect(post.headers.get("Allow")).toBe("POST, OPTIONS");
    await expectEnvelope(post, 405, "method_not_allowed");
  });

  it("answers malformed JSON with 400 and oversized JSON with 413", async () => {
    const headers = { "Content-Type": "application/json", "X-Admin-Key": "x" };
    await expectEnvelope(
      await call("/auth/guest", { method: "POST", headers, body: "{not json" }),
      400,
      "invalid_json",
    );
    const huge = JSON.stringify({ turnstile_token: "x".repeat(20_000) });
    await expectEnvelope(await call("/auth/guest", { method: "POST", headers, body: huge }), 413, "payload_too_large");
  });

  it("treats API paths case-insensitively, as the router does", async () => {
    const response = await call("/API/Credits", { headers: { Origin: APP_ORIGIN } });
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(APP_ORIGIN);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    await expectEnvelope(response, 401, "unauthorized");
  });

  it.each(["/%61pi/credits", "/API/credits", "//api//credits", "/api/credits/", "/Api/Credits//"])(
    "gives %s exactly what /api/credits gets: the same pipeline and route",
    async (path) => {
      const response = await call(new URL(`${BASE}${path}`).href, { headers: { Origin: APP_ORIGIN } });
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe(APP_ORIGIN);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(response.headers.get("X-Request-Id")).toBeTruthy();
      await expectEnvelope(response, 401, "unauthorized");
      const misconfigured = await callWith({ CREDIT_PER_1K: "lots" }, `${BASE}${path}`);
      await expectEnvelope(misconfigured, 503, "misconfigured");
    },
  );

  it("answers a malformed escape or a path no route serves under an API prefix with the 404 envelope", async () => {
    for (const path of ["/api/%E0%A4%A", "/api/credits/%ZZ", "/auth", "/si/nothing", "/api/jobs/a/b"]) {
      await expectEnvelope(await call(`${BASE}${path}`), 404, "not_found");
    }
  });

  it("answers a path of 20,000 slashes without slowing down", async () => {
    const started = performance.now();
    await expectEnvelope(await call(`${BASE}/api${"/".repeat(20_000)}credits`), 401, "unauthorized");
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("sets no-store on JSON answers", async () => {
    const response = await call("/api/nothing");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Type")).toContain("application/json");
  });

  it("serves only API paths on the API host", async () => {
    const response = await call("https://api.cognomega.com/");
    await expectEnvelope(response, 404, "not_found");
    const ready = await call("https://api.cognomega.com/ready");
    expect(ready.status).toBe(200);
  });
});

describe("the web app", () => {
  it("renders the chat page on the app host", async () => {
    const response = await call("/");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    expect(await response.text()).toContain("Cognomega");
  });
});
