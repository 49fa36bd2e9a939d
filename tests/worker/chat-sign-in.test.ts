// The chat's server side of signing in with an API key: the home route's action trades the key
// for an account token in the HttpOnly session cookie, the page then runs as that account, and
// signing out returns it to a guest session.
import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import { adminHeaders, call, grant, postJson, uniqueEmail } from "./helpers";

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

function form(fields: Record<string, string>, cookie = "") {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "User-Agent": BROWSER,
      "CF-Connecting-IP": crypto.randomUUID(),
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual" as const,
  };
}

/** Every Set-Cookie of a response, by cookie name. */
function cookiesOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const eq = pair.indexOf("=");
    out[pair.slice(0, eq)] = line;
  }
  return out;
}

const pairOf = (line = "") => line.split(";")[0] ?? "";

async function keyFor(email: string) {
  const made = await postJson("/api/admin/keys", { email }, adminHeaders());
  return (await made.json<{ key: { id: string; secret: string } }>()).key;
}

function page(cookie = "") {
  return call("/", {
    headers: { "User-Agent": BROWSER, "CF-Connecting-IP": crypto.randomUUID(), ...(cookie ? { Cookie: cookie } : {}) },
  });
}

describe("signing in to the chat with an API key", () => {
  it("keeps an account token (never the key) in the HttpOnly session cookie, and the page runs as that account", async () => {
    const email = uniqueEmail("chatter");
    await grant(email, 3);
    const key = await keyFor(email);
    const signedIn = await call("/?index", form({ intent: "sign-in-key", api_key: key.secret }));
    expect(signedIn.status).toBe(200);
    const cookies = cookiesOf(signedIn);
    const session = cookies.cg_token ?? "";
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toContain(key.secret);
    const token = decodeURIComponent(pairOf(session).slice("cg_token=".length));
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[1] ?? "")));
    expect(claims).toMatchObject({ email, key_id: key.id });
    expect(cookies.cg_email).toContain("Max-Age=0");

    const html = await (await page(pairOf(session))).text();
    expect(html).toContain(email);
    expect(html).toMatch(/data-testid="balance"[^>]*>3</);
    // The same cookie is the session for the API.
    const credits = await call("/api/credits", { headers: { Cookie: pairOf(session) } });
    expect(await credits.json()).toMatchObject({ account: email, key_id: key.id });
  });

  it("refuses a wrong key with the reason and sets no cookie", async () => {
    for (const bad of ["cg_sk_wrong", "", "x".repeat(500)]) {
      const response = await call("/?index", form({ intent: "sign-in-key", api_key: bad }));
      expect([400, 401]).toContain(response.status);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
  });

  it("signs out back to a guest session", async () => {
    const email = uniqueEmail("leaving");
    const key = await keyFor(email);
    const session = pairOf(
      cookiesOf(await call("/?index", form({ intent: "sign-in-key", api_key: key.secret }))).cg_token,
    );
    const out = await call("/?index", form({ intent: "sign-out" }, session));
    expect(cookiesOf(out).cg_token).toContain("Max-Age=0");
    const guestPage = await page();
    const guestCookie = cookiesOf(guestPage).cg_token ?? "";
    expect(guestCookie).toMatch(/^cg_token=/);
    expect(await guestPage.text()).not.toContain(email);
  });

  it("ends the session when its key is revoked: the page starts a guest session", async () => {
    const email = uniqueEmail("revoked");
    const key = await keyFor(email);
    const session = pairOf(
      cookiesOf(await call("/?index", form({ intent: "sign-in-key", api_key: key.secret }))).cg_token,
    );
    await call(`/api/admin/keys/${key.id}`, { method: "DELETE", headers: adminHeaders() });
    const after = await page(session);
    expect(await after.text()).not.toContain(email);
    expect(cookiesOf(after).cg_token).toMatch(/^cg_token=/);
  });

  it("offers the email form only in asserted mode", async () => {
    const html = await (await page()).text();
    expect(html).not.toContain("Account email");
    const refused = await call("/?index", form({ intent: "use-email", email: uniqueEmail() }));
    expect(refused.status).toBe(403);
  });
});
