// The runbook's strict CORS policy, applied once by the API pipeline.
import { ApiError } from "./errors";

export const ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH";
export const BASE_ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "X-User-Email",
  "x-user-email",
  "X-Admin-Key",
  "X-Admin-Token",
  "X-Api-Key",
];
export const EXPOSED_HEADERS = [
  "Content-Type",
  "Content-Disposition",
  "X-Request-Id",
  "X-Credits-Used",
  "X-Credits-Balance",
  "X-Tokens-In",
  "X-Tokens-Out",
  "X-Provider",
  "X-Model",
].join(", ");
export const MAX_AGE_SEC = "86400";

const HEADER_TOKEN = /^[A-Za-z0-9-]{1,64}$/;

/** The origin the response may name, or null when the caller's origin is not allowed. */
export function allowedOrigin(request: Request, allowed: string[]): string | null {
  const origin = request.headers.get("Origin");
  if (!origin || origin === "null") return null;
  if (allowed.includes(origin)) return origin;
  // The app host calling its own API is same-origin and always fine.
  return origin === new URL(request.url).origin ? origin : null;
}

export function isPreflight(request: Request): boolean {
  return request.method === "OPTIONS" && request.headers.has("Access-Control-Request-Method");
}

/** Base allow-list plus every well-formed header the browser asked for. */
export function allowHeaders(request: Request): string {
  const names = [...BASE_ALLOWED_HEADERS];
  const seen = new Set(names.map((name) => name.toLowerCase()));
  const requested = request.headers.get("Access-Control-Request-Headers") ?? "";
  for (const raw of requested.split(",")) {
    const name = raw.trim();
    if (HEADER_TOKEN.test(name) && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      names.push(name);
    }
  }
  return names.join(", ");
}

/** Answers an OPTIONS request; a preflight from an allowed origin gets 204 before any auth. */
export function preflight(request: Request, allowed: string[]): Response {
  const headers = new Headers({ Allow: ALLOWED_METHODS, Vary: "Origin" });
  if (!isPreflight(request)) return new Response(null, { status: 204, headers });
  const origin = allowedOrigin(request, allowed);
  if (!origin) {
    throw new ApiError(403, "origin_not_allowed", "This origin is not allowed to call the API.");
  }
  headers.set("Access-Control-Allow-Origin", origin);
  headers.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
  headers.set("Access-Control-Allow-Headers", allowHeaders(request));
  headers.set("Access-Control-Allow-Credentials", "true");
  headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
  headers.set("Access-Control-Max-Age", MAX_AGE_SEC);
  headers.append("Vary", "Access-Control-Request-Headers");
  return new Response(null, { status: 204, headers });
}

/** Adds the response-side CORS headers for an allowed origin; nothing for any other. */
export function applyCors(request: Request, headers: Headers, allowed: string[]): void {
  appendVary(headers, "Origin");
  const origin = allowedOrigin(request, allowed);
  if (!origin) return;
  headers.set("Access-Control-Allow-Origin", origin);
  headers.set("Access-Control-Allow-Credentials", "true");
  headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
}

function appendVary(headers: Headers, name: string): void {
  const current = headers.get("Vary");
  if (!current) headers.set("Vary", name);
  else if (!current.split(",").some((v) => v.trim().toLowerCase() === name.toLowerCase())) {
    headers.set("Vary", `${current}, ${name}`);
  }
}
