// Phase 1: the product killed (SIGKILL of the whole `npm start` process group) with asks in
// flight — 20 streams seconds into their answers, 10 non-streaming asks whose upstream had just
// answered (half early enough to be settled), 2 jobs mid-run — and restarted on the same state.
// Nobody touches the accounts until their holds are past due; then every hold must have been
// resolved by the ledger's own alarm in time, the streams charged for what they delivered with
// an `interrupted` record, the invariant hold everywhere, every Idempotency-Key retry answer
// without a 409 (replaying or running once), and no job be left `running`.
import { checkLedger, usageOf } from "./checks.ts";
import { type Account, accountView, headersFor, startAsk } from "./client.ts";
import {
  ALARM_SLACK_MS,
  accounts,
  adminKey,
  jobRequest,
  LONG_WORDS,
  MOST_OUT,
  PLAIN,
  STREAMS,
  sleep,
  start,
  step,
  TTL_MS,
  tally,
  until,
  upstream,
} from "./harness.ts";

export async function phaseKill(): Promise<void> {
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
  await until(() => plains.filter((a) => a.complete).length >= PLAIN / 2, 15_000, "the first answers to arrive");
  await sleep(1_000); // their settles follow the answers by about 50 ms
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
