import { env } from "cloudflare:test";
import { base64url, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  ADMIN_SESSION_COOKIE,
  ADMIN_SESSION_TTL_SEC,
  adminSessionState,
  clearedSessionCookie,
  createSessionToken,
  signIn,
  verifySessionToken,
} from "../../app/server/admin/session";
import { parseConfig } from "../../app/server/config";
import { call, callWith } from "./helpers";

const KEY = "adm_test_key_for_sessions_0123456789";
const NOW = Date.UTC(2026, 5, 1, 12);

/** What the session functions need: the bindings, and a configuration with this admin key. */
function configWith(adminKey?: string) {
  return { env, config: parseConfig(adminKey === undefined ? {} : { ADMIN_API_KEY: adminKey }) };
}

function withCookie(token: string, url = "https://app.cognomega.com/admin") {
  return new Request(url, { headers: { Cookie: `${ADMIN_SESSION_COOKIE}=${token}` } });
}

function signInForm(key: string, next = "/admin") {
  return {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ key, next }).toString(),
    redirect: "manual" as const,
  };
}

/** A session token's claims (the middle part of the JWT). */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[1] ?? "")));
}

const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

/** The `name=value` part of a Set-Cookie header, for sending it back. */
function cookiePair(setCookie: string | null): string {
  return (setCookie ?? "").split(";")[0] ?? "";
}

describe("admin session tokens", () => {
  it("verify until they expire, eight hours after issue", async () => {
    const token = await createSessionToken(KEY, NOW);
    expect(await verifySessionToken(token, KEY, NOW)).toBe(true);
    expect(await verifySessionToken(token, KEY, NOW + (ADMIN_SESSION_TTL_SEC - 1) * 1000)).toBe(true);
    expect(await verifySessionToken(token, KEY, NOW + ADMIN_SESSION_TTL_SEC * 1000)).toBe(false);
  });

  it("never contain the admin key", async () => {
    const token = await createSessionToken(KEY, NOW);
    expect(token).not.toContain(KEY);
    expect(token).not.toContain(btoa(KEY).replace(/=+$/, ""));
    // An HS256 JWT: header and claims are readable, the signature is 32 bytes.
    expect(token).toMatch(/^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(Object.keys(claimsOf(token)).sort()).toEqual(["aud", "exp", "iat", "iss", "jti", "sub"]);
  });

  it("are each different, even when issued in the same second", async () => {
    expect(await createSessionToken(KEY, NOW)).not.toBe(await createSessionToken(KEY, NOW));
  });

  it("stop verifying when ADMIN_API_KEY is rotated", async () => {
    const token = await createSessionToken(KEY, NOW);
    expect(await verifySessionToken(token, `${KEY}-rotated`, NOW)).toBe(false);
  });

  it("reject a changed expiry, jti or signature, an unsigned token and one signed with the admin key itself", async () => {
    const token = await createSessionToken(KEY, NOW);
    const [header = "", , mac = ""] = token.split(".");
    const claims = claimsOf(token);
    const withClaims = (changed: Record<string, unknown>) => `${header}.${encode({ ...claims, ...changed })}.${mac}`;
    const flip = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1);
    expect(await verifySessionToken(withClaims({ exp: Number(claims.exp) + 3600 }), KEY, NOW)).toBe(false);
    expect(await verifySessionToken(withClaims({ jti: crypto.randomUUID() }), KEY, NOW)).toBe(false);
    expect(await verifySessionToken(`${header}.${encode(claims)}.${flip(mac)}`, KEY, NOW)).toBe(false);
    expect(await verifySessionToken(`${encode({ alg: "none" })}.${encode(claims)}.`, KEY, NOW)).toBe(false);
    const signedWithKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(KEY));
    expect(await verifySessionToken(signedWithKey, KEY, NOW)).toBe(false);
    expect(await verifySessionToken("", KEY, NOW)).toBe(false);
    expect(await verifySessionToken(KEY, KEY, NOW)).toBe(false);
  });
});

describe("signing in", () => {
  it("sets an HttpOnly, SameSite=Strict, Secure, site-wide cookie lasting eight hours", async () => {
    const result = await signIn(new Request("https://app.cognomega.com/admin/sign-in"), configWith(KEY), KEY);
    if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
    const attributes = result.cookie.split("; ");
    expect(attributes[0]).toMatch(new RegExp(`^${ADMIN_SESSION_COOKIE}=eyJ`));
    expect(attributes).toEqual(
      expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Strict", "Secure", `Max-Age=${8 * 3600}`]),
    );
  });

  it("leaves out Secure on plain http (local development)", async () => {
    const result = await signIn(new Request("http://127.0.0.1:8787/admin/sign-in"), configWith(KEY), KEY);
    expect(result.ok && result.cookie).not.toMatch(/Secure/);
  });

  it("refuses a wrong key, and reports admin as disabled without ADMIN_API_KEY", async () => {
    const request = new Request("https://app.cognomega.com/admin/sign-in");
    expect(await signIn(request, configWith(KEY), `${KEY}x`)).toEqual({ ok: false, reason: "wrong_key" });
    expect(await signIn(request, configWith(), KEY)).toEqual({ ok: false, reason: "disabled" });
  });

  it("reads the session state from the request's cookie", async () => {
    const token = await createSessionToken(KEY);
    expect(await adminSessionState(withCookie(token), configWith(KEY))).toBe("signed-in");
    expect(await adminSessionState(withCookie("forged"), configWith(KEY))).toBe("signed-out");
    expect(await adminSessionState(new Request("https://app.cognomega.com/admin"), configWith(KEY))).toBe("signed-out");
    expect(await adminSessionState(withCookie(token), configWith())).toBe("disabled");
  });

  it("signs out with an expired, emptied cookie", async () => {
    const cleared = await clearedSessionCookie(new Request("https://app.cognomega.com/admin"));
    expect(cleared).toMatch(new RegExp(`^${ADMIN_SESSION_COOKIE}=;`));
    expect(cleared).toContain("Max-Age=0");
  });
});

