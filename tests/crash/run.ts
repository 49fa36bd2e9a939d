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
// Ports: CRASH_PORT (default 8840) for the product, the next one for the upstream.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../../scripts/lib/dev-vars.ts";
import { ROOT } from "../../scripts/lib/processes.ts";
import { checkLedger, Tally, usageOf } from "./checks.ts";
import { type Account, accountView, headersFor, newAccount, startAsk } from "./client.ts";
import { killGroup, type Product, startProduct } from "./product.ts";
import { startSlowUpstream, WORDS } from "./upstream.ts";

const DEADLINE_MS = 9_000;
const GRACE_MS = 3_000;
const TTL_MS = DEADLINE_MS + GRACE_MS;
/** How late an alarm may fire on a loaded machine and still count as on time. */
const ALARM_SLACK_MS = 2_500;
const STREAMS = 20;
/** Phase 1's streams, and their whole output as a cut-short stream is counted (app/server/llm/tokens.ts). */
const LONG_WORDS = 120;
const MOST_OUT = Math.max(
  LONG_WORDS,
  Math.ceil(Array.from({ length: LONG_WORDS }, (_, i) => `word${i + 1}`).join(" ").length / 4),
);
const PLAIN = 10;

const port = Number(process.env.CRASH_PORT ?? 8840);
const dir = mkdtempSync(join(tmpdir(), "cognomega-crash-"));
const started = Date.now();
const tally = new Tally();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (line: string) => console.log(`[crash ${elapsed()}] ${line}`);

async function until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const devVars = ensureDevVars(join(dir, ".dev.vars"), port, port + 1);
const adminKey = devVars.vars.ADMIN_API_KEY as string;
const upstream = await startSlowUpstream(port + 1, devVars.vars.OPENAI_API_KEY as string);
const vars = {
  OPENAI_BASE: `${upstream.url}/v1`,
  PREFERRED_PROVIDER: "openai",
  LLM_DEADLINE_MS: String(DEADLINE_MS),
  HOLD_GRACE_MS: String(GRACE_MS),
  LLM_ATTEMPT_TIMEOUT_MS: String(DEADLINE_MS),
  NEW_ACCOUNT_CREDITS: "20",
};
let product: Product | undefined;
const start = async (label: string, build = false) => {
  product = await startProduct({ port, dir, vars, build, label });
  return product;
};

async function accounts(origin: string, label: string, count: number): Promise<Account[]> {
  const made: Account[] = [];
  for (let i = 0; i < count; i += 8) {
    const batch = Array.from({ length: Math.min(8, count - i) }, (_, j) => `crash-${label}-${i + j}@example.com`);
    made.push(...(await Promise.all(batch.map((email) => newAccount(origin, adminKey, email)))));
  }
  return made;
}

async function jobRequest(origin: string, account: Account, path: string, init: RequestInit = {}) {
  const response = await fetch(`${origin}${path}`, { ...init, headers: headersFor(account) });
  return {
    status: response.status,
    body: (await response.json()) as { job: { id: string; status: string; error?: { code: string } | null } },
  };
}

