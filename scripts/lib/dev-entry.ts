// `npm start` serves the production build through `wrangler dev`, which does not bundle it and
// so leaves out wrangler's dev-only middleware that drains a request body the Worker answered
// without reading. Without it the local dev proxy loses its connection and answers 500 for that
// request or the next one (cloudflare/workers-sdk#15203, #15709) — every early refusal (401,
// 404, 405, 413 before reading) of a request with a body could do that. Deployed, Cloudflare
// needs no draining, so the build stays as it is: this writes, beside it, an entry that drains
// before answering (as wrangler's middleware does; draining after answering is too late for the
// proxy) and a config that uses it, for local runs only.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";

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
 * derived from it in the same folder) and the configurations `wrangler dev` runs: the Worker's,
 * using that entry, and — when the build has static assets — a second, assets-only Worker that
 * the first reaches through its `ASSETS` binding. Returns their paths, the Worker's first.
 *
 * Why two Workers locally: `wrangler dev` puts a Worker that has `[assets]` behind two proxy
 * Workers of its own (an RPC proxy and the asset router), so every API request made two extra
 * in-process hops — about 2 ms and 1.3 ms of CPU each on the development machine, more than the
 * gateway's own work (docs/decisions/013). Deployed, Cloudflare routes before the Worker itself,
 * and with `run_worker_first = true` every request reaches the Worker first, which is exactly
 * what this layout does: the Worker answers everything and hands file paths to `ASSETS`.
 */
export function writeDevEntry(configPath: string): string[] {
  const folder = dirname(configPath);
  writeUnlessSame(join(folder, "dev-entry.js"), ENTRY);
  const config = JSON.parse(readFileSync(configPath, "utf8")) as DevConfig;
  const stem = basename(configPath, extname(configPath));
  const path = join(folder, `${stem}.draining.json`);
  const { assets, ...worker } = config;
  if (!assets?.directory) {
    writeUnlessSame(path, JSON.stringify({ ...config, main: "dev-entry.js" }, null, 2));
    return [path];
  }
  if (assets.run_worker_first !== true || !assets.binding) {
    throw new Error(
      `${configPath}: the local layout needs [assets] run_worker_first = true and a binding (the Worker answers first and hands files on)`,
    );
  }
  const assetsName = `${config.name}-assets`;
  const assetsPath = join(folder, `${stem}.assets.json`);
  const { binding, run_worker_first: _first, ...serving } = assets;
  writeUnlessSame(
    assetsPath,
    JSON.stringify(
      {
        name: assetsName,
        compatibility_date: config.compatibility_date,
        assets: { ...serving, directory: resolve(folder, assets.directory) },
      },
      null,
      2,
    ),
  );
  const services = [...(config.services ?? []), { binding, service: assetsName }];
  writeUnlessSame(path, JSON.stringify({ ...worker, main: "dev-entry.js", services }, null, 2));
  return [path, assetsPath];
}

/**
 * Another `npm start` may be serving these very files (the end-to-end suite starts a second one
 * on the same build): wrangler reloads whatever changes under it, and a file read half-written
 * would crash its Worker. So a file already as wanted is left alone, and a changed one appears
 * whole (written aside, then renamed over).
 */
function writeUnlessSame(path: string, content: string): void {
  if (existsSync(path) && readFileSync(path, "utf8") === content) return;
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, content);
  renameSync(aside, path);
}

interface DevConfig {
  name: string;
  compatibility_date?: string;
  services?: { binding: string; service: string }[];
  assets?: { binding?: string; directory?: string; run_worker_first?: boolean | string[]; [option: string]: unknown };
  [key: string]: unknown;
}
