// `npm run bench:profile`: where the runtime's CPU goes for one ask, the product's
// (`POST /api/si/ask`, guest token, non-streaming) beside the bare pass-through Worker's — from
// Linux perf's samples of the workerd process that runs each Worker (not wrangler's proxy in front
// of it, which costs both alike). Prints milliseconds of CPU per ask by runtime event and by kind
// of work, and the differences; with --functions also by JavaScript function (the runtimes then
// run with V8's --perf-basic-prof, so perf can name JIT code — writing its map costs the runtimes
// kernel time, so the other tables read higher in such a run; V8's own log goes to /dev/null).
// With --timeline it prints instead the wall-clock path of one ask, from the kernel's syscall
// tracepoints (lib/syscall-timeline.ts): when the upstream request left, the ledger's commit wrote
// and synced its log, the upstream's answer was read and the response left — to the microsecond,
// where the runtime's own clock (Server-Timing) shows CPU-only stages as 0.
// Needs `perf` (Debian: `apt-get install linux-perf`) and the right to profile a process (root,
// or kernel.perf_event_paranoid ≤ 1).
// Options: --asks N (per system; default 2000), --in-flight K (default 1: one ask at a time, as
//          the latency figures are taken; 16: as the throughput figures are), --port P,
//          --functions (the table by JavaScript function), --timeline (one ask at a time).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EXPECTED_REPLY } from "./lib/model.ts";
import { EVENTS, MARKERS, type Profile, readProfile } from "./lib/perf-profile.ts";
import { buildIsCurrent, descendants, upstreamBaseFor } from "./lib/server.ts";
import { percentile } from "./lib/stats.ts";
import { readTimeline, STAGES, type Stage, socketsOf, TRACEPOINTS } from "./lib/syscall-timeline.ts";
import { startSystems } from "./lib/systems.ts";
import type { AskTarget } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    asks: { type: "string", default: "2000" },
    "in-flight": { type: "string", default: "1" },
    port: { type: "string", default: "9160" },
    functions: { type: "boolean", default: false },
    timeline: { type: "boolean", default: false },
  },
});
const asks = Number(values.asks);
const inFlight = Number(values["in-flight"]);
const port = Number(values.port);
if (!(Number.isInteger(asks) && asks > 0 && Number.isInteger(inFlight) && inFlight > 0 && port > 0)) {
  throw new Error("--asks and --in-flight take whole numbers ≥ 1, --port a TCP port");
}
if (values.timeline && (inFlight !== 1 || values.functions)) {
  throw new Error("--timeline follows one ask at a time: it takes neither --in-flight nor --functions");
}
if (spawnSync("perf", ["--version"]).status !== 0) {
  console.error("bench:profile needs Linux perf (Debian: apt-get install linux-perf).");
  process.exit(1);
}

const HZ = 4000;
const dir = mkdtempSync(join(tmpdir(), "cognomega-profile-"));
const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
};

/**
 * The workerd process running a system's Worker. wrangler dev starts two: its proxy, which listens
 * on the system's port, and the runtime behind it, which listens on a port of its own choosing.
 */
function workerProcess(rootPid: number, publicPort: number): number {
  const runtimes = descendants(rootPid).filter((pid) => /\/workerd serve /.test(commandLine(pid)));
  const worker = runtimes.filter((pid) => !new RegExp(`entry=[^ ]*:${publicPort}( |$)`).test(commandLine(pid)));
  if (worker.length !== 1) throw new Error(`expected one Worker runtime under pid ${rootPid}, found ${worker.length}`);
  return worker[0] as number;
}

