import { env } from "cloudflare:test";
import { base64url, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { adminHeaders, call, callWith, expectEnvelope, uniqueEmail } from "./helpers";

const ISSUER = "https://api.cognomega.com";

async function guest(headers: Record<string, string> = {}) {
  const response = await call("/auth/guest", {
    method: "POST",
    headers: { "CF-Connecting-IP": crypto.randomUUID(), ...headers },
  });
  return { response, body: await response.json<{ token: string; exp: number; sub: string }>() };
}

function decode(part: string) {
  return JSON.parse(new TextDecoder().decode(base64url.decode(part)));
}

const serverKey = () => importPKCS8(env.PRIVATE_KEY_PEM, "RS256");

async function signed(
  claims: Record<string, unknown>,
  options: { kid?: string; key?: CryptoKey; iat?: number; exp?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "k1" })
    .setIssuedAt(options.iat ?? now)
    .setExpirationTime(options.exp ?? now + 600);
  if (!("iss" in claims)) jwt.setIssuer(ISSUER);
  return jwt.sign(options.key ?? (await serverKey()));
}

function credits(token: string) {
  return call("/api/credits", { headers: { Authorization: `Bearer ${token}` } });
}

describe("guest tokens", () => {
  it("issues an RS256 JWT with kid, issuer, guest subject, iat, exp and jti", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { response, body } = await guest();
    expect(response.status).toBe(200);
    const [header, payload] = body.token.split(".").map((part, i) => (i < 2 ? decode(part) : part));
    expect(header).toMatchObject({ alg: "RS256", kid: "k1" });
    expect(payload.iss).toBe(ISSUER);
    expect(payload.sub).toMatch(/^guest:[A-Za-z0-9_-]{16,}$/);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp).toBe(payload.iat + 3600);
    expect(body.exp).toBe(payload.exp);
  });

  it("also sets the token as an HttpOnly SameSite=Lax cookie, Secure on https", async () => {
    const { response, body } = await guest();
    const cookie = response.headers.get("Set-Cookie") ?? "";
    expect(cookie).toContain(`cg_token=${body.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    const plain = await callWith({}, "http://127.0.0.1/auth/guest", { method: "POST" });
    expect(plain.headers.get("Set-Cookie")).not.toMatch(/Secure/);
  });

  it("is served under every alias", async () => {
    for (const path of ["/api/auth/guest", "/api/v1/auth/guest"]) {
      const response = await call(path, { method: "POST", headers: { "CF-Connecting-IP": crypto.randomUUID() } });
      expect(response.status).toBe(200);
    }
  });

  it("identifies the guest through the bearer token and through the cookie", async () => {
    const { body } = await guest();
    const viaBearer = await credits(body.token);
    expect(await viaBearer.json()).toMatchObject({ ok: true, account: body.sub, kind: "guest" });
    const viaCookie = await call("/api/credits", { headers: { Cookie: `theme=dark; cg_token=${body.token}` } });
    expect(await viaCookie.json()).toMatchObject({ account: body.sub, kind: "guest" });
  });

  it("answers 503 without key material when PRIVATE_KEY_PEM is missing or unusable", async () => {
    for (const pem of ["", "-----BEGIN PRIVATE KEY-----\nnot base64 !!\n-----END PRIVATE KEY-----", "hello"]) {
      const response = await callWith({ PRIVATE_KEY_PEM: pem }, "/auth/guest", { method: "POST" });
      const body = await expectEnvelope(response, 503, "signing_key_unavailable");
      expect(body.error.message).toContain("PRIVATE_KEY_PEM");
      expect(JSON.stringify(body)).not.toContain("not base64");
    }
  });

  it("refuses a non-RSA key by name", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const der = new Uint8Array((await crypto.subtle.exportKey("pkcs8", privateKey)) as ArrayBuffer);
    const pem = `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...der))}\n-----END PRIVATE KEY-----`;
    const response = await callWith({ PRIVATE_KEY_PEM: pem }, "/ready");
    const body = await response.json<{ problems: { name: string; message: string }[] }>();
    expect(body.problems).toContainEqual({
      name: "PRIVATE_KEY_PEM",
      message: "PRIVATE_KEY_PEM is not an RSA private key",
    });
  });

  it("counts IPv6 callers per /64, and trusts no address header but CF-Connecting-IP", async () => {
    const vars = { GUEST_RATE_LIMIT: "2", GUEST_RATE_WINDOW_SEC: "60" };
    const block = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:42`;
    const from = (headers: Record<string, string>) => callWith(vars, "/auth/guest", { method: "POST", headers });
    expect((await from({ "CF-Connecting-IP": `${block}::1` })).status).toBe(200);
    expect((await from({ "CF-Connecting-IP": `${block}:ffff:1:2:3` })).status).toBe(200);
    // Another address in the same /64 (written differently), whatever else it claims to be.
    const third = await from({
      "CF-Connecting-IP": `${block.toUpperCase()}:0:0:0:abcd`,
      "X-Real-IP": "198.51.100.7",
      "X-Forwarded-For": "198.51.100.8",
    });
    await expectEnvelope(third, 429, "rate_limited");
    // The next /64 is someone else.
    expect((await from({ "CF-Connecting-IP": `${block.slice(0, -2)}43::1` })).status).toBe(200);
  });

  it("does not let X-Real-IP or X-Forwarded-For pick the bucket when CF-Connecting-IP is absent", async () => {
    const vars = { GUEST_RATE_LIMIT: "1", GUEST_RATE_WINDOW_SEC: "60" };
    const from = (ip: string) =>
      callWith(vars, "http://127.0.0.1/auth/guest", {
        method: "POST",
        headers: { "X-Real-IP": ip, "X-Forwarded-For": ip },
      });
    const first = await from(crypto.randomUUID());
    const second = await from(crypto.randomUUID());
    // Both count as the one local caller: at most one of them gets through.
    expect([first.status, second.status]).toContain(429);
  });

  it("refuses guest sign-up from another site's page, and serves this site, allowed origins and no Origin", async () => {
    const from = (headers: Record<string, string>) =>
      call("/auth/guest", { method: "POST", headers: { "CF-Connecting-IP": crypto.randomUUID(), ...headers } });
    for (const origin of ["https://evil.example", "null"]) {
      const refused = await from({ Origin: origin });
      expect(refused.headers.get("Set-Cookie")).toBeNull();
      await expectEnvelope(refused, 403, "origin_not_allowed");
    }
    for (const headers of [
      { Origin: "https://app.cognomega.com" },
      { Origin: "https://www.cognomega.com" },
      {},
    ] as Record<string, string>[]) {
      expect((await from(headers)).status).toBe(200);
    }
  });

  it("limits guest sign-ups per client address with 429 and Retry-After", async () => {
    const ip = crypto.randomUUID();
    const vars = { GUEST_RATE_LIMIT: "2", GUEST_RATE_WINDOW_SEC: "60" };
    const init = { method: "POST", headers: { "CF-Connecting-IP": ip } };
    expect((await callWith(vars, "/auth/guest", init)).status).toBe(200);
    expect((await callWith(vars, "/auth/guest", init)).status).toBe(200);
    const limited = await callWith(vars, "/auth/guest", init);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    await expectEnvelope(limited, 429, "rate_limited");
    const other = await callWith(vars, "/auth/guest", {
      method: "POST",
      headers: { "CF-Connecting-IP": crypto.randomUUID() },
    });
    expect(other.status).toBe(200);
  });

  describe("with Turnstile on", () => {
    const vars = { TURNSTILE_SECRET_KEY: "turnstile-test-secret" };
    const post = (body?: unknown) =>
      callWith(vars, "/auth/guest", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": crypto.randomUUID() },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    it("requires a Turnstile response", async () => {
      await expectEnvelope(await post(), 400, "invalid_request");
    });
    it("refuses a response siteverify rejects", async () => {
      await expectEnvelope(await post({ turnstile_token: "fail" }), 403, "turnstile_failed");
    });
    it("issues a token when siteverify passes it", async () => {
      expect((await post({ turnstile_token: "pass" })).status).toBe(200);
    });
    it("mints one guest per solved challenge, whatever X-Request-Id the client repeats", async () => {
      const token = `once:${crypto.randomUUID()}`;
      const again = (requestId: string) =>
        callWith(vars, "/auth/guest", {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "CF-Connecting-IP": crypto.randomUUID(),
            "X-Request-Id": requestId,
          },
          body: JSON.stringify({ turnstile_token: token }),
        });
      expect((await again("same-id-every-time")).status).toBe(200);
      await expectEnvelope(await again("same-id-every-time"), 403, "turnstile_failed");
      await expectEnvelope(await again("another-id"), 403, "turnstile_failed");
    });
    it("says so plainly when siteverify cannot be reached", async () => {
      const response = await callWith(
        { ...vars, TURNSTILE_VERIFY_URL: `${env.UPSTREAM_URL}/not-siteverify` },
        "/auth/guest",
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ turnstile_token: "pass" }),
        },
      );
      await expectEnvelope(response, 503, "turnstile_unavailable");
    });
  });
});

