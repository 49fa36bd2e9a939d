// The benchmark's printed tables, its goals, and the raw numbers kept under bench/results/.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/processes.ts";
import { pairedRatio, type Rate } from "./measure.ts";
import type { StageTimes } from "./server-timing.ts";
import { mean, percentile } from "./stats.ts";

const num = (value: number, width = 8, digits = 2) =>
  (Number.isFinite(value) ? value.toFixed(digits) : "—").padStart(width);

export interface LatencyRow {
  label: string;
  samples: number[];
}

/**
 * Each system's latency, what it adds over the first row (the model server alone) at p50 and p90,
 * and that added time as a multiple of what the second row (the bare Worker) adds.
 */
export function printAdded(title: string, rows: LatencyRow[]) {
  const [floor, bare] = rows;
  if (!floor || !bare) throw new Error("printAdded needs the model server and the bare Worker");
  const added = (row: LatencyRow, p: number) => percentile(row.samples, p) - percentile(floor.samples, p);
  console.log(`\n${title}`);
  console.log(
    `  ${"".padEnd(26)}${"n".padStart(6)}${"p50".padStart(8)}${"p90".padStart(8)}   added p50  added p90   ×bare p50  ×bare p90`,
  );
  for (const row of rows) {
    const cells = [num(percentile(row.samples, 50)), num(percentile(row.samples, 90))];
    if (row !== floor) cells.push(num(added(row, 50), 12), num(added(row, 90), 11));
    if (row !== floor && row !== bare) {
      cells.push(num(added(row, 50) / added(bare, 50), 12), num(added(row, 90) / added(bare, 90), 11));
    }
    console.log(`  ${row.label.padEnd(26)}${String(row.samples.length).padStart(6)}${cells.join("")}`);
  }
}

/** Requests per second per system, and each as a multiple of the bare Worker's (median of paired slices). */
export function printRates(title: string, rows: { label: string; rate: Rate }[], bare: Rate) {
  console.log(`\n${title}`);
  console.log(
    `  ${"".padEnd(34)}${"req/s".padStart(8)}${"answers".padStart(9)}${"failed".padStart(8)}${"×bare".padStart(8)}   slices (req/s)`,
  );
  for (const { label, rate } of rows) {
    const failures = Object.entries(rate.failures).map(([why, count]) => `${count}× ${why}`);
    const ratio = rate === bare ? "".padStart(8) : num(pairedRatio(rate, bare), 8);
    const slices = (rate.slices ?? []).map((value) => value.toFixed(0)).join(" ");
    console.log(
      `  ${label.padEnd(34)}${num(rate.perSecond, 8, 1)}${String(rate.ok).padStart(9)}${String(rate.failed).padStart(8)}` +
        `${ratio}   ${slices}${failures.length ? `   (failed: ${failures.join(", ")})` : ""}`,
    );
  }
}

/** Plain latencies for a few variants of one request. */
export function printLatency(title: string, rows: LatencyRow[]) {
  console.log(`\n${title}`);
  console.log(`  ${"".padEnd(34)}${"n".padStart(6)}${"p50".padStart(8)}${"p90".padStart(8)}${"mean".padStart(8)}`);
  for (const { label, samples } of rows) {
    const cells = [percentile(samples, 50), percentile(samples, 90), mean(samples)].map((value) => num(value));
    console.log(`  ${label.padEnd(34)}${String(samples.length).padStart(6)}${cells.join("")}`);
  }
}

/** The mean and median of every stage the product reported, per scenario. */
export function printStages(stages: StageTimes) {
  if (stages.scenarios.size === 0) {
    console.log(
      "\nPer-stage breakdown: the product sent no Server-Timing header (it was started with SERVER_TIMING=1).",
    );
    return;
  }
  console.log("\nPer-stage breakdown (the product's Server-Timing, ms)");
  for (const [scenario, { responses, stages: byStage }] of stages.scenarios) {
    console.log(`  ${scenario} (${responses} responses)`);
    for (const [stage, samples] of byStage) {
      console.log(
        `    ${stage.padEnd(24)} mean ${num(mean(samples), 7)}   p50 ${num(percentile(samples, 50), 7)}   n ${samples.length}`,
      );
    }
  }
}

export interface Goal {
  name: string;
  value: number;
  limit: number;
  atMost: boolean;
  pass: boolean;
}

export function goal(name: string, value: number, comparison: "≤" | "≥", limit: number): Goal {
  const atMost = comparison === "≤";
  return { name, value, limit, atMost, pass: atMost ? value <= limit : value >= limit };
}

export function printGoals(goals: Goal[]) {
  console.log("\nGoals (issue 13): Cognomega against the reference in this same run");
  for (const { name, value, limit, atMost, pass } of goals) {
    console.log(
      `  ${name.padEnd(58)}${num(value, 6)}  ${atMost ? "≤" : "≥"} ${limit.toFixed(2)}   ${pass ? "PASS" : "MISS"}`,
    );
  }
}

/** Writes the raw numbers; returns the path, relative to the repository. */
export function writeResults(results: unknown): string {
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const name = `gateway-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(join(dir, name), `${JSON.stringify(results, (_key, value) => roundMs(value), 1)}\n`);
  return join("bench", "results", name);
}

const roundMs = (value: unknown) =>
  typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
