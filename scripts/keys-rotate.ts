// `npm run keys:rotate`: rotate the RS256 guest-token key without breaking a single token.
//
//   npm run keys:rotate -- [--remote | --local [--persist-to DIR]] [--kid k2]   publish a new key
//   npm run keys:rotate -- [--remote | --local] --retire k1 [--current k2]      remove an old key
//   npm run keys:rotate -- [--remote | --local] --list                           show the set
//
// Publishing writes the new public key beside the old ones in KV `KEYS` (under `jwks`) and the
// private key to keys/<kid>.pem (0600, git-ignored). The operator then switches the Worker to
// it, and retires the old key once every token it signed has expired. --local works on the
// local state `npm start` uses; --install-dev-vars also switches .dev.vars to the new key.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readDevVars, serialize } from "./lib/dev-vars.ts";
import { generateKey, nextKid, parseSet, withKey, withoutKey } from "./lib/jwks.ts";
import { ROOT, toolEnv, toolPath } from "./lib/processes.ts";

const { values } = parseArgs({
  options: {
    remote: { type: "boolean", default: false },
    local: { type: "boolean", default: false },
    "persist-to": { type: "string", default: join(ROOT, ".wrangler", "state") },
    config: { type: "string", default: join(ROOT, "wrangler.toml") },
    kid: { type: "string" },
    retire: { type: "string" },
    current: { type: "string" },
    list: { type: "boolean", default: false },
    "out-dir": { type: "string", default: join(ROOT, "keys") },
    "install-dev-vars": { type: "boolean", default: false },
    "jwt-ttl": { type: "string", default: "3600" },
  },
});

if (values.remote === values.local) {
  console.error("Say where the keys live: --remote (the deployed KV namespace) or --local (npm start's state).");
  process.exit(2);
}

const target = values.remote ? ["--remote"] : ["--local", "--persist-to", values["persist-to"]];

function wrangler(args: string[]) {
  return spawnSync(toolPath("wrangler"), [...args, "--binding", "KEYS", "--config", values.config, ...target], {
    cwd: ROOT,
    encoding: "utf8",
    env: toolEnv(),
  });
}

function readSet() {
  const result = wrangler(["kv", "key", "get", "jwks", "--text"]);
  const text = result.stdout.trim();
  if (result.status !== 0 || /value not found/i.test(`${text}${result.stderr}`)) return parseSet(null);
  return parseSet(text);
}

function writeSet(set: ReturnType<typeof parseSet>) {
  const file = join(values["out-dir"], ".jwks.json");
  mkdirSync(values["out-dir"], { recursive: true });
  writeFileSync(file, JSON.stringify(set));
  const result = wrangler(["kv", "key", "put", "jwks", "--path", file]);
  rmSync(file, { force: true });
  if (result.status !== 0) throw new Error(`could not write the key set:\n${result.stderr || result.stdout}`);
}

function currentKid(): string {
  if (values.current) return values.current;
  if (values.local && existsSync(join(ROOT, ".dev.vars"))) {
    const kid = readDevVars(join(ROOT, ".dev.vars")).KID;
    if (kid) return kid;
  }
  return readFileSync(values.config, "utf8").match(/^\s*KID\s*=\s*"([^"]+)"/m)?.[1] ?? "k1";
}

function main() {
  const set = readSet();
  const where = values.remote ? "the deployed KEYS namespace" : `local state in ${values["persist-to"]}`;
  const old = currentKid();

  if (values.list) {
    console.log(`Published in ${where}: ${set.keys.map((key) => key.kid).join(", ") || "(none)"}; KID in use: ${old}`);
    return;
  }

  if (values.retire) {
    const next = withoutKey(set, values.retire, old);
    writeSet(next);
    console.log(`Retired ${values.retire}. Published now: ${next.keys.map((key) => key.kid).join(", ")}.`);
    console.log("Tokens signed by it no longer verify (within a minute, as KV caches expire).");
    return;
  }

  const kid = values.kid ?? nextKid(set, old);
  if (kid === old) throw new Error(`${kid} is the KID in use; pick another --kid`);
  const { privatePem, publicJwk } = generateKey(kid);
  const published = withKey(set, publicJwk);
  mkdirSync(values["out-dir"], { recursive: true, mode: 0o700 });
  const pemFile = join(values["out-dir"], `${kid}.pem`);
  writeFileSync(pemFile, privatePem, { mode: 0o600 });
  writeSet(published);
  const waitSec = Number(values["jwt-ttl"]) + 60;

  console.log(`Published the public key ${kid} in ${where} (now: ${published.keys.map((k) => k.kid).join(", ")}).`);
  console.log(`Its private key is in ${pemFile} (mode 0600, git-ignored). Never commit or paste it anywhere.\n`);
  if (values["install-dev-vars"] && values.local) {
    const devVarsFile = join(ROOT, ".dev.vars");
    const vars = existsSync(devVarsFile) ? readDevVars(devVarsFile) : {};
    writeFileSync(devVarsFile, serialize({ ...vars, PRIVATE_KEY_PEM: privatePem, KID: kid }), { mode: 0o600 });
    console.log(`Switched .dev.vars to ${kid}; restart npm start. Then, after ${waitSec} s:`);
  } else {
    console.log("Next steps:");
    console.log("  1. Wait about a minute, so every edge sees the new public key.");
    console.log(`  2. Switch signing to it: npx wrangler secret put PRIVATE_KEY_PEM < ${pemFile}`);
    console.log(`     and set KID = "${kid}" in wrangler.toml [vars]; commit and deploy from main.`);
    console.log(
      `  3. After the longest token lifetime (JWT_TTL_SEC + 60 s leeway = ${waitSec} s), every ${old} token has expired:`,
    );
  }
  console.log(`     npm run keys:rotate -- ${values.remote ? "--remote" : "--local"} --retire ${old}`);
}

try {
  main();
} catch (error) {
  console.error(`keys:rotate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
