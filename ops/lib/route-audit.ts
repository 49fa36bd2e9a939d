// The route audit: exactly one Worker route may own the API host, and it must cover every
// path on it — otherwise a second route (or a Pages project) can shadow the API.
import { unstable_readConfig } from "wrangler";

export interface RouteAudit {
  ok: boolean;
  configPath: string;
  apiHost: string;
  routes: string[];
  owners: string[];
  message: string;
}

type RouteEntry = string | { pattern: string; zone_name?: string; zone_id?: string; custom_domain?: boolean };

function hostGlobMatches(glob: string, host: string): boolean {
  const pattern = new RegExp(
    `^${glob
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return pattern.test(host);
}

/** Does this route pattern (host/path, with * wildcards) take requests for `host`? */
export function routeOwnsHost(pattern: string, host: string): boolean {
  const withoutScheme = pattern.replace(/^https?:\/\//, "");
  const slash = withoutScheme.indexOf("/");
  const routeHost = slash < 0 ? withoutScheme : withoutScheme.slice(0, slash);
  return hostGlobMatches(routeHost, host);
}

export function auditRoutes(configPath: string, apiHost: string): RouteAudit {
  const config = unstable_readConfig({ config: configPath });
  const entries = (config.routes ?? (config.route ? [config.route] : [])) as RouteEntry[];
  const routes = entries.map((entry) => (typeof entry === "string" ? entry : entry.pattern));
  const owners = routes.filter((pattern) => routeOwnsHost(pattern, apiHost));
  const wanted = `${apiHost}/*`;
  let message: string;
  let ok = false;
  if (owners.length === 0) message = `no route in ${configPath} serves ${apiHost}; add { pattern = "${wanted}" }`;
  else if (owners.length > 1)
    message = `${owners.length} routes claim ${apiHost} (${owners.join(", ")}); keep only ${wanted}`;
  else if (owners[0] !== wanted)
    message = `the route for ${apiHost} is ${owners[0]}, which does not cover every path; use ${wanted}`;
  else {
    ok = true;
    message = `exactly one route owns ${apiHost}: ${wanted}`;
  }
  return { ok, configPath, apiHost, routes, owners, message };
}