async function askMany(target: AskTarget, count: number) {
  let next = 0;
  const lane = async (index: number) => {
    while (next < count) {
      next += 1;
      const response = await target.send(false, index);
      const body = await response.text();
      if (response.status !== 200 || target.answerOf(body) !== EXPECTED_REPLY) {
        throw new Error(`${target.label} answered ${response.status}: ${body.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, index) => lane(index)));
}

/** Asks `target` `asks` times under `perf record` of `pid` with `options`; returns the recording. */
async function record(target: AskTarget, pid: number, options: string[]): Promise<string> {
  const data = join(dir, `${target.name}.data`);
  const perf = spawn("perf", ["record", ...options, "-p", String(pid), "-o", data], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let said = "";
  perf.stderr.on("data", (chunk) => (said += chunk));
  await new Promise((resolve) => setTimeout(resolve, 500)); // perf attaches
  if (perf.exitCode !== null) throw new Error(`perf record could not attach to ${pid}: ${said.trim()}`);
  await askMany(target, asks);
  perf.kill("SIGINT");
  await new Promise((resolve) => perf.once("close", resolve));
  return data;
}

const cpuProfile = async (target: AskTarget, pid: number) =>
  readProfile(await record(target, pid, ["-e", "cpu-clock", "-F", String(HZ), "-g"]));

/**
 * One table: a row per label with the bare Worker's, the floor's and the product's figure and the
 * product's difference from each ("—" where a system has no figure).
 */
function table(title: string, rows: Array<[label: string, figures: Array<number | undefined>]>) {
  const widths = [9, 10, 10, 12, 12];
  const heads = ["bare", "floor", "product", "− bare", "− floor"].map((head, index) =>
    head.padStart(widths[index] ?? 0),
  );
  console.log(`\n${title.padEnd(44)}${heads.join("")}`);
  for (const [label, [bare, floor, product]] of rows) {
    const minus = (other: number | undefined) =>
      product === undefined || other === undefined ? undefined : product - other;
    const values = [bare, floor, product, minus(bare), minus(floor)];
    const cells = values.map((value, index) => (value?.toFixed(3) ?? "—").padStart(widths[index] ?? 0));
    console.log(`  ${label.slice(0, 42).padEnd(42)}${cells.join("")}`);
  }
}

/** A table of each system's ms of CPU per ask (rows where all three are 0 are left out). */
function print(title: string, rows: string[], read: (profile: Profile, row: string) => number, profiles: Profile[]) {
  const perAsk = (samples: number) => (samples * 1000) / HZ / asks;
  const figures = rows.map((row): [string, number[]] => [row, profiles.map((profile) => perAsk(read(profile, row)))]);
  table(
    title,
    figures.filter(([, values]) => values.some(Boolean)),
  );
}

// The runtimes write /tmp/perf-PID.map, where perf finds the names of JIT-compiled functions;
// the ones this run made are removed at the end.
const perfMaps = () => readdirSync("/tmp").filter((name) => /^perf-\d+\.map$/.test(name));
const mapsBefore = new Set(perfMaps());
if (values.functions) {
  process.env.MINIFLARE_WORKERD_V8_FLAGS = [
    process.env.MINIFLARE_WORKERD_V8_FLAGS,
    "--perf-basic-prof --no-logfile-per-isolate --logfile=/dev/null",
  ]
    .filter(Boolean)
    .join(" ");
}
process.stderr.write(`starting the product and the bare Worker (port ${port})…\n`);
const systems = await startSystems(port, { build: !buildIsCurrent() });
try {
  const bare = systems.targets.find((target) => target.name === "bare");
  const floor = systems.targets.find((target) => target.name === "bare-hold");
  const product = systems.targets.find((target) => target.name === "cognomega");
  if (!bare || !floor || !product) throw new Error("the bare Worker, its floor or the product is missing");
  const pids = {
    bare: workerProcess(systems.bare.pid, port + 20),
    product: workerProcess(systems.product.child.pid ?? 0, port),
  };
  process.stderr.write(`warming up; then ${asks} asks per system, ${inFlight} in flight, under perf\n`);
  for (const target of [bare, floor, product]) await askMany(target, Math.min(asks, 300));
  if (values.timeline) {
    const upstreamPort = Number(new URL(upstreamBaseFor(port)).port);
    const timelines = [];
    for (const [target, pid] of [
      [bare, pids.bare],
      [floor, pids.bare],
      [product, pids.product],
    ] as const) {
      const data = await record(target, pid, ["-e", TRACEPOINTS]);
      // Read while the keep-alive connections the asks used are still open.
      timelines.push(await readTimeline(data, socketsOf(pid, upstreamPort)));
    }
    printTimeline(timelines);
  } else {
    await printCpu([
      await cpuProfile(bare, pids.bare),
      await cpuProfile(floor, pids.bare),
      await cpuProfile(product, pids.product),
    ]);
  }
} finally {
  await systems.stop();
  rmSync(dir, { recursive: true, force: true });
  for (const name of perfMaps()) if (!mapsBefore.has(name)) rmSync(`/tmp/${name}`, { force: true });
}

/** The CPU tables: per ask, by runtime event, by kind of work, inclusive markers, [functions]. */
async function printCpu(profiles: Profile[]) {
  console.log(`\nms of CPU per ask in the Worker's runtime (${asks} asks, ${inFlight} in flight, ${HZ} samples/s)`);
  const total = (profile: Profile) => profile.samples;
  print("total", ["all"], total, profiles);
  const events = [...EVENTS.map(([label]) => label), "runtime I/O outside any event"];
  print("by runtime event", events, (profile, row) => profile.byEvent.get(row) ?? 0, profiles);
  const kinds = [...new Set(profiles.flatMap((profile) => [...profile.byKind.keys()]))].sort();
  print("by kind of work", kinds, (profile, row) => profile.byKind.get(row) ?? 0, profiles);
  const markers = MARKERS.map(([label]) => label);
  print("inclusive: time under", markers, (profile, row) => profile.byMarker.get(row) ?? 0, profiles);
  if (values.functions) {
    const functions = (profile: Profile) => [...profile.byFunction].sort((a, b) => b[1] - a[1]).map(([name]) => name);
    const [, , ofProduct] = profiles;
    const named = [
      ...new Set([
        ...functions(ofProduct as Profile).slice(0, 30),
        ...profiles.flatMap((p) => functions(p).slice(0, 8)),
      ]),
    ];
    print("JavaScript functions (inclusive)", named, (profile, row) => profile.byFunction.get(row) ?? 0, profiles);
  }
}

/** Each stage's median and p90 (ms after the request was read), bare, floor and product. */
function printTimeline(timelines: Array<Array<Partial<Record<Stage, number>>>>) {
  const counts = timelines.map((asksSeen) => asksSeen.length).join(", ");
  console.log(`\nWall-clock path of one ask (ms after the request was read; ${counts} asks followed)`);
  for (const [label, p] of [
    ["median", 50],
    ["p90", 90],
  ] as const) {
    const rows = STAGES.map((stage): [string, Array<number | undefined>] => [
      stage,
      timelines.map((asksSeen) => {
        const times = asksSeen.map((stages) => stages[stage]).filter((at): at is number => at !== undefined);
        // A stage an ask passes only now and then (a commit the bare Worker never makes) is not its.
        return times.length >= asksSeen.length / 2 ? percentile(times, p) : undefined;
      }),
    ]);
    table(label, rows);
  }
}
