// `npm run dev`: hot-reloading development (Vite + the Cloudflare plugin, workerd underneath)
// with the same embedded defaults as `npm start`: .dev.vars and the local development model.
import { parseArgs } from "node:util";
import { startModelServer } from "../dev/model-server.ts";
import { ensureDevVars } from "./lib/dev-vars.ts";
import { finished, run } from "./lib/processes.ts";

const { values } = parseArgs({ options: { port: { type: "string", default: process.env.PORT ?? "5173" } } });
const port = Number(values.port);
const devVars = ensureDevVars(".dev.vars", port, Number(process.env.UPSTREAM_PORT ?? 8799));
const base = devVars.vars.OPENAI_BASE ? new URL(devVars.vars.OPENAI_BASE) : undefined;
const upstream =
  base && ["127.0.0.1", "localhost"].includes(base.hostname)
    ? await startModelServer({ port: Number(base.port), apiKey: devVars.vars.OPENAI_API_KEY })
    : undefined;
if (devVars.created) console.log(`Generated .dev.vars; admin key (shown once): ${devVars.vars.ADMIN_API_KEY}`);
if (upstream) console.log(`Local development model at ${upstream.url}`);

const vite = run("react-router", ["dev", "--host", "127.0.0.1", "--port", String(port), "--strictPort"]);
const stop = () => vite.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
const code = await finished(vite);
await upstream?.close();
process.exit(code);
