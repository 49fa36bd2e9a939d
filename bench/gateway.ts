// `npm run bench:gateway`: what Cognomega adds to a model call, against a bare pass-through Worker
// (the runtime's own floor), the same Worker writing one Durable Object row per ask (the floor of
// any durable hold) and, with --portkey DIR, Portkey's gateway Worker — all under the same local
// runtime and the same model server, in one run, interleaved request by request. Prints each
// ratio against issue 13's goals and writes the raw numbers to bench/results/.
// Options: --quick (under a minute), --portkey DIR (prepared as /work/shared/PEERS.md says),
//          --rounds N (interleaved asks per system), --seconds S (per throughput measurement),
//          --port P (the product; its model server is P+12, the bare Worker P+20, Portkey P+30),
//          --state disk|ram (where the product's local Durable Object state lives: on disk, as
//          `npm start` keeps it, or in RAM (/dev/shm); the bare Worker's Durable Object too).
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { watchNeighbours } from "./lib/machine.ts";
import { combine, pairedRatio, type Rate, throughput, timeAnswer, timeFirstToken } from "./lib/measure.ts";
import { EXPECTED_REPLY } from "./lib/model.ts";
import { goal, printAdded, printGoals, printLatency, printRates, printStages, writeResults } from "./lib/report.ts";
import { buildIsCurrent } from "./lib/server.ts";
import { StageTimes } from "./lib/server-timing.ts";
import { percentile } from "./lib/stats.ts";
import { IN_FLIGHT, startSystems } from "./lib/systems.ts";
import type { AskTarget } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    portkey: { type: "string" },
    rounds: { type: "string" },
    seconds: { type: "string" },
    port: { type: "string", default: "9100" },
    state: { type: "string", default: "disk" },
  },
});
const quick = values.quick;
const rounds = Number(values.rounds ?? (quick ? 60 : 400));
const streamRounds = Math.ceil(rounds / 2);
const seconds = Number(values.seconds ?? (quick ? 1.6 : 8));
const warmUp = quick ? 10 : 40;
const port = Number(values.port);
if (!(rounds >= 1 && seconds > 0 && Number.isInteger(port) && port > 0 && port + 31 < 65536)) {
  throw new Error("--rounds takes a whole number ≥ 1, --seconds a positive number, --port a TCP port");
}
if (values.state !== "disk" && values.state !== "ram") throw new Error("--state takes disk or ram");
// RAM: a fresh directory on tmpfs, removed when the run ends (the product starts --fresh anyway).
const stateDir = values.state === "ram" ? mkdtempSync("/dev/shm/cognomega-bench-") : undefined;
const wallStart = performance.now();
const neighbours = watchNeighbours();
const elapsed = () => (performance.now() - wallStart) / 1000;
const progress = (step: string) => process.stderr.write(`  [${elapsed().toFixed(0).padStart(3)} s] ${step}\n`);

// A build newer than its sources is what `npm start` would build; --quick saves the seconds.
const build = !quick || !buildIsCurrent();
progress(
  `starting the product (${build ? "building it" : "its current build"}, and its model server), the bare Worker` +
    (values.portkey ? " and Portkey" : ""),
);
const systems = await startSystems(port, {
  portkeyDir: values.portkey,
  build,
  stateDir,
});
process.once(
  "SIGINT",
  () =>
    void systems.stop().finally(() => {
      if (stateDir) rmSync(stateDir, { recursive: true, force: true });
      process.exit(130);
    }),
);
const { targets, reads, rawSign, guestSignIn } = systems;
const stages = new StageTimes();

// Every timed answer is checked, so an error can never pass for a fast answer.
function expectReply(target: AskTarget, status: number, text: string, body = text) {
  if (status !== 200 || text !== EXPECTED_REPLY) {
    throw new Error(`${target.label} answered ${status} with an unexpected reply: ${body.slice(0, 300)}`);
  }
}
async function ask(target: AskTarget) {
  const answer = await timeAnswer(() => target.send(false));
  expectReply(target, answer.status, answer.status === 200 ? target.answerOf(answer.body) : "", answer.body);
  return answer;
}
async function stream(target: AskTarget) {
  const streamed = await timeFirstToken(() => target.send(true), target.tokenOf);
  expectReply(target, 200, streamed.text);
  return streamed;
}
async function read(send: () => Promise<Response>) {
  const answer = await timeAnswer(send);
  if (answer.status !== 200) throw new Error(`a probe was answered with ${answer.status}: ${answer.body}`);
  return answer;
}
/**
 * `count` rounds of `measure` over every item, each round starting with the next item so none is
 * always first. --quick must end within a minute even on a busy machine, so there a phase also
 * stops after `quickSeconds` (the printed sample counts say how many were taken).
 */
