import { describe, expect, it } from "vitest";
import { accountEmailCookie, adminSessionCookie, guestTokenCookie, readCookie, writeCookie } from "./cookies";

const HTTPS = "https://app.cognomega.com/";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJndWVzdDphYmMifQ.c2lnbmF0dXJl_-";

const sent = (header: string) => new Request(HTTPS, { headers: { Cookie: header } });
const pair = (setCookie: string) => setCookie.split("; ")[0];

describe("the app's cookies", () => {
  it("keep a guest token as the bare JWT on the wire, both ways", async () => {
    const header = await writeCookie(guestTokenCookie, new Request(HTTPS), JWT, { maxAge: 3600 });
    expect(pair(header)).toBe(`cg_token=${JWT}`);
    expect(await readCookie(guestTokenCookie, sent(`theme=dark; cg_token=${JWT}`))).toBe(JWT);
  });

  it("keep an email URI-encoded, as browsers already hold it", async () => {
    const email = "zoë+tag@example.com";
    const header = await writeCookie(accountEmailCookie, new Request(HTTPS), email);
    expect(pair(header)).toBe(`cg_email=${encodeURIComponent(email)}`);
    expect(await readCookie(accountEmailCookie, sent(pair(header) ?? ""))).toBe(email);
  });

  it("read nothing from an absent, empty or malformed cookie", async () => {
    expect(await readCookie(guestTokenCookie, new Request(HTTPS))).toBeNull();
    expect(await readCookie(guestTokenCookie, sent("cg_token="))).toBeNull();
    expect(await readCookie(accountEmailCookie, sent("cg_email=%E0%A4%A"))).toBeNull();
  });

  it("are HttpOnly and site-wide, Strict for the admin session, Secure only on https", async () => {
    const admin = await writeCookie(adminSessionCookie, new Request(HTTPS), "x");
    expect(admin.split("; ")).toEqual(
      expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Strict", "Secure", `Max-Age=${8 * 3600}`]),
    );
    const local = await writeCookie(guestTokenCookie, new Request("http://127.0.0.1:8787/"), JWT, { maxAge: 60 });
    expect(local.split("; ")).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Max-Age=60"]));
    expect(local).not.toContain("Secure");
  });

  it("are removed with an empty value that expires at once", async () => {
    const cleared = await writeCookie(accountEmailCookie, new Request(HTTPS), null);
    expect(cleared).toMatch(/^cg_email=;/);
    expect(cleared).toContain("Max-Age=0");
  });
});