describe("JWKS", () => {
  it("publishes the public half of PRIVATE_KEY_PEM when KV holds none", async () => {
    await env.KEYS.delete("jwks");
    const response = await call("/.well-known/jwks.json");
    expect(response.status).toBe(200);
    const set = await response.json<{ keys: Record<string, string>[] }>();
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toMatchObject({ kty: "RSA", kid: "k1", alg: "RS256", use: "sig", e: "AQAB" });
    for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) expect(set.keys[0]).not.toHaveProperty(secret);
    expect(JSON.parse((await env.KEYS.get("jwks")) ?? "{}")).toEqual(set);
    const maxAge = Number(response.headers.get("Cache-Control")?.match(/max-age=(\d+)/)?.[1]);
    expect(maxAge).toBeLessThanOrEqual(300);
  });

  it("serves what KV holds, stripped of anything private", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const leaked = { ...(await exportJWK(privateKey)), kid: "old" };
    await env.KEYS.put("jwks", JSON.stringify({ keys: [leaked, { ...(await exportJWK(publicKey)), kid: "other" }] }));
    const set = await (await call("/.well-known/jwks.json")).json<{ keys: Record<string, string>[] }>();
    expect(set.keys.map((k) => k.kid)).toEqual(["old", "other", "k1"]);
    for (const key of set.keys) expect(key).not.toHaveProperty("d");
  });
});