async function interleave<T>(items: T[], count: number, quickSeconds: number, measure: (item: T) => Promise<void>) {
  const deadline = quick ? performance.now() + quickSeconds * 1000 : Number.POSITIVE_INFINITY;
  for (let round = 0; round < count && performance.now() < deadline; round++) {
    for (let index = 0; index < items.length; index++) await measure(items[(index + round) % items.length] as T);
  }
}
const samplesPer = (names: string[]) => Object.fromEntries(names.map((name) => [name, [] as number[]]));

/**
 * Requests per second at IN_FLIGHT, one system at a time, in short slices taken in A B C, C B A,
 * A B C … order, so that a change in the machine's load during the run weighs on every system alike
 * (ratios are then taken pass by pass: see pairedRatio).
 */
async function rates(list: { name: string; send: (lane: number) => Promise<Response>; scenario?: string }[]) {
  const passes = quick ? 2 : 8;
  const slices = new Map(list.map(({ name }) => [name, [] as Rate[]]));
  for (let pass = 0; pass < passes; pass++) {
    progress(`${list.map(({ name }) => name).join(", ")}: ${IN_FLIGHT} in flight, pass ${pass + 1} of ${passes}`);
    for (const { name, send, scenario } of pass % 2 ? [...list].reverse() : list) {
      await throughput(send, IN_FLIGHT, 0.2); // (re)opens the connections
      const onAnswer = scenario ? (response: Response) => stages.record(scenario, response.headers) : undefined;
      slices.get(name)?.push(await throughput(send, IN_FLIGHT, seconds / passes, onAnswer));
    }
  }
  return (name: string) => combine(slices.get(name) ?? []);
}