async function phaseKill(): Promise<void> {
  let running = await start("1-before-crash", true);
  step(`product up at ${running.origin}`);
  const [streamers, askers, jobbers] = [
    await accounts(running.origin, "stream", STREAMS),
    await accounts(running.origin, "plain", PLAIN),
    await accounts(running.origin, "job", 2),
  ];
  // Streams of 120 words (12 s): all still mid-answer at the kill, however unevenly they start.
  const long = (account: Account) => `[[upstream: words=${LONG_WORDS}]] crash harness question for ${account.email}`;
  const streams = streamers.map((account) =>
    startAsk(running.origin, account, { stream: true, prompt: long(account) }),
  );
  const plains = askers.map((account) => startAsk(running.origin, account, { stream: false }));
  await until(() => streams.every((a) => a.tokens >= 5), 60_000, "the streams to start");
  // Two jobs run; their upstream never answers, so the kill finds them mid-run.
  const jobIds: string[] = [];
  for (const [i, account] of jobbers.entries()) {
    const input = { prompt: `[[marker:job-${i}]] [[upstream: hang]] a job killed mid-run` };
    const created = await jobRequest(running.origin, account, "/api/jobs", {
      method: "POST",
      body: JSON.stringify({ type: "si", input }),
    });
    jobIds.push(created.body.job.id);
    void fetch(`${running.origin}/api/jobs/run`, {
      method: "POST",
      headers: headersFor(account),
      body: JSON.stringify({ id: created.body.job.id }),
    }).catch(() => undefined);
  }
  await until(
    () => upstream.counts.hung === 2 && upstream.counts.waiting === PLAIN && streams.every((a) => a.tokens >= 15),
    60_000,
    "the asks to be in flight",
  );
  // Half the non-streaming answers go out early enough to be settled (their retries replay);
  // the other half just before the kill (answered upstream, never settled: their keys run again).
  upstream.release(PLAIN / 2);
  await sleep(750);
  upstream.openGate();
  await until(() => upstream.counts.answered >= PLAIN, 10_000, "the upstream to answer the non-streaming asks");
  await sleep(10);
  const killedAt = Date.now();
  await running.crash();
  await Promise.all([...streams, ...plains].map((ask) => ask.done));
  const received = streams.reduce((sum, a) => sum + a.tokens, 0);
  const delivered = plains.filter((a) => a.complete).length;
  step(
    `SIGKILL of the process group: ${STREAMS} streams (${received} tokens received), ${PLAIN} answered upstream ` +
      `(${delivered} reached their client), 2 jobs running`,
  );
  tally.check(
    streams.every((a) => !a.complete),
    "no stream finished before the kill",
  );

  running = await start("2-after-crash");
  const restartedAt = Date.now();
  step(`restarted on the same state in ${((restartedAt - killedAt) / 1000).toFixed(1)} s; not touching the accounts`);

  // A job's hold ends with its lease, and both alarms resolve the dead run then: the job fails
  // `interrupted` (its hold was charged) within deadline + grace of its claim.
  const jobLease = (i: number) => (upstream.seenAt(`job-${i}`) ?? killedAt) + TTL_MS;
  for (const [i, account] of jobbers.entries()) {
    const path = `/api/jobs/${jobIds[i]}`;
    let job = await jobRequest(running.origin, account, path);
    while (job.body.job.status === "running" && Date.now() < Math.max(jobLease(i), restartedAt) + ALARM_SLACK_MS) {
      await sleep(100);
      job = await jobRequest(running.origin, account, path);
    }
    tally.check(
      job.body.job.status === "failed" && job.body.job.error?.code === "interrupted",
      `killed job ${i} is failed "interrupted" when its lease runs out (${job.body.job.status})`,
    );
  }

  // Every hold is due by then (its last report + TTL); reading the accounts later than the alarms
  // should have fired shows whether they did: an expiry made by the read would be stamped later.
  const dueBy = Math.max(killedAt + TTL_MS, restartedAt) + ALARM_SLACK_MS;
  await sleep(Math.max(0, dueBy + 1_500 - Date.now()));
  const before = new Map<string, Awaited<ReturnType<typeof accountView>>>();
  for (const account of [...streamers, ...askers, ...jobbers]) {
    const view = await accountView(running.origin, adminKey, account.email);
    before.set(account.email, view);
    checkLedger(tally, account.email, view);
    for (const record of usageOf(view).filter((r) => r.outcome === "interrupted")) {
      tally.check(
        Date.parse(record.time) <= dueBy,
        `${account.email}: its hold expired on the alarm, by ${new Date(dueBy).toISOString()} (${record.time})`,
      );
    }
  }
  for (const ask of streams) {
    const records = usageOf(before.get(ask.account.email) as NonNullable<ReturnType<typeof before.get>>);
    const record = records[0];
    const who = `${ask.account.email} (received ${ask.tokens} tokens)`;
    tally.check(records.length === 1 && record?.outcome === "interrupted", `${who}: one interrupted usage record`);
    tally.check((record?.credits ?? 0) > 0, `${who}: charged (${record?.credits})`);
    tally.check(
      record?.request_id === ask.requestId && record?.provider === "openai",
      `${who}: the record names its request and provider`,
    );
    // Progress reaches the ledger at least every second while tokens flow (15+ tokens = 1.5 s+).
    // Delivered output is counted conservatively (the larger of a token per chunk and one per 4
    // bytes), never more than the whole answer counted that way.
    tally.check(
      (record?.tokens_out ?? 0) >= 1 && (record?.tokens_out ?? 0) <= MOST_OUT,
      `${who}: charged for delivered output (${record?.tokens_out} tokens)`,
    );
  }
  let settledBeforeKill = 0;
  for (const ask of plains) {
    const records = usageOf(before.get(ask.account.email) as NonNullable<ReturnType<typeof before.get>>);
    if (records[0]?.outcome === "complete") settledBeforeKill += 1;
    tally.check(
      records.length === 1 &&
        ["complete", "interrupted"].includes(records[0]?.outcome ?? "") &&
        (records[0]?.credits ?? 0) > 0,
      `${ask.account.email}: went upstream, charged once (${records.map((r) => `${r.outcome} ${r.credits}`).join(", ")})`,
    );
  }
  for (const [i, account] of jobbers.entries()) {
    const records = usageOf(before.get(account.email) as NonNullable<ReturnType<typeof before.get>>);
    tally.check(
      records.length === 1 && records[0]?.outcome === "interrupted" && records[0]?.job_id === jobIds[i],
      `${account.email}: the job's hold was charged as interrupted`,
    );
  }
  tally.check(
    settledBeforeKill >= 1 && settledBeforeKill < PLAIN,
    `non-streaming asks both settled before the kill and cut by it (${settledBeforeKill} of ${PLAIN} settled)`,
  );
  step(
    `holds resolved on their own; ${PLAIN - settledBeforeKill} non-streaming asks charged as interrupted, ${settledBeforeKill} settled before the kill`,
  );

  // Retrying every interrupted Idempotency-Key: it runs once, or replays; never a 409.
  const retries = [...streams, ...plains].map((ask) =>
    startAsk(running.origin, ask.account, {
      stream: ask.stream,
      idempotencyKey: ask.idempotencyKey,
      prompt: ask.body.prompt as string,
    }),
  );
  await Promise.all(retries.map((retry) => retry.done));
  await sleep(1_000); // the settles after the answers
  let replays = 0;
  for (const retry of retries) {
    const prior = usageOf(before.get(retry.account.email) as NonNullable<ReturnType<typeof before.get>>)[0];
    const replayed = prior?.outcome === "complete";
    if (replayed) replays += 1;
    tally.check(
      retry.status === 200 && retry.complete,
      `${retry.account.email}: the retried Idempotency-Key answers (${retry.status} ${retry.failure ?? ""})`,
    );
    tally.check(
      replayed ? retry.requestId === prior?.request_id : retry.requestId !== prior?.request_id,
      `${retry.account.email}: ${replayed ? "replays the charged answer" : "runs again"}`,
    );
    const view = await accountView(running.origin, adminKey, retry.account.email);
    checkLedger(tally, `${retry.account.email} after the retry`, view);
    tally.check(
      usageOf(view).length === (replayed ? 1 : 2),
      `${retry.account.email}: ${replayed ? "no new charge" : "one new charge"} for the retry`,
    );
  }
  step(`${retries.length} Idempotency-Keys retried: ${replays} replayed, ${retries.length - replays} ran again`);
}

