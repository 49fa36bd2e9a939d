// `npm test`: every check the project has, in order — types, lint, Worker tests in workerd,
// end-to-end tests in Chromium against the server as `npm start` runs it, the crash harness
// (tests/crash: the runtime killed mid-answer, and a graceful stop), a deploy dry run and the
// bundle sizes — then one summary line, `N passed, N failed`.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { finished, ROOT, run } from "./lib/processes.ts";

interface Stage {
  name: string;
  command: string;
  args: string[];
  /** Reads how many tests passed and failed from a reporter's JSON file. */
  counts?: () => { passed: number; failed: number };
}

function readJson(file: string): unknown {
  const path = join(ROOT, file);
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
}

const stages: Stage[] = [
  { name: "typecheck", command: "npm", args: ["run", "--silent", "typecheck"] },
  { name: "lint", command: "biome", args: ["check", "."] },
  {
    name: "worker tests (workerd)",
    command: "vitest",
    args: ["run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/worker.json"],
    counts: () => {
      const report = readJson("test-results/worker.json") as { numPassedTests: number; numFailedTests: number } | null;
      return report ? { passed: report.numPassedTests, failed: report.numFailedTests } : { passed: 0, failed: 1 };
    },
  },
  {
    name: "end-to-end tests (Chromium)",
    command: "npm",
    args: ["run", "--silent", "test:e2e"],
    counts: () => {
      const report = readJson("test-results/e2e.json") as {
        stats: { expected: number; unexpected: number; flaky: number };
      } | null;
      return report
        ? { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected }
        : { passed: 0, failed: 1 };
    },
  },
  {
    name: "crash safety (tests/crash)",
    command: "npm",
    args: ["run", "--silent", "test:crash"],
    counts: () => {
      const report = readJson("test-results/crash.json") as { passed: number; failed: number } | null;
      return report ?? { passed: 0, failed: 1 };
    },
  },
  { name: "wrangler deploy --dry-run", command: "npm", args: ["run", "--silent", "deploy:check"] },
  { name: "bundle sizes", command: "node", args: ["scripts/size.ts", "--no-build"] },
];

rmSync(join(ROOT, "test-results"), { recursive: true, force: true });
let passed = 0;
let failed = 0;
const summary: string[] = [];
for (const stage of stages) {
  console.log(`\n━━ ${stage.name} ━━`);
  const started = Date.now();
  const code = await finished(run(stage.command, stage.args));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const counts = stage.counts?.() ?? (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
  // A runner that crashed before reporting still fails its stage.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  summary.push(`${code === 0 ? "ok  " : "FAIL"} ${stage.name} (${seconds} s)`);
}

console.log(`\n${summary.join("\n")}\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
