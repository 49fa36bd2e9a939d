import { describe, expect, it } from "vitest";
import { API_ROUTES } from "../../app/api-routes";
import wranglerToml from "../../wrangler.toml?raw";

// wrangler.toml's [assets] run_worker_first sends API paths straight to the Worker, so the asset
// router does not first ask the asset store about each API request. The paths live in
// app/api-routes.ts; this keeps the patterns covering exactly the API.
const patterns = JSON.parse(wranglerToml.match(/^run_worker_first = (\[.*\])$/m)?.[1] ?? "[]") as string[];

/** The platform's rule: "/x/*" matches everything under /x/, anything else only itself. */
const matches = (pattern: string, path: string) =>
  pattern.endsWith("/*") ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
const claimed = (path: string) => patterns.some((pattern) => matches(pattern, path));
const apiPaths = API_ROUTES.routes.flatMap((route) => route.paths.map((path) => path.replace(/:[^/]+/g, "x")));

describe("API paths skip the static-asset lookup", () => {
  it("for every path in the API route table", () => {
    expect(apiPaths.filter((path) => !claimed(path))).toEqual([]);
  });

  it("and only for them: the web app's pages and files still come from the assets first", () => {
    expect(patterns.filter((pattern) => !apiPaths.some((path) => matches(pattern, path)))).toEqual([]);
    for (const path of ["/", "/admin", "/keys", "/assets/root.js", "/favicon.ico", "/manifest.webmanifest"]) {
      expect(claimed(path), path).toBe(false);
    }
  });
});
