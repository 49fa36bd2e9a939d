// `npm start`: the whole product on this machine, offline, with embedded defaults — the local
// development model (dev/model-server.ts) unless a real model server is configured, a production
// build of the Worker served by `wrangler dev --local`, local KV/R2/Durable Objects under
// .wrangler/state, and the */5 cron ticking as it would deployed.
//
// Options: --port N (or PORT; default 8787), --persist-to DIR, --dev-vars FILE,
//          --var NAME=VALUE (repeatable; overrides .dev.vars), --fresh (start from empty local
//          state), --no-build, --quiet, --config FILE (a wrangler configuration to run instead of
//          the build's own), --dev-model /
//          --no-dev-model (always / never start the development model; scripts/lib/model-choice.ts
//          says when it starts otherwise).
// OPENAI_BASE, OPENAI_MODEL and PREFERRED_PROVIDER in the environment override .dev.vars:
// `OPENAI_BASE=http://localhost:11434/v1 OPENAI_MODEL=llama3.2 npm start` answers from Ollama.
// Stopping: SIGTERM drains first (scripts/lib/graceful-stop.ts); a second signal stops at once.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startModelServer } from "../dev/model-server.ts";
import { writeDevEntry } from "./lib/dev-entry.ts";
import { ensureDevVars } from "./lib/dev-vars.ts";
import { drainDeadlineMs, installGracefulStop, newDrainSecret } from "./lib/graceful-stop.ts";
import { chooseModelServer, FROM_ENVIRONMENT, modelLines } from "./lib/model-choice.ts";
import { ROOT, runToEnd, runWrangler, waitForHttp } from "./lib/processes.ts";

const { values } = parseArgs({
  options: {
    // Spelled out: parseArgs' allowNegative would read --no-build as "build: false".
    "dev-model": { type: "boolean", default: false },
    "no-dev-model": { type: "boolean", default: false },
    port: { type: "string", default: process.env.PORT ?? "8787" },
    "persist-to": { type: "string", default: join(ROOT, ".wrangler", "state") },
    "dev-vars": { type: "string", default: join(ROOT, ".dev.vars") },
    var: { type: "string", multiple: true, default: [] },
    "no-build": { type: "boolean", default: false },
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

const devModelPort = Number(process.env.UPSTREAM_PORT ?? port + 12);
const devVars = ensureDevVars(values["dev-vars"], port, devModelPort);
const fromEnvironment = Object.fromEntries(
  FROM_ENVIRONMENT.flatMap((name) => (process.env[name]?.trim() ? [[name, process.env[name] ?? ""]] : [])),
);
const given = Object.fromEntries(
  values.var.map((pair) => {
    const eq = pair.indexOf("=");
    if (eq < 1) throw new Error(`--var takes NAME=VALUE, not ${pair}`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  }),
);
const overrides: Record<string, string> = { ...fromEnvironment, ...given };
const choice = chooseModelServer(
  { ...devVars.vars, ...overrides },
  {
    baseFromEnvironment: Boolean(fromEnvironment.OPENAI_BASE && !given.OPENAI_BASE),
    flag: values["no-dev-model"] ? false : values["dev-model"] ? true : undefined,
    fallbackPort: devModelPort,
  },
);
Object.assign(overrides, choice.overrides);
const vars = { ...devVars.vars, ...overrides };

// The local development model, only when no real model server is configured (or when asked).
let upstream: Awaited<ReturnType<typeof startModelServer>> | undefined;
let devModelNote: string | null = null;
if (choice.devModel) {
  try {
    upstream = await startModelServer({
      port: Number(choice.devModel.port),
      apiKey: vars.OPENAI_API_KEY,
      quiet: values.quiet,
    });
    devModelNote = choice.devModel.href;
    // Read-aloud offline: Cartesia's stand-in on the same server, unless a real Cartesia is set
    // (a .dev.vars from before read-aloud has no Cartesia lines; a loopback base means the stand-in).
    const cartesiaBase = vars.CARTESIA_BASE ? new URL(vars.CARTESIA_BASE) : undefined;
    if (!vars.CARTESIA_API_KEY || (cartesiaBase && ["127.0.0.1", "localhost"].includes(cartesiaBase.hostname))) {
      overrides.CARTESIA_BASE ??= upstream.url;
      overrides.CARTESIA_API_KEY ??= vars.CARTESIA_API_KEY ?? vars.OPENAI_API_KEY ?? "";
    }
  } catch (error) {
    if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
    // Something already answers there: it is the model server, not ours to replace.
    console.warn(`Port ${choice.devModel.port} is taken; ${choice.devModel.href} is used as it is.`);
  }
}

if (!values["no-build"]) await runToEnd("react-router", ["build"], true);

if (values.fresh) rmSync(values["persist-to"], { recursive: true, force: true });
mkdirSync(values["persist-to"], { recursive: true });
// wrangler reads .dev.vars beside the built config; explicit overrides are passed as --var.
const wranglerArgs = [
  "dev",
  ...writeDevEntry(values.config ?? join(ROOT, "build", "server", "wrangler.json")).flatMap((config) => [
    "--config",
    config,
  ]),
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
  providers?: Array<{ name: string; model: string; configured: boolean; reason?: string }>;
  identity_mode?: string;
};
console.log(`\nCognomega is running at ${origin}`);
console.log(`  chat:   ${origin}/`);
console.log(`  admin:  ${origin}/admin`);
console.log(
  `  health: ${ready.ok ? "ready" : "NOT ready"} (provider ${ready.provider ?? "none"}, model ${ready.model ?? "none"})`,
);
for (const line of await modelLines(ready.providers ?? [], vars, devModelNote)) console.log(line);
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