try {
  progress(`warming up every system (${warmUp} rounds)`);
  await interleave(targets, warmUp, 3, async (target) => {
    await ask(target);
    await stream(target);
  });
  await interleave([...reads.map(({ send }) => send), rawSign, guestSignIn], warmUp, 1, async (send) => {
    await read(send);
  });

  progress(`non-streaming asks: ${rounds} interleaved rounds`);
  const asks = samplesPer(targets.map((target) => target.name));
  await interleave(targets, rounds, 5, async (target) => {
    const answer = await ask(target);
    asks[target.name]?.push(answer.ms);
    if (target.name === "cognomega") stages.record("non-streaming ask", answer.headers);
  });

  progress(`streaming asks: ${streamRounds} interleaved rounds`);
  const firstTokens = samplesPer(targets.map((target) => target.name));
  const streamTotals = samplesPer(targets.map((target) => target.name));
  await interleave(targets, streamRounds, 4, async (target) => {
    const streamed = await stream(target);
    firstTokens[target.name]?.push(streamed.firstToken);
    streamTotals[target.name]?.push(streamed.total);
    if (target.name === "cognomega") stages.record("streaming ask, up to its headers", streamed.headers);
  });

  progress(`GET /api/credits with and without a token: ${rounds} interleaved pairs`);
  const readTimes = samplesPer(reads.map((variant) => variant.label));
  await interleave(reads, rounds, 2, async ({ label, send }) => {
    const answer = await read(send);
    readTimes[label]?.push(answer.ms);
    stages.record(`GET /api/credits, ${label}`, answer.headers);
  });

  const askRate = await rates(
    targets.map((target) => ({
      name: target.name,
      send: (lane: number) => target.send(false, lane),
      scenario: target.name === "cognomega" ? `non-streaming ask, ${IN_FLIGHT} in flight` : undefined,
    })),
  );
  const issuanceRate = await rates([
    { name: "raw RS256 signing", send: rawSign },
    { name: "POST /auth/guest", send: guestSignIn, scenario: `POST /auth/guest, ${IN_FLIGHT} in flight` },
  ]);

  const rowsOf = (samples: Record<string, number[]>) =>
    targets.map((target) => ({ label: target.label, samples: samples[target.name] ?? [] }));
  const othersShare = neighbours();
  console.log(
    `\nbench:gateway${quick ? " --quick" : ""} --state ${values.state} — ${new Date().toISOString()}, ${cpus().length} cores; ` +
      `other work on the machine took ${(othersShare * 100).toFixed(0)}% of its CPU during the run`,
  );
  if (othersShare > 0.2) console.log("  That is a busy neighbour: throughput figures especially may be skewed.");
  printAdded("Non-streaming ask, interleaved round by round (ms; added = over the model server direct)", rowsOf(asks));
  printAdded(
    "Streaming ask, time to first token, interleaved (ms; added = over the model server's first content chunk)",
    rowsOf(firstTokens),
  );
  const askRates = targets.map((target) => ({ label: target.label, rate: askRate(target.name) }));
  printRates(`Throughput, non-streaming asks, ${IN_FLIGHT} in flight, ${seconds} s each`, askRates, askRate("bare"));
  printLatency(
    "GET /api/credits, interleaved pairs (IDENTITY_MODE=asserted)",
    reads.map(({ label }) => ({ label, samples: readTimes[label] ?? [] })),
  );
  const rawRate = issuanceRate("raw RS256 signing");
  const guestRate = issuanceRate("POST /auth/guest");
  printRates(
    `Guest issuance, ${IN_FLIGHT} in flight, ${seconds} s each`,
    [
      { label: "bare Worker: RS256 sign, cached key", rate: rawRate },
      { label: "Cognomega POST /auth/guest", rate: guestRate },
    ],
    rawRate,
  );
  printStages(stages);

  const addedRatio = (samples: Record<string, number[]>, p: number, name = "cognomega") => {
    const added = (of: string) => percentile(samples[of] ?? [], p) - percentile(samples.upstream ?? [], p);
    return added(name) / added("bare");
  };
  const readP50 = (index: number) => percentile(readTimes[reads[index]?.label ?? ""] ?? [], 50);
  const goals = [
    goal("non-streaming ask: added latency p50, ÷ bare Worker", addedRatio(asks, 50), "≤", 1.25),
    goal("non-streaming ask: added latency p90, ÷ bare Worker", addedRatio(asks, 90), "≤", 1.25),
    goal("streaming ask: first token added p50, ÷ bare Worker", addedRatio(firstTokens, 50), "≤", 1.25),
    goal(
      `throughput at ${IN_FLIGHT} in flight, ÷ bare Worker`,
      pairedRatio(askRate("cognomega"), askRate("bare")),
      "≥",
      0.7,
    ),
    goal("GET /api/credits p50: bearer token ÷ X-User-Email", readP50(1) / readP50(0), "≤", 1.2),
    goal("guest issuance ÷ raw RS256 signing (req/s)", pairedRatio(guestRate, rawRate), "≥", 0.8),
  ];
  printGoals(goals);
  console.log(
    "  for reference: bare Worker + 1 DO write, added latency p50 ÷ bare Worker   " +
      `${addedRatio(asks, 50, "bare-hold").toFixed(2)}   (p90 ${addedRatio(asks, 90, "bare-hold").toFixed(2)}, ` +
      `first token ${addedRatio(firstTokens, 50, "bare-hold").toFixed(2)}, ` +
      `throughput ${pairedRatio(askRate("bare-hold"), askRate("bare")).toFixed(2)})`,
  );
  const path = writeResults({
    run: {
      at: new Date().toISOString(),
      quick,
      rounds,
      streamRounds,
      seconds,
      inFlight: IN_FLIGHT,
      warmUp,
      state: values.state,
    },
    machine: { cores: cpus().length, loadAverage: loadavg(), othersCpuShare: othersShare },
    systems: targets.map(({ name, label }) => ({ name, label })),
    nonStreaming: asks,
    streaming: { firstToken: firstTokens, total: streamTotals },
    throughput: Object.fromEntries(targets.map((target) => [target.name, askRate(target.name)])),
    credits: readTimes,
    issuance: { rawSign: rawRate, guest: guestRate },
    serverTiming: stages.toJSON(),
    goals,
  });
  console.log(`\nRaw numbers: ${path}   (wall time so far ${elapsed().toFixed(0)} s)`);
} finally {
  await systems.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}
