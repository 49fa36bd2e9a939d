// What may reach React Router. Its route matching grows worse than linearly with the number of
// path segments (5,000 segments took ~1.3 s, 20,000 took ~21 s), and its form handlers read
// whole bodies — so paths deeper than any page are answered here, and a form post must come
// from this site (or an allowed origin) and fit FORM_MAX_BYTES before any handler sees it.
import type { Config } from "../config";
import { allowedOrigin } from "./cors";

/** The deepest page is /admin/accounts/:account; anything much deeper is no page. */
export const MAX_PAGE_SEGMENTS = 16;
export const MAX_PAGE_PATH = 2048;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** More non-empty segments than `max`? Counted by scanning, stopping as soon as it knows. */
export function deeperThan(pathname: string, max: number): boolean {
  let segments = 0;
  let inSegment = false;
  for (let i = 0; i < pathname.length; i++) {
    if (pathname.charCodeAt(i) === 47 /* "/" */) inSegment = false;
    else if (!inSegment) {
      inSegment = true;
      segments += 1;
      if (segments > max) return true;
    }
  }
  return false;
}

function refusal(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/**
 * The request React Router may serve (a form post's body read into memory, at most
 * FORM_MAX_BYTES), or the answer that refuses it.
 */
export async function admitPageRequest(request: Request, url: URL, config: Config): Promise<Request | Response> {
  if (url.pathname.length > MAX_PAGE_PATH || deeperThan(url.pathname, MAX_PAGE_SEGMENTS)) {
    return refusal(404, "Not found.");
  }
  if (SAFE_METHODS.has(request.method)) return request;
  // A browser names the page a form was sent from; a site that is neither this one nor an
  // allowed origin may not post into the visitor's session. Requests without Origin (curl,
  // scripts) carry no visitor's cookies by accident and keep working. (React Router then
  // accepts only this site's own origin for an action: a 400 for the allowed others.)
  if (request.headers.has("Origin") && !allowedOrigin(request, config.allowedOrigins)) {
    return refusal(403, "Forms may only be sent from this site.");
  }
  const limit = config.formMaxBytes;
  const tooLarge = () => refusal(413, `Forms are limited to ${limit} bytes.`);
  // Refused on the declared length alone, before a byte is read.
  const declared = request.headers.get("Content-Length");
  if (declared !== null && !(Number(declared) <= limit)) return tooLarge();
  if (!request.body) return request;
  const body = await readAtMost(request.body, limit);
  if (!body) return tooLarge();
  return new Request(request, { body });
}

/** The whole stream if it fits in `limit` bytes; null (and the rest left unread) if not. */
async function readAtMost(stream: ReadableStream<Uint8Array>, limit: number): Promise<ArrayBuffer | null> {
  const reader = stream.getReader();
  const bytes = new Uint8Array(limit);
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes.buffer.slice(0, size);
    if (size + value.byteLength > limit) {
      await reader.cancel();
      return null;
    }
    bytes.set(value, size);
    size += value.byteLength;
  }
}
