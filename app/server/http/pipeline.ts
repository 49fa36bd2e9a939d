// Every request's way in. API requests — a path the API route table claims, or any path on an
// API host — go through the API pipeline: request id, CORS (preflights answered here, before any
// auth), the misconfiguration gate, the route's endpoint, errors in the route's format and
// `no-store`; React Router is not involved. Everything else is the web app's.
import { RouterContextProvider } from "react-router";
import { loadConfig } from "../config";
import { type RequestScope, requestScope } from "../context";
import type { ApiMatch, ApiTable } from "./api-table";
import { applyCors, preflight } from "./cors";
import { ApiError, envelopeResponse, notFound, toApiError } from "./errors";
import { CLIENT_KEY } from "./idempotency";
import { StageTimer } from "./server-timing";

export type RouterHandler = (request: Request, context: RouterContextProvider) => Promise<Response>;

export interface Handlers {
  /** The API's routes (app/api-routes.ts). */
  api: ApiTable;
  /** The web app: React Router's request handler. */
  app: RouterHandler;
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
  if (config.apiHosts.includes(url.hostname.toLowerCase())) return serveApi(request, url, scope, OFF_API, true);
  const response = await handlers.app(request, routerContext(scope));
  return withHeaders(response, { "X-Request-Id": scope.requestId });
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
