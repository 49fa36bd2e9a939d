// The floor for `npm run bench:gateway` (not part of the product): a Worker that forwards an
// OpenAI chat body to the upstream and returns its answer untouched, and a route that signs an
// RS256 JWT with a key imported once — the raw cost of guest issuance in this runtime. Under
// /hold/ the same pass-through also writes one row to a SQLite-backed Durable Object (per
// caller, while the upstream is called) and answers once both are done: the least that any
// gateway holding credits durably before it answers pays in this runtime.
import { DurableObject } from "cloudflare:workers";

interface BareEnv {
  /** The upstream's OpenAI base, e.g. http://127.0.0.1:9112/v1 */
  UPSTREAM_BASE: string;
  UPSTREAM_KEY: string;
  /** A PKCS#8 RSA private key, base64 DER (one line). */
  SIGNING_KEY_PKCS8: string;
  HOLDS: DurableObjectNamespace<BareHolds>;
}

export class BareHolds extends DurableObject<BareEnv> {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: BareEnv) {
    super(ctx, env);
    this.sql.exec("CREATE TABLE IF NOT EXISTS holds (id TEXT PRIMARY KEY, at INTEGER NOT NULL)");
  }

  hold(id: string): void {
    this.sql.exec("INSERT INTO holds (id, at) VALUES (?, ?)", id, Date.now());
  }
}

let signingKey: Promise<CryptoKey> | undefined;

const base64url = (binary: string) => btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const bytesToBinary = (bytes: Uint8Array) => String.fromCharCode(...bytes);

async function signGuestToken(env: BareEnv): Promise<Response> {
  signingKey ??= crypto.subtle.importKey(
    "pkcs8",
    Uint8Array.from(atob(env.SIGNING_KEY_PKCS8), (char) => char.charCodeAt(0)),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + 3600;
  const sub = `guest:${crypto.randomUUID()}`;
  const header = base64url(JSON.stringify({ alg: "RS256", kid: "bench", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ iss: "bench", sub, iat, exp, jti: crypto.randomUUID() }));
  const input = `${header}.${payload}`;
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", await signingKey, new TextEncoder().encode(input));
  return Response.json({ token: `${input}.${base64url(bytesToBinary(new Uint8Array(signature)))}`, exp, sub });
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/sign") return signGuestToken(env);
    const forwarded = fetch(`${env.UPSTREAM_BASE}/chat/completions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${env.UPSTREAM_KEY}`, "Content-Type": "application/json" },
      body: request.body,
    });
    if (pathname.startsWith("/hold/")) {
      // One timer tick first, as the product's head start does: it lets the runtime write the
      // upstream request before the write and its commit take the thread.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const holds = env.HOLDS.get(env.HOLDS.idFromName(request.headers.get("X-Caller") ?? "one"));
      await holds.hold(crypto.randomUUID());
    }
    const upstream = await forwarded;
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  },
} satisfies ExportedHandler<BareEnv>;
