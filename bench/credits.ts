// `npm run bench:credits`: reserve + settle cycles per second on the credit ledger (the real
// Durable Object, in workerd), against one account and spread across many accounts.
// Options: --ops N (default 3000), --port P.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, runWrangler, waitForHttp } from "../scripts/lib/processes.ts";

const { values } = parseArgs({
  options: { ops: { type: "string", default: "3000" }, port: { type: "string", default: "8860" } },
});
const base = `http://127.0.0.1:${values.port}`;
const state = mkdtempSync(join(tmpdir(), "ledger-bench-"));
const worker = runWrangler(
  [
    "dev",
    "--local",
    "--config",
    join(ROOT, "bench", "ledger", "wrangler.toml"),
    "--port",
    values.port,
    "--ip",
    "127.0.0.1",
    "--persist-to",
    state,
    "--log-level",
    "warn",
    "--show-interactive-dev-session=false",
  ],
  { quiet: true },
);

try {
  await waitForHttp(`${base}/?ops=1&accounts=1&concurrency=1`, 60_000, worker);
  await fetch(`${base}/?ops=500&accounts=4&concurrency=8`); // warm up
  console.log(`\nCredit ledger: reserve + settle cycles on the local runtime (${values.ops} cycles per row)\n`);
  console.log("  accounts  concurrency   cycles/s   (each cycle = 2 Durable Object calls, 2 SQLite transactions)");
  for (const [accounts, concurrency] of [
    [1, 1],
    [1, 16],
    [16, 16],
    [64, 64],
  ]) {
    const started = performance.now();
    const response = await fetch(`${base}/?ops=${values.ops}&accounts=${accounts}&concurrency=${concurrency}`);
    const result = (await response.json()) as { ops: number; failed: number };
    const seconds = (performance.now() - started) / 1000;
    const rate = ((result.ops - result.failed) / seconds).toFixed(0);
    console.log(
      `  ${String(accounts).padStart(8)}  ${String(concurrency).padStart(11)}   ${rate.padStart(8)}${result.failed ? `   (${result.failed} refused)` : ""}`,
    );
  }
} finally {
  worker.kill("SIGTERM");
}
