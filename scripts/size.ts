// `npm run size`: what the product weighs, gzipped — the Worker bundle, and the JavaScript a
// browser downloads to open the chat page (from React Router's client manifest). Builds first
// unless --no-build.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT, runToEnd } from "./lib/processes.ts";

const CHAT_BUDGET_KB = 150;

if (!process.argv.includes("--no-build")) await runToEnd("react-router", ["build"], true);

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).byteLength;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const serverJs = filesUnder(join(ROOT, "build", "server")).filter((file) => file.endsWith(".js"));
const workerRaw = serverJs.reduce((sum, file) => sum + statSync(file).size, 0);
const workerGzip = serverJs.reduce((sum, file) => sum + gz(file), 0);

const assets = join(ROOT, "build", "client", "assets");
const manifestFile = readdirSync(assets).find((name) => /^manifest-.*\.js$/.test(name));
if (!manifestFile) throw new Error("no client manifest in build/client/assets; did the build run?");
const manifestText = readFileSync(join(assets, manifestFile), "utf8");
const manifest = JSON.parse(manifestText.replace(/^window\.__reactRouterManifest=/, "").replace(/;\s*$/, "")) as {
  entry: { module: string; imports: string[] };
  routes: Record<string, { module: string; imports?: string[]; css?: string[] }>;
};

function pageFiles(routeIds: string[]): { js: string[]; css: string[] } {
  const js = new Set([`/assets/${manifestFile}`, manifest.entry.module, ...manifest.entry.imports]);
  const css = new Set<string>();
  for (const id of routeIds) {
    const route = manifest.routes[id];
    if (!route) throw new Error(`route ${id} is not in the client manifest`);
    js.add(route.module);
    for (const file of route.imports ?? []) js.add(file);
    for (const file of route.css ?? []) css.add(file);
  }
  return { js: [...js], css: [...css] };
}

function weigh(files: string[]) {
  return files.reduce((sum, file) => sum + gz(join(ROOT, "build", "client", file)), 0);
}

const chat = pageFiles(["root", "routes/home"]);
const chatJs = weigh(chat.js);
console.log(`Worker bundle:        ${kb(workerRaw)} raw, ${kb(workerGzip)} gzipped (${serverJs.length} files)`);
console.log(`Chat page JavaScript: ${kb(chatJs)} gzipped in ${chat.js.length} files (budget ${CHAT_BUDGET_KB} KB)`);
console.log(`Chat page CSS:        ${kb(weigh(chat.css))} gzipped`);
if (manifest.routes["routes/admin"]) {
  console.log(`Admin page JavaScript: ${kb(weigh(pageFiles(["root", "routes/admin"]).js))} gzipped`);
}
if (chatJs > CHAT_BUDGET_KB * 1024) {
  console.error(`The chat page ships more than ${CHAT_BUDGET_KB} KB of JavaScript.`);
  process.exitCode = 1;
}