describe("the dashboard over HTTP", () => {
  it("sends visitors without a session to the sign-in page, remembering where they were going", async () => {
    const response = await call("/admin/system", { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/admin/sign-in?next=%2Fadmin%2Fsystem");
  });

  it("answers a wrong key with 401 and the reason on the page, and sets no cookie", async () => {
    const response = await call("/admin/sign-in", signInForm("not-the-key"));
    expect(response.status).toBe(401);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect(await response.text()).toContain("That admin key is not valid.");
  });

  it("answers an empty key with 400 and a field error, never a 500", async () => {
    const response = await call("/admin/sign-in", signInForm(""));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Enter the admin key.");
  });

  it("ends a session on sign-out for every copy of its cookie", async () => {
    const signedIn = await call("/admin/sign-in", signInForm(env.ADMIN_API_KEY));
    const cookie = cookiePair(signedIn.headers.get("Set-Cookie"));
    const copy = cookie;
    expect((await call("/admin/system", { headers: { Cookie: copy }, redirect: "manual" })).status).toBe(200);
    await call("/admin", { method: "POST", headers: { Cookie: cookie }, redirect: "manual" });
    const after = await call("/admin/system", { headers: { Cookie: copy }, redirect: "manual" });
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toMatch(/^\/admin\/sign-in/);
    // Other sessions live on.
    const other = cookiePair((await call("/admin/sign-in", signInForm(env.ADMIN_API_KEY))).headers.get("Set-Cookie"));
    expect((await call("/admin/system", { headers: { Cookie: other }, redirect: "manual" })).status).toBe(200);
  });

  it("signs in with the right key, opens the dashboard, and signs out", async () => {
    const signedIn = await call("/admin/sign-in", signInForm(env.ADMIN_API_KEY, "/admin/system"));
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/admin/system");
    const cookie = cookiePair(signedIn.headers.get("Set-Cookie"));
    expect(cookie).toMatch(new RegExp(`^${ADMIN_SESSION_COOKIE}=`));
    expect(cookie).not.toContain(env.ADMIN_API_KEY);

    const system = await call("/admin/system", { headers: { Cookie: cookie } });
    expect(system.status).toBe(200);
    expect(await system.text()).toContain("Signing keys (JWKS)");

    const signedOut = await call("/admin", { method: "POST", headers: { Cookie: cookie }, redirect: "manual" });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toBe("/admin/sign-in");
    expect(signedOut.headers.get("Set-Cookie")).toContain("Max-Age=0");
  });

  it("does not follow a sign-in's next to another site", async () => {
    const response = await call("/admin/sign-in", signInForm(env.ADMIN_API_KEY, "//evil.example/admin"));
    expect(response.headers.get("Location")).toBe("/admin");
  });

  it("ends every session when ADMIN_API_KEY is rotated", async () => {
    const signedIn = await call("/admin/sign-in", signInForm(env.ADMIN_API_KEY));
    const cookie = cookiePair(signedIn.headers.get("Set-Cookie"));
    const rotated = await callWith({ ADMIN_API_KEY: `${env.ADMIN_API_KEY}-new` }, "/admin", {
      headers: { Cookie: cookie },
      redirect: "manual",
    });
    expect(rotated.status).toBe(302);
    expect(rotated.headers.get("Location")).toMatch(/^\/admin\/sign-in/);
  });

  it("counts wrong keys per address with the API's: past ADMIN_AUTH_RATE_LIMIT even the right key is 429", async () => {
    const vars = { ADMIN_AUTH_RATE_LIMIT: "2" };
    const from = { "CF-Connecting-IP": "2001:db8:5e55::1" };
    const form = (key: string) => {
      const init = signInForm(key);
      return { ...init, headers: { ...init.headers, ...from } };
    };
    expect((await callWith(vars, "/admin/sign-in", form("wrong-1"))).status).toBe(401);
    expect((await callWith(vars, "/api/admin/ping", { headers: { "X-Admin-Key": "wrong-2", ...from } })).status).toBe(
      401,
    );
    expect((await callWith(vars, "/admin/sign-in", form(env.ADMIN_API_KEY))).status).toBe(429);
  });

  it("says admin is disabled when ADMIN_API_KEY is unset", async () => {
    const response = await callWith({ ADMIN_API_KEY: "" }, "/admin/sign-in");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Admin is disabled on this deployment");
  });
});