describe("token verification", () => {
  it("accepts a valid token", async () => {
    const response = await credits(await signed({ sub: "guest:abcdefgh12345678" }));
    expect(response.status).toBe(200);
  });

  const rejected: Array<[string, () => Promise<string>]> = [
    [
      "alg none",
      async () => {
        const header = base64url.encode(JSON.stringify({ alg: "none", kid: "k1" }));
        const body = base64url.encode(
          JSON.stringify({ sub: "guest:abcdefgh12345678", iss: ISSUER, exp: 9_999_999_999 }),
        );
        return `${header}.${body}.`;
      },
    ],
    [
      "HS256 signed with the public key as the secret",
      async () => {
        const jwks = await (await call("/.well-known/jwks.json")).json<{ keys: object[] }>();
        const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
        return new SignJWT({ sub: "guest:abcdefgh12345678" })
          .setProtectedHeader({ alg: "HS256", kid: "k1" })
          .setIssuer(ISSUER)
          .setExpirationTime("10m")
          .sign(secret);
      },
    ],
    [
      "expired beyond the leeway",
      () => signed({ sub: "guest:abcdefgh12345678" }, { iat: 1000, exp: Math.floor(Date.now() / 1000) - 120 }),
    ],
    ["not yet valid", () => signed({ sub: "guest:abcdefgh12345678", nbf: Math.floor(Date.now() / 1000) + 600 })],
    ["from another issuer", () => signed({ sub: "guest:abcdefgh12345678", iss: "https://evil.example" })],
    ["signed by an unknown kid", () => signed({ sub: "guest:abcdefgh12345678" }, { kid: "nobody" })],
    [
      "with a tampered payload",
      async () => {
        const [h, , s] = (await signed({ sub: "guest:abcdefgh12345678" })).split(".");
        const forged = base64url.encode(
          JSON.stringify({ sub: "admin@cognomega.com", iss: ISSUER, exp: 9_999_999_999 }),
        );
        return `${h}.${forged}.${s}`;
      },
    ],
    [
      "with a tampered signature",
      async () => {
        const token = await signed({ sub: "guest:abcdefgh12345678" });
        const last = token.at(-2) === "A" ? "B" : "A";
        return `${token.slice(0, -2)}${last}${token.at(-1)}`;
      },
    ],
    ["truncated", async () => (await signed({ sub: "guest:abcdefgh12345678" })).split(".").slice(0, 2).join(".")],
    ["garbage", async () => "this-is-not-a-token"],
    [
      "signed by a key nobody published",
      async () => {
        const { privateKey } = await generateKeyPair("RS256");
        return signed({ sub: "guest:abcdefgh12345678" }, { key: privateKey as CryptoKey });
      },
    ],
  ];

  it.each(rejected)("rejects a token %s with 401 in the envelope", async (_, make) => {
    await expectEnvelope(await credits(await make()), 401, "invalid_token");
  });

  it("tolerates a little clock skew", async () => {
    const now = Math.floor(Date.now() / 1000);
    const response = await credits(await signed({ sub: "guest:abcdefgh12345678" }, { iat: now - 600, exp: now - 30 }));
    expect(response.status).toBe(200);
  });

  it("rejects a malformed Authorization header", async () => {
    await expectEnvelope(await call("/api/credits", { headers: { Authorization: "Basic abc" } }), 401, "invalid_token");
  });
});

