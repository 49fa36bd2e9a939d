// `npm run ops:probe -- --base <url> [--origin <url>] [--email <email>] [--admin-key <key>]
//                      [--api-key <cg_sk_…>] [--proofs [--proofs-dir DIR]] [--config wrangler.toml]
//                      [--api-host HOST]`
// Runs the runbook's operator probes in order and the route audit; prints PASS/FAIL with the
// evidence and exits non-zero when anything failed. The account probes (credits, usage, upload)
// prove the account with an API key (COGNOMEGA_API_KEY or --api-key) or else the admin key
// (COGNOMEGA_ADMIN_KEY or --admin-key) — `IDENTITY_MODE=verified` needs one. Keys are best given
// in the environment so they stay out of shell history; they are never printed.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { actingAs, PROBES, type ProbeResult, runProbe } from "./lib/probes.ts";
import { writeProofs } from "./lib/proofs.ts";
import { auditRoutes } from "./lib/route-audit.ts";

const ROOT = join(import.meta.dirname, "..");

const { values } = parseArgs({
  options: {
    base: { type: "string" },
    origin: { type: "string", default: "https://app.cognomega.com" },
    email: { type: "string" },
    "admin-key": { type: "string" },
    "api-key": { type: "string" },
    proofs: { type: "boolean", default: false },
    "proofs-dir": { type: "string", default: join(ROOT, "ops", "proofs") },
    config: { type: "string", default: join(ROOT, "wrangler.toml") },
    "api-host": { type: "string", default: "api.cognomega.com" },
    timeout: { type: "string", default: "15000" },
    help: { type: "boolean", default: false },
  },
});

if (values.help || !values.base) {
  console.log("usage: npm run ops:probe -- --base https://api.cognomega.com [--origin https://app.cognomega.com]");
  console.log("       [--email you@example.com] [--proofs] [--config wrangler.toml] [--api-host api.cognomega.com]");
  console.log("       admin key: COGNOMEGA_ADMIN_KEY in the environment (or --admin-key)");
  console.log("       the account's API key: COGNOMEGA_API_KEY in the environment (or --api-key)");
  process.exit(values.help ? 0 : 2);
}

const apiKey = process.env.COGNOMEGA_API_KEY || values["api-key"] || undefined;
const options = {
  // With an API key the account is the key's own unless an email is named.
  email: values.email ?? (apiKey ? undefined : "ops-probe@cognomega.com"),
  base: values.base.replace(/\/+$/, ""),
  origin: values.origin.replace(/\/+$/, ""),
  adminKey: process.env.COGNOMEGA_ADMIN_KEY || values["admin-key"] || undefined,
  apiKey,
  timeoutMs: Number(values.timeout),
};

const color = process.stdout.isTTY
  ? (code: number, text: string) => `\x1b[${code}m${text}\x1b[0m`
  : (_: number, text: string) => text;

console.log(`Probing ${options.base} as ${actingAs(options)} from origin ${options.origin}\n`);
const results: ProbeResult[] = [];
for (const [index, probe] of PROBES.entries()) {
  const result = await runProbe(probe, options);
  results.push(result);
  console.log(`${result.ok ? color(32, "PASS") : color(31, "FAIL")}  ${index}) ${result.name}`);
  for (const line of result.evidence) console.log(`        ${line}`);
}

const audit = auditRoutes(values.config, values["api-host"]);
console.log(`${audit.ok ? color(32, "PASS") : color(31, "FAIL")}  route audit`);
console.log(`        ${audit.message}`);

if (values.proofs)
  console.log(`\nProofs written to ${writeProofs(values["proofs-dir"], options.base, results, audit)}`);

const failed = results.filter((result) => !result.ok).length + (audit.ok ? 0 : 1);
console.log(`\n${results.length + 1 - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
