// `npm run config:docs`: writes README.md's configuration table and wrangler.toml's [vars] from
// the one list of variables (app/server/config-vars.ts). With --check it writes nothing and
// exits 1 when either file is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withConfigTable, withVars } from "./lib/config-docs.ts";
import { ROOT } from "./lib/processes.ts";

const check = process.argv.includes("--check");
let stale = 0;
for (const [file, update] of [
  ["README.md", withConfigTable],
  ["wrangler.toml", withVars],
] as const) {
  const path = join(ROOT, file);
  const before = readFileSync(path, "utf8");
  const after = update(before);
  if (before === after) continue;
  stale += 1;
  if (check) console.error(`${file} is out of date: run npm run config:docs`);
  else {
    writeFileSync(path, after);
    console.log(`wrote ${file}`);
  }
}
if (check && stale === 0) console.log("README.md and wrangler.toml match app/server/config-vars.ts");
process.exitCode = check && stale > 0 ? 1 : 0;