describe("key rotation", () => {
  it("verifies tokens of every published key, and stops verifying a key once it is removed", async () => {
    await env.KEYS.delete("jwks");
    const oldToken = (await guest()).body.token;
    const next = await generateKeyPair("RS256", { extractable: true });
    const nextPem = await exportPKCS8(next.privateKey);
    const nextJwk = { ...(await exportJWK(next.publicKey)), kid: "k2", alg: "RS256", use: "sig" };
    const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

    // 1. Publish the new public key beside the old one.
    const published = await (await call("/.well-known/jwks.json")).json<{ keys: { kid: string }[] }>();
    await env.KEYS.put("jwks", JSON.stringify({ keys: [...published.keys, nextJwk] }));

    // 2. Switch the Worker to the new key: new tokens carry k2, old ones still verify.
    const rotated = { KID: "k2", PRIVATE_KEY_PEM: nextPem };
    const issued = await callWith(rotated, "/auth/guest", {
      method: "POST",
      headers: { "CF-Connecting-IP": "rotation" },
    });
    const newToken = (await issued.json<{ token: string }>()).token;
    expect(decode(newToken.split(".")[0] ?? "").kid).toBe("k2");
    expect((await callWith(rotated, "/api/credits", bearer(oldToken))).status).toBe(200);
    expect((await callWith(rotated, "/api/credits", bearer(newToken))).status).toBe(200);

    // 3. After the longest token lifetime, retire the old key: its tokens stop verifying.
    await env.KEYS.put("jwks", JSON.stringify({ keys: [nextJwk] }));
    await expectEnvelope(await callWith(rotated, "/api/credits", bearer(oldToken)), 401, "invalid_token");
    expect((await callWith(rotated, "/api/credits", bearer(newToken))).status).toBe(200);
    expect((await callWith(rotated, "/ready")).status).toBe(200);
  });

  it("reports a different key published under the current KID instead of issuing unverifiable tokens", async () => {
    const other = await generateKeyPair("RS256", { extractable: true });
    await env.KEYS.put("jwks", JSON.stringify({ keys: [{ ...(await exportJWK(other.publicKey)), kid: "k1" }] }));
    try {
      // A fresh isolate (its own env): a running one trusts its last check for PUBLISHED_CHECK_MS.
      const issued = await callWith({}, "/auth/guest", { method: "POST" });
      await expectEnvelope(issued, 503, "signing_key_unavailable");
      const ready = await (await call("/ready")).json<{ problems: { name: string }[] }>();
      expect(ready.problems.map((p) => p.name)).toContain("KID");
    } finally {
      await env.KEYS.delete("jwks");
    }
  });
});

