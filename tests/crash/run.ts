// `npm run test:crash` (and a step of `npm test`): the product killed mid-answer loses no money and
// leaves nothing stuck (issue 18), and a graceful stop drains. Phases, against the real runtime:
//   1. SIGKILL: asks in flight (streams a few seconds in, non-streaming ones whose upstream just
//      answered, two jobs mid-run), the whole `npm start` process group killed, restarted on the
//      same state; nobody touches the accounts until their holds are past due, then: every hold
//      resolved by the ledger's own alarm in time, streams charged with an `interrupted` record,
//      the invariant in every account, every Idempotency-Key retried without a 409, no job left
//      `running`.
//   2. SIGTERM: asks in flight finish and settle, new ones get 503, the runtime stops after them;
//      a second signal stops at once.
// Ports: CRASH_PORT (default 8840) for the product, the next one for the upstream. Writes
// test-results/crash.json for npm test's summary.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/processes.ts";
import { phaseDrain } from "./drain.ts";
import { current, dir, started, tally, upstream } from "./harness.ts";
import { phaseKill } from "./kill.ts";
import { killGroup } from "./product.ts";

let crashed: unknown = null;
try {
  await phaseKill();
  await phaseDrain();
} catch (error) {
  crashed = error;
  tally.failures.push(`the harness stopped: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  killGroup(current.product);
  await upstream.close();
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (tally.failures.length === 0) rmSync(dir, { recursive: true, force: true });
else console.log(`\nLogs and state kept in ${dir}`);
if (crashed) console.error(crashed);
console.log(`\ncrash harness: ${seconds} s`);
console.log(`${tally.passed} passed, ${tally.failures.length} failed`);
// For npm test's summary (scripts/test.ts).
mkdirSync(join(ROOT, "test-results"), { recursive: true });
const report = {
  passed: tally.passed,
  failed: tally.failures.length,
  seconds: Number(seconds),
  failures: tally.failures,
};
writeFileSync(join(ROOT, "test-results", "crash.json"), JSON.stringify(report, null, 2));
process.exit(tally.failures.length ? 1 : 0);
