// The floor for `npm run bench:gateway` (not part of the product): a Worker that forwards an
// OpenAI chat body to the upstream and returns its answer untouched, and a route that signs an
// RS256 JWT with a key imported once — the raw cost of guest issuance in this runtime.

interface BareEnv {
  /** The upstream's OpenAI base, e.g. http://127.0.0.1:9112/v1 */
  UPSTREAM_BASE: string;
  UPSTREAM_KEY: string;
  /** A PKCS#8 RSA private key, base64 DER (one line). */
  SIGNING_KEY_PKCS8: string;
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
    if (new URL(request.url).pathname === "/sign") return signGuestToken(env);
    const upstream = await fetch(`${env.UPSTREAM_BASE}/chat/completions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${env.UPSTREAM_KEY}`, "Content-Type": "application/json" },
      body: request.body,
    });
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  },
} satisfies ExportedHandler<BareEnv>;
