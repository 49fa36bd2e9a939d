// Every request's way in (the Worker runs before static assets: wrangler.toml [assets]).
// API requests — a path the API route table claims, or any path on an API host — go through the
// API pipeline: request id, CORS (preflights answered here, before any auth), the
// misconfiguration gate, the route's endpoint, errors in the route's format, `no-store` and
// `nosniff`; React Router is not involved. An API host serves nothing else, not even the app's
// static files (its robots.txt shuts crawlers out). On every other host, a file path is the
// static assets' and the rest is the web app's, admitted by page-requests.ts.
import { RouterContextProvider } from "react-router";
import { loadConfig } from "../config";
import { type RequestScope, requestScope } from "../context";
import type { ApiMatch, ApiTable } from "./api-table";
import { applyCors, preflight } from "./cors";
import { ApiError, envelopeResponse, notFound, toApiError } from "./errors";
import { CLIENT_KEY } from "./idempotency";
import { admitPageRequest } from "./page-requests";
import { StageTimer } from "./server-timing";

export type RouterHandler = (request: Request, context: RouterContextProvider) => Promise<Response>;

export interface Handlers {
  /** The API's routes (app/api-routes.ts). */
  api: ApiTable;
  /** The web app: React Router's request handler. */
  app: RouterHandler;
  /** The built static files (the ASSETS binding); absent where the runtime serves them itself. */
  assets?: Fetcher;
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

/** On an API host, a path no route claims. */
const OFF_API: ApiMatch = { route: null, errors: envelopeResponse };

/** Serves one request: API paths (and every path on an API host) through the pipeline. */
export async function dispatch(request: Request, env: Env, ctx: ExecutionContext, handlers: Handlers) {
  const config = loadConfig(env);
  const url = new URL(request.url);
  const scope: RequestScope = { env, ctx, config, requestId: requestIdFor(request) };
  const match = handlers.api.match(url.pathname);
  if (match && config.serverTiming) scope.timing = new StageTimer();
  if (match) return serveApi(request, url, scope, match);
  if (config.apiHosts.includes(url.hostname.toLowerCase())) {
    if (url.pathname === "/robots.txt") return apiHostRobots(scope.requestId);
    return serveApi(request, url, scope, OFF_API, true);
  }
  const asset = await staticFile(request, url, handlers.assets);
  if (asset) return asset;
  const admitted = await admitPageRequest(request, url, config);
  const response = admitted instanceof Request ? await handlers.app(admitted, routerContext(scope)) : admitted;
  return withHeaders(response, { "X-Request-Id": scope.requestId });
}

/** The built file at this path, or null when there is none (a page, then). */
async function staticFile(request: Request, url: URL, assets: Fetcher | undefined): Promise<Response | null> {
  if (!assets || (request.method !== "GET" && request.method !== "HEAD")) return null;
  // Only a path whose last segment names a file can be one (pages have no extension), so a page
  // view costs no look-up.
  const last = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  if (!last.includes(".")) return null;
  const response = await assets.fetch(request);
  return response.status === 404 ? null : response;
}

/** The API host is for programs: no crawler has anything to read there. */
function apiHostRobots(requestId: string): Response {
  return new Response("User-agent: *\nDisallow: /\n", {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "public, max-age=86400",
      "X-Content-Type-Options": "nosniff",
      "X-Request-Id": requestId,
    },
  });
}

async function serveApi(request: Request, url: URL, scope: RequestScope, match: ApiMatch, offApi = false) {
  const { config, requestId } = scope;
  let response: Response;
  try {
    if (request.method === "OPTIONS") response = preflight(request, config.allowedOrigins);
    else if (offApi) throw notFound("The API host serves API paths only.");
    else if (config.problems.length > 0 && !match.route?.alwaysOn) throw misconfigured(scope);
    else if (!match.route) throw notFound("No API endpoint at this path.");
    else response = await match.route.endpoint.serve({ request, url, params: match.params, scope });
  } catch (thrown) {
    const format = match.route ? match.route.errors : match.errors;
    response = format(toApiError(thrown, requestId), requestId);
  }
  const out = ownHeaders(request, response);
  out.headers.set("X-Request-Id", requestId);
  out.headers.set("X-Content-Type-Options", "nosniff");
  applyCors(request, out.headers, config.allowedOrigins);
  if (!out.headers.has("Cache-Control")) out.headers.set("Cache-Control", "no-store");
  if (scope.timing) {
    scope.timing.mark("respond");
    out.headers.set("Server-Timing", scope.timing.header());
  }
  return out;
}

/** The response, with headers the pipeline may change: copied only when they are immutable (or for HEAD). */
function ownHeaders(request: Request, response: Response): Response {
  if (request.method === "HEAD") return new Response(null, response);
  try {
    response.headers.set("X-Request-Id", "");
    return response;
  } catch {
    return new Response(response.body, response);
  }
}

function misconfigured(scope: RequestScope): ApiError {
  const names = scope.config.problems.map((problem) => problem.name);
  return new ApiError(503, "misconfigured", `The service is misconfigured: ${names.join(", ")}.`, { names });
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  return out;
}
