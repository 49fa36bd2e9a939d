// The API pipeline: request id, CORS, no-store and the error envelope, applied once for every
// API request before and after the React Router resource route that serves it.
import { RouterContextProvider } from "react-router";
import { loadConfig } from "../config";
import { type RequestScope, requestScope } from "../context";
import { applyCors, preflight } from "./cors";
import { ApiError, errorResponse, notFound } from "./errors";
import { CLIENT_KEY } from "./idempotency";

export type RouterHandler = (request: Request, context: RouterContextProvider) => Promise<Response>;

const API_PREFIXES = ["/api/", "/auth/", "/.well-known/", "/si/"];
const API_PATHS = new Set(["/api", "/auth", "/ready", "/healthz", "/credits", "/usage"]);
/** Paths that must answer even when the configuration is broken, so operators can see why. */
const ALWAYS_ON = new Set(["/ready", "/healthz", "/api/healthz", "/api/v1/healthz", "/.well-known/jwks.json"]);

export function isApiPath(pathname: string): boolean {
  // React Router matches paths case-insensitively, so the pipeline must as well.
  const lower = pathname.toLowerCase();
  const path = lower.length > 1 ? lower.replace(/\/+$/, "") : lower;
  return API_PATHS.has(path) || API_PREFIXES.some((prefix) => `${path}/`.startsWith(prefix));
}

export function requestIdFor(request: Request): string {
  const incoming = request.headers.get("X-Request-Id");
  return incoming && CLIENT_KEY.test(incoming) ? incoming : crypto.randomUUID();
}

export function routerContext(scope: RequestScope): RouterContextProvider {
  const context = new RouterContextProvider();
  context.set(requestScope, scope);
  return context;
}

/** Serves one request: API paths (and every path on an API host) through the pipeline. */
export async function dispatch(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  router: RouterHandler,
): Promise<Response> {
  const config = loadConfig(env);
  const url = new URL(request.url);
  const scope: RequestScope = { env, ctx, config, requestId: requestIdFor(request) };
  if (isApiPath(url.pathname)) return serveApi(request, scope, router);
  if (config.apiHosts.includes(url.hostname.toLowerCase())) return serveApi(request, scope, null);
  const response = await router(request, routerContext(scope));
  return withHeaders(response, { "X-Request-Id": scope.requestId });
}

async function serveApi(request: Request, scope: RequestScope, router: RouterHandler | null): Promise<Response> {
  const { config, requestId } = scope;
  let response: Response;
  try {
    const path = new URL(request.url).pathname.replace(/(.)\/+$/, "$1");
    if (request.method === "OPTIONS") response = preflight(request, config.allowedOrigins);
    else if (!router) throw notFound("The API host serves API paths only.");
    else if (config.problems.length > 0 && !ALWAYS_ON.has(path)) throw misconfigured(scope);
    else response = normalize(await router(request, routerContext(scope)), requestId);
  } catch (thrown) {
    response = errorResponse(thrown, requestId);
  }
  const out = mutable(response);
  out.headers.set("X-Request-Id", requestId);
  applyCors(request, out.headers, config.allowedOrigins);
  if (!out.headers.has("Cache-Control")) out.headers.set("Cache-Control", "no-store");
  return out;
}

function misconfigured(scope: RequestScope): ApiError {
  const names = scope.config.problems.map((problem) => problem.name);
  return new ApiError(503, "misconfigured", `The service is misconfigured: ${names.join(", ")}.`, { names });
}

/** A safety net: any non-JSON error the router produced still leaves as an envelope. */
function normalize(response: Response, requestId: string): Response {
  const type = response.headers.get("Content-Type") ?? "";
  if (response.status < 400 || type.includes("json")) return response;
  const error =
    response.status === 404
      ? notFound()
      : new ApiError(response.status, response.status >= 500 ? "internal_error" : "bad_request", "The request failed.");
  return errorResponse(error, requestId);
}

function mutable(response: Response): Response {
  return new Response(response.body, response);
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  const out = mutable(response);
  for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  return out;
}
