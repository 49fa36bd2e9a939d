// The API's route table as data, and the one way a request path is matched against it. A path
// is compared in one normal form — percent-decoded segment by segment (a malformed escape or an
// encoded slash stays as it is and so matches nothing), case-insensitive, empty segments dropped (so repeated and
// trailing slashes do not count) — by splitting and comparing, never by a backtracking regex.
// The API's namespaces (/api, /auth, /.well-known, /si) are derived from the table: the first
// segment of every route with more than one; a path inside one that no route serves is the
// API's 404, in the namespace's own error format.
import type { Endpoint, EndpointArgs } from "./endpoint";
import { type ApiError, envelopeResponse } from "./errors";

/** How a route's errors look on the wire (the envelope unless a route says otherwise). */
export type ErrorFormat = (error: ApiError, requestId: string) => Response;

export interface RouteOptions {
  /** Answers even while the configuration is broken (health, JWKS), so operators can see why. */
  alwaysOn?: boolean;
  errors?: ErrorFormat;
}

type Segments<Path extends string> = Path extends `${infer Head}/${infer Tail}` ? Head | Segments<Tail> : Path;
type ParamOf<Segment> = Segment extends `:${infer Name}` ? Name : never;
/** The parameter names of a pattern: ParamNames<"/api/jobs/:id"> is "id". */
export type ParamNames<Path extends string> = ParamOf<Segments<Path>>;
/** The names every one of the paths supplies (an alias without `:id` cannot serve an `id` endpoint). */
type SharedParams<Path extends string> = (Path extends string ? (names: ParamNames<Path>) => void : never) extends (
  names: infer Shared,
) => void
  ? Shared & string
  : never;

type Part = { literal: string } | { param: string };

export interface ApiRoute {
  paths: readonly string[];
  alwaysOn: boolean;
  errors: ErrorFormat;
  endpoint: { allow: string; serve(args: EndpointArgs<string>): Promise<Response> };
}

/** One entry of the table: the runbook's path first, then its aliases, all served alike. */
export function route<Path extends string>(
  paths: Path | readonly [Path, ...Path[]],
  handlers: Endpoint<SharedParams<Path>>,
  options: RouteOptions = {},
): ApiRoute {
  return {
    paths: typeof paths === "string" ? [paths] : paths,
    alwaysOn: options.alwaysOn ?? false,
    errors: options.errors ?? envelopeResponse,
    // The signature above has checked that every path supplies the params the handlers read.
    endpoint: handlers as unknown as ApiRoute["endpoint"],
  };
}

export type ApiMatch =
  | { route: ApiRoute; params: Record<string, string> }
  /** Inside an API namespace, but no route serves the path. */
  | { route: null; errors: ErrorFormat };

export interface ApiTable {
  routes: readonly ApiRoute[];
  /** The route for `pathname`, the API's 404 inside a namespace, or null: not an API path. */
  match(pathname: string): ApiMatch | null;
}

/** A path's segments in the one normal form: decoded, without empty segments. */
export function pathSegments(pathname: string): string[] {
  const segments: string[] = [];
  for (const raw of pathname.split("/")) {
    if (!raw) continue;
    let segment = raw;
    if (raw.includes("%")) {
      try {
        const decoded = decodeURIComponent(raw);
        // An encoded slash is part of its segment, not a separator (as the router has it).
        if (!decoded.includes("/")) segment = decoded;
      } catch {
        // A malformed escape: kept as sent, so it equals no route's segment.
      }
    }
    segments.push(segment);
  }
  return segments;
}

function compile(path: string): Part[] {
  return pathSegments(path).map((segment) =>
    segment.startsWith(":") ? { param: segment.slice(1) } : { literal: segment.toLowerCase() },
  );
}

/** The params of `parts` in the path, or null when the path has another shape. */
function bind(parts: Part[], segments: string[], lower: string[]): Record<string, string> | null {
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    if ("param" in part) params[part.param] = segments[i] ?? "";
    else if (part.literal !== lower[i]) return null;
  }
  return params;
}

export function apiTable(routes: readonly ApiRoute[]): ApiTable {
  const exact = new Map<string, ApiRoute>();
  const patterns: Array<{ parts: Part[]; route: ApiRoute }> = [];
  const namespaces = new Map<string, ErrorFormat>();
  for (const route of routes) {
    for (const path of route.paths) {
      const parts = compile(path);
      const first = parts[0];
      if (first && "literal" in first && parts.length > 1 && !namespaces.has(first.literal)) {
        namespaces.set(first.literal, route.errors);
      }
      if (parts.every((part) => "literal" in part)) {
        const key = parts.map((part) => ("literal" in part ? part.literal : "")).join("/");
        if (exact.has(key)) throw new Error(`two API routes claim ${path}`);
        exact.set(key, route);
      } else patterns.push({ parts, route });
    }
  }

  return {
    routes,
    match(pathname) {
      const segments = pathSegments(pathname);
      const lower = segments.map((segment) => segment.toLowerCase());
      const found = exact.get(lower.join("/"));
      if (found) return { route: found, params: {} };
      for (const { parts, route } of patterns) {
        const params = bind(parts, segments, lower);
        if (params) return { route, params };
      }
      const errors = namespaces.get(lower[0] ?? "");
      return errors ? { route: null, errors } : null;
    },
  };
}
