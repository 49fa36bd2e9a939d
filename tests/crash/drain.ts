// Phase 2: a graceful stop. SIGTERM to `npm start` with asks in flight: they finish and settle,
// new requests get 503 `shutting_down`, the runtime stops after them and says so; after a restart
// every account shows one complete charge. Then a second SIGTERM stops at once.
import { checkLedger, usageOf } from "./checks.ts";
import { type Account, accountView, startAsk } from "./client.ts";
import { accounts, adminKey, current, DEADLINE_MS, sleep, start, step, tally, until, upstream } from "./harness.ts";
import type { Product } from "./product.ts";
import { WORDS } from "./upstream.ts";

export async function phaseDrain(): Promise<void> {
  let running = current.product as Product;
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