describe("identity resolution", () => {
  describe("in asserted mode (an explicit opt-in)", () => {
    const asserted = { IDENTITY_MODE: "asserted" };
    it("prefers the query email, then X-User-Email, then the token", async () => {
      const token = await signed({ email: "token@example.com" });
      const headers = { "X-User-Email": "header@example.com", Authorization: `Bearer ${token}` };
      const all = await callWith(asserted, "/api/credits?email=query@example.com", { headers });
      expect((await all.json<{ account: string }>()).account).toBe("query@example.com");
      const noQuery = await callWith(asserted, "/api/credits", { headers });
      expect((await noQuery.json<{ account: string }>()).account).toBe("header@example.com");
      const tokenOnly = await credits(token);
      expect((await tokenOnly.json<{ account: string }>()).account).toBe("token@example.com");
    });

    it("trims and lower-cases emails", async () => {
      const response = await callWith(asserted, "/api/credits", {
        headers: { "X-User-Email": "  Mixed.Case@Example.COM " },
      });
      expect((await response.json<{ account: string }>()).account).toBe("mixed.case@example.com");
    });

    it("says so on /ready", async () => {
      expect(await (await callWith(asserted, "/ready")).json()).toMatchObject({ ok: true, identity_mode: "asserted" });
    });
  });

  it("reads the email from email, em or sub", async () => {
    for (const claims of [{ em: "em@example.com" }, { sub: "Sub@Example.com" }]) {
      const body = await (await credits(await signed(claims))).json<{ account: string; kind: string }>();
      expect(body.kind).toBe("email");
      expect(body.account).toMatch(/^(em|sub)@example\.com$/);
    }
  });

  it("answers an invalid email with 400 and no identity with 401", async () => {
    await expectEnvelope(await call("/api/credits?email=not-an-email"), 400, "invalid_request");
    await expectEnvelope(
      await call("/api/credits", { headers: { "X-User-Email": "<script>@x" } }),
      400,
      "invalid_request",
    );
    await expectEnvelope(await call("/api/credits"), 401, "unauthorized");
  });

  it("rejects a token that names no account", async () => {
    await expectEnvelope(await credits(await signed({ sub: "user-42" })), 401, "invalid_token");
  });

  describe("in verified mode (the default)", () => {
    it("is the mode /ready reports when IDENTITY_MODE is not set", async () => {
      expect(await (await call("/ready")).json()).toMatchObject({ ok: true, identity_mode: "verified" });
    });
    it("ignores an asserted email without proof", async () => {
      for (const headers of [{ "X-User-Email": "victim@example.com" }, {}] as Record<string, string>[]) {
        const response = await call("/api/credits?email=victim@example.com", { headers });
        await expectEnvelope(response, 401, "identity_not_verified");
      }
    });
    it("accepts an asserted email that matches the verified token", async () => {
      const token = await signed({ email: "me@example.com" });
      const response = await call("/api/credits?email=ME@example.com", {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect((await response.json<{ account: string }>()).account).toBe("me@example.com");
    });
    it("refuses an asserted email that differs from the token's, or comes with a guest token", async () => {
      const token = await signed({ email: "me@example.com" });
      const response = await call("/api/credits", {
        headers: { Authorization: `Bearer ${token}`, "X-User-Email": "someone-else@example.com" },
      });
      await expectEnvelope(response, 401, "identity_not_verified");
      const guest = await signed({ sub: "guest:abcdefgh12345678" });
      const asGuest = await call("/api/credits?email=me@example.com", {
        headers: { Authorization: `Bearer ${guest}` },
      });
      await expectEnvelope(asGuest, 401, "identity_not_verified");
    });
    it("accepts an asserted email that comes with the admin key, and not with a wrong one", async () => {
      const email = uniqueEmail();
      const response = await call("/api/credits", { headers: { ...adminHeaders(), "X-User-Email": email } });
      expect((await response.json<{ account: string }>()).account).toBe(email);
      const wrong = await call("/api/credits", { headers: { "X-Admin-Key": "nope", "X-User-Email": email } });
      await expectEnvelope(wrong, 401, "identity_not_verified");
    });
    it("still accepts a token on its own", async () => {
      const response = await call("/api/credits", {
        headers: { Authorization: `Bearer ${await signed({ email: "me@example.com" })}` },
      });
      expect(response.status).toBe(200);
    });
  });

  it("treats an IDENTITY_MODE that is not exactly verified or asserted as a misconfiguration", async () => {
    for (const mode of ["Verified", "trusted", " asserted", ""]) {
      const ready = await callWith({ IDENTITY_MODE: mode }, "/ready");
      const body = await expectEnvelope(ready, 503, "not_ready");
      expect(JSON.stringify(body)).toContain("IDENTITY_MODE");
      const api = await callWith({ IDENTITY_MODE: mode }, "/api/credits", { headers: adminHeaders() });
      await expectEnvelope(api, 503, "misconfigured");
    }
  });
});

describe("the admin key", () => {
  it("admits the right key under either header name", async () => {
    for (const name of ["X-Admin-Key", "X-Admin-Token"]) {
      const response = await call("/api/admin/ping", { headers: { [name]: env.ADMIN_API_KEY } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
    }
  });

  it("answers 401 without a key or with a wrong one", async () => {
    await expectEnvelope(await call("/api/admin/ping"), 401, "admin_key_required");
    await expectEnvelope(
      await call("/api/admin/ping", { headers: { "X-Admin-Key": "wrong" } }),
      401,
      "admin_key_invalid",
    );
    const prefix = env.ADMIN_API_KEY.slice(0, -1);
    await expectEnvelope(
      await call("/api/admin/ping", { headers: { "X-Admin-Key": prefix } }),
      401,
      "admin_key_invalid",
    );
  });

  it("answers 429 per address after ADMIN_AUTH_RATE_LIMIT wrong keys a minute — to the right key too", async () => {
    const here = { "CF-Connecting-IP": `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}::7` };
    const elsewhere = { "CF-Connecting-IP": crypto.randomUUID() };
    const ping = (key: string, from: Record<string, string>) =>
      call("/api/admin/ping", { headers: { "X-Admin-Key": key, ...from } });
    // Right keys are not counted.
    for (let i = 0; i < 12; i++) expect((await ping(env.ADMIN_API_KEY, here)).status).toBe(200);
    for (let i = 0; i < 10; i++) await expectEnvelope(await ping(`wrong-${i}`, here), 401, "admin_key_invalid");
    const limited = await ping("wrong-again", here);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    await expectEnvelope(limited, 429, "rate_limited");
    await expectEnvelope(await ping(env.ADMIN_API_KEY, here), 429, "rate_limited");
    // Asserting an identity with the admin key is the same check.
    const asserted = await callWith({ IDENTITY_MODE: "verified" }, "/api/credits", {
      headers: { "X-Admin-Key": env.ADMIN_API_KEY, "X-User-Email": uniqueEmail(), ...here },
    });
    await expectEnvelope(asserted, 429, "rate_limited");
    expect((await ping(env.ADMIN_API_KEY, elsewhere)).status).toBe(200);
  });

  it("treats an ADMIN_API_KEY shorter than 32 characters as a misconfiguration", async () => {
    const short = { ADMIN_API_KEY: "x".repeat(31) };
    const ready = await callWith(short, "/ready");
    expect(ready.status).toBe(503);
    const body = await ready.json<{ problems: { name: string; message: string }[] }>();
    expect(body.problems).toContainEqual({ name: "ADMIN_API_KEY", message: "must be at least 32 characters" });
    await expectEnvelope(
      await callWith(short, "/api/admin/ping", { headers: { "X-Admin-Key": "x".repeat(31) } }),
      503,
      "misconfigured",
    );
    expect((await callWith({ ADMIN_API_KEY: "x".repeat(32) }, "/ready")).status).toBe(200);
  });

  it("keeps every admin route closed (503) when ADMIN_API_KEY is unset", async () => {
    const off = { ADMIN_API_KEY: "" };
    await expectEnvelope(
      await callWith(off, "/api/admin/ping", { headers: { "X-Admin-Key": "" } }),
      503,
      "admin_disabled",
    );
    const adjust = await callWith(off, "/api/credits/adjust", {
      method: "POST",
      headers: { "X-Admin-Key": "anything", "Content-Type": "application/json" },
      body: JSON.stringify({ email: "a@example.com", delta: 5 }),
    });
    await expectEnvelope(adjust, 503, "admin_disabled");
  });
});
