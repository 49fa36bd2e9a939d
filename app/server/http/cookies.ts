// The app's three cookies, made with React Router's createCookie: the guest token, the chosen
// account email and the admin session. All are HttpOnly and site-wide, Secure on https.
// On the wire each keeps its bare value (URI-encoded) as before: a `cg_token` cookie carries
// the raw JWT that the runbook's clients may also send themselves, so the codec below undoes
// React Router's own base64-JSON encoding of cookie values.
import { type Cookie, createCookie } from "react-router";

// Plain loops: Uint8Array.from with a mapping function and Array.from(…).join cost a guest sign-in
// about as much as the RSA signature itself (a token is ~1 KB of text).
function bytes(latin1: string): Uint8Array {
  const out = new Uint8Array(latin1.length);
  for (let i = 0; i < latin1.length; i++) out[i] = latin1.charCodeAt(i);
  return out;
}
function latin1(data: Uint8Array): string {
  let out = "";
  for (let i = 0; i < data.length; i += 4096) out += String.fromCharCode(...data.subarray(i, i + 4096));
  return out;
}
const utf8 = { decoder: new TextDecoder(), encoder: new TextEncoder() };

/** React Router hands cookie-es base64(UTF-8(JSON(value))); these map that to the bare value and back. */
const bareValue = {
  encode: (stored: string) => encodeURIComponent(JSON.parse(utf8.decoder.decode(bytes(atob(stored))))),
  decode(wire: string): string {
    try {
      return btoa(latin1(utf8.encoder.encode(JSON.stringify(decodeURIComponent(wire)))));
    } catch {
      return ""; // not URI-encoded text: no value
    }
  },
};

const base = { ...bareValue, path: "/", httpOnly: true } as const;

export const guestTokenCookie = createCookie("cg_token", { ...base, sameSite: "lax" });
export const accountEmailCookie = createCookie("cg_email", { ...base, sameSite: "lax", maxAge: 365 * 86_400 });
export const adminSessionCookie = createCookie("cg_admin", { ...base, sameSite: "strict", maxAge: 8 * 3600 });

/** The cookie's value on this request, or null when it is absent or empty. */
export async function readCookie(cookie: Cookie, request: Request): Promise<string | null> {
  const value: unknown = await cookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value ? value : null;
}

/** The Set-Cookie header that stores `value` (or, for null, removes the cookie). */
export function writeCookie(
  cookie: Cookie,
  request: Request,
  value: string | null,
  options: { maxAge?: number } = {},
): Promise<string> {
  const secure = new URL(request.url).protocol === "https:";
  return cookie.serialize(value ?? "", { secure, ...options, ...(value === null ? { maxAge: 0 } : {}) });
}
