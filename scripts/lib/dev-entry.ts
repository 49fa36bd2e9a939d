// `npm start` serves the production build through `wrangler dev`, which does not bundle it and
// so leaves out wrangler's dev-only middleware that drains a request body the Worker answered
// without reading. Without it the local dev proxy loses its connection and answers 500 for that
// request or the next one (cloudflare/workers-sdk#15203, #15709) — every early refusal (401,
// 404, 405, 413 before reading) of a request with a body could do that. Deployed, Cloudflare
// needs no draining, so the build stays as it is: this writes, beside it, an entry that drains
// before answering (as wrangler's middleware does; draining after answering is too late for the
// proxy) and a config that uses it, for local runs only.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";

const ENTRY = `// Written by scripts/lib/dev-entry.ts for local runs (npm start); never deployed.
import worker from "./index.js";
export * from "./index.js";

async function drain(request) {
  try {
    if (request.body && !request.bodyUsed) {
      const reader = request.body.getReader();
      while (!(await reader.read()).done) {}
    }
  } catch {
    // Already read, cancelled or gone: nothing left to drain.
  }
}

export default {
  ...worker,
  async fetch(request, env, ctx) {
    try {
      return await worker.fetch(request, env, ctx);
    } finally {
      await drain(request);
    }
  },
};
`;

/**
 * Writes the draining entry beside `configPath` (the build's wrangler.json, or a configuration
 * derived from it in the same folder) and a copy of that configuration that uses it; the
 * copy's path.
 */
export function writeDevEntry(configPath: string): string {
  const folder = dirname(configPath);
  writeFileSync(join(folder, "dev-entry.js"), ENTRY);
  const config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
  const path = join(folder, `${basename(configPath, extname(configPath))}.draining.json`);
  writeFileSync(path, JSON.stringify({ ...config, main: "dev-entry.js" }, null, 2));
  return path;
}