async function phaseDrain(): Promise<void> {
  let running = product as Product;
  upstream.closeGate();
  const [streamers, askers, late] = [
    await accounts(running.origin, "drain-stream", 8),
    await accounts(running.origin, "drain-plain", 4),
    await accounts(running.origin, "drain-late", 2),
  ];
  const streams = streamers.map((account) => startAsk(running.origin, account, { stream: true }));
  const plains = askers.map((account) => startAsk(running.origin, account, { stream: false }));
  await until(
    () => upstream.counts.waiting === 4 && streams.every((a) => a.tokens >= 10),
    60_000,
    "the asks to be in flight",
  );
  const termAt = Date.now();
  running.terminate();
  await sleep(400);
  const refused = late.map((account, i) => startAsk(running.origin, account, { stream: i === 0 }));
  await Promise.all(refused.map((ask) => ask.done));
  for (const ask of refused) {
    const body = JSON.parse(ask.failure ?? "{}") as { error?: { code?: string } };
    tally.check(
      ask.status === 503 && body.error?.code === "shutting_down",
      `a new ask during the stop is refused: 503 shutting_down (${ask.status})`,
    );
  }
  await sleep(600);
  upstream.openGate();
  const code = await Promise.race([running.exited, sleep(DEADLINE_MS + 20_000).then(() => -1)]);
  const stoppedAt = Date.now();
  await Promise.all([...streams, ...plains].map((ask) => ask.done));
  step(`SIGTERM: stopped ${((stoppedAt - termAt) / 1000).toFixed(1)} s later with code ${code}`);
  tally.check(code === 0, `npm start exits 0 after a graceful stop (${code})`);
  tally.check(/\[stop\] drained/.test(running.log()), "the log says the asks in flight were drained");
  for (const ask of [...streams, ...plains]) {
    tally.check(
      ask.status === 200 && ask.complete && (!ask.stream || ask.tokens === WORDS),
      `${ask.account.email}: answered in full during the stop (${ask.tokens} tokens)`,
    );
    tally.check((ask.finishedAt ?? Infinity) <= stoppedAt, `${ask.account.email}: answered before the runtime stopped`);
  }

  running = await start("3-after-stop");
  for (const ask of [...streams, ...plains]) {
    const view = await accountView(running.origin, adminKey, ask.account.email);
    checkLedger(tally, ask.account.email, view);
    const records = usageOf(view);
    tally.check(
      records.length === 1 && records[0]?.outcome === "complete" && records[0]?.request_id === ask.requestId,
      `${ask.account.email}: settled before the stop (one complete record)`,
    );
  }
  for (const account of late) {
    const view = await accountView(running.origin, adminKey, account.email);
    tally.check(usageOf(view).length === 0 && view.totals.spent === 0, `${account.email}: a refused ask costs nothing`);
  }

  // A second signal stops at once, stream or not.
  const [impatient] = await accounts(running.origin, "second-signal", 1);
  const stream = startAsk(running.origin, impatient as Account, { stream: true });
  await until(() => stream.tokens >= 3, 30_000, "a stream to start");
  const first = Date.now();
  running.terminate();
  await sleep(300);
  running.terminate();
  await Promise.race([running.exited, sleep(10_000)]);
  const took = Date.now() - first;
  tally.check(
    running.child.exitCode !== null && took < 5_000 && !stream.complete,
    `a second SIGTERM stops at once (${took} ms)`,
  );
  tally.check(/second signal/.test(running.log()), "the log says the second signal stopped it at once");
}

let crashed: unknown = null;
try {
  await phaseKill();
  await phaseDrain();
} catch (error) {
  crashed = error;
  tally.failures.push(`the harness stopped: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  killGroup(product);
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
