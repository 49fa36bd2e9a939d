// `npm start`: the whole product on this machine, offline, with embedded defaults — the local
// development model (dev/model-server.ts), a production build of the Worker served by
// `wrangler dev --local`, local KV/R2/Durable Objects under .wrangler/state, and the */5 cron
// ticking as it would deployed.
//
// Options: --port N (or PORT; default 8787), --persist-to DIR, --dev-vars FILE,
//          --var NAME=VALUE (repeatable; overrides .dev.vars), --fresh (start from empty local
//          state), --no-build, --quiet, --config FILE (a wrangler configuration to run instead of
//          the build's own; the benchmark uses one without static assets), --no-model (never start
//          the local model, even when OPENAI_BASE points at this machine: the caller runs one).
// Stopping: SIGTERM drains first (scripts/lib/graceful-stop.ts); a second signal stops at once.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startModelServer } from "../dev/model-server.ts";
import { ensureDevVars } from "./lib/dev-vars.ts";
import { drainDeadlineMs, installGracefulStop, newDrainSecret } from "./lib/graceful-stop.ts";
import { ROOT, runToEnd, runWrangler, waitForHttp } from "./lib/processes.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "8787" },
    "persist-to": { type: "string", default: join(ROOT, ".wrangler", "state") },
    "dev-vars": { type: "string", default: join(ROOT, ".dev.vars") },
    var: { type: "string", multiple: true, default: [] },
    "no-build": { type: "boolean", default: false },
    "no-model": { type: "boolean", default: false },
    config: { type: "string" },
    fresh: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535)
  throw new Error(`--port must be a TCP port, not ${values.port}`);
const origin = `http://127.0.0.1:${port}`;
const CRON = "*/5 * * * *";
const CRON_EVERY_MS = 5 * 60_000;

const devVars = ensureDevVars(values["dev-vars"], port, Number(process.env.UPSTREAM_PORT ?? port + 12));
const overrides = Object.fromEntries(
  values.var.map((pair) => {
    const eq = pair.indexOf("=");
    if (eq < 1) throw new Error(`--var takes NAME=VALUE, not ${pair}`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  }),
);
const vars = { ...devVars.vars, ...overrides };

// The local development model, when the OpenAI-compatible base points at this machine.
let upstream: Awaited<ReturnType<typeof startModelServer>> | undefined;
const base = vars.OPENAI_BASE ? new URL(vars.OPENAI_BASE) : undefined;
if (base && ["127.0.0.1", "localhost"].includes(base.hostname) && !values["no-model"]) {
  upstream = await startModelServer({ port: Number(base.port), apiKey: vars.OPENAI_API_KEY, quiet: values.quiet });
}

if (!values["no-build"]) await runToEnd("react-router", ["build"], true);

if (values.fresh) rmSync(values["persist-to"], { recursive: true, force: true });
mkdirSync(values["persist-to"], { recursive: true });
// wrangler reads .dev.vars beside the built config; explicit overrides are passed as --var.
const wranglerArgs = [
  "dev",
  "--local",
  "--ip",
  "127.0.0.1",
  "--port",
  String(port),
  "--persist-to",
  values["persist-to"],
  "--infer-origin-from-routes=false",
  "--test-scheduled",
  "--show-interactive-dev-session=false",
  "--log-level",
  values.quiet ? "warn" : "info",
  ...Object.entries(overrides).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
];
const drainSecret = newDrainSecret();
wranglerArgs.push("--var", `DRAIN_SECRET:${drainSecret}`);
if (values["dev-vars"] !== join(ROOT, ".dev.vars") || !existsSync(join(ROOT, "build", "server", ".dev.vars"))) {
  wranglerArgs.push("--env-file", values["dev-vars"]);
}
if (values.config) wranglerArgs.push("--config", values.config);
const worker = runWrangler(wranglerArgs);

installGracefulStop({
  worker,
  origin,
  secret: drainSecret,
  deadlineMs: drainDeadlineMs(vars),
  cleanup: async () => upstream?.close(),
});

await waitForHttp(`${origin}/ready`, 60_000, worker);
const ready = (await (await fetch(`${origin}/ready`)).json()) as {
  ok: boolean;
  provider?: string;
  model?: string;
  identity_mode?: string;
};
console.log(`\nCognomega is running at ${origin}`);
console.log(`  chat:   ${origin}/`);
console.log(`  admin:  ${origin}/admin`);
console.log(
  `  health: ${ready.ok ? "ready" : "NOT ready"} (provider ${ready.provider ?? "none"}, model ${ready.model ?? "none"})`,
);
if (upstream) console.log(`  model:  the local development model at ${upstream.url} (not a real LLM)`);
if (ready.identity_mode === "asserted") {
  console.warn("  WARNING: IDENTITY_MODE=asserted — anyone who names an email acts as that account (OPS.md §6).");
}
if (devVars.created) {
  console.log(`\nGenerated ${devVars.path} with a throw-away signing key and this admin key (shown once):`);
  console.log(`  ADMIN_API_KEY=${devVars.vars.ADMIN_API_KEY}`);
}

// Cloudflare runs the cron every five minutes; locally nobody would, so this does.
setInterval(() => {
  fetch(`${origin}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}`).catch(() => undefined);
}, CRON_EVERY_MS).unref();
