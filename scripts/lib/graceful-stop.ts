// How `npm start` stops (issue 18). SIGTERM stops gracefully: the Worker is asked to drain
// (POST /__drain with a secret generated for this start — app/server/drain.ts), so new requests
// get 503 `shutting_down` while the asks in flight get up to LLM_DEADLINE_MS to finish and
// settle; then the runtime stops. A second signal stops at once. Ctrl-C (SIGINT) reaches the
// whole terminal's process group — wrangler too, which stops by itself — so it stops at once.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { VARIABLES } from "../../app/server/config-vars.ts";
import { finished } from "./processes.ts";

/**
 * A throw-away secret for this start's drain call. It is passed to wrangler as a `--var`, so it
 * shows in the process list — to local users who could signal the process anyway.
 */
export function newDrainSecret(): string {
  return randomBytes(24).toString("base64url");
}

/** The deadline the Worker drains within (the same variable it reads). */
export function drainDeadlineMs(vars: Record<string, string | undefined>): number {
  const raw = vars.LLM_DEADLINE_MS?.trim() || VARIABLES.LLM_DEADLINE_MS.fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : Number(VARIABLES.LLM_DEADLINE_MS.fallback);
}

export interface StopOptions {
  /** `wrangler dev`, serving the Worker at `origin`. */
  worker: ChildProcess;
  origin: string;
  secret: string;
  deadlineMs: number;
  /** Whatever else runs beside the Worker (the local model), closed last. */
  cleanup: () => Promise<void>;
}

interface DrainReport {
  drained: boolean;
  in_flight: number;
  in_flight_at_start: number;
  waited_ms: number;
}

const say = (line: string) => console.log(`[stop] ${line}`);

/** Installs the signal handlers; also stops everything when wrangler exits on its own. */
export function installGracefulStop(options: StopOptions): void {
  const { worker } = options;
  let phase: "running" | "draining" | "stopping" = "running";

  async function stopRuntime(code: number, force: boolean) {
    phase = "stopping";
    if (worker.exitCode === null && worker.signalCode === null) {
      const exited = finished(worker);
      worker.kill(force ? "SIGKILL" : "SIGTERM");
      // wrangler shuts workerd down on SIGTERM; give it a moment, then insist.
      const timer = setTimeout(() => worker.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    await options.cleanup();
    process.exit(code);
  }

  async function drainThenStop() {
    phase = "draining";
    const seconds = (options.deadlineMs / 1000).toFixed(1);
    say(`SIGTERM: refusing new requests (503 shutting_down); in-flight asks get up to ${seconds} s`);
    say("(LLM_DEADLINE_MS) to finish and settle. Send the signal again to stop at once.");
    const report = await requestDrain(options);
    if (phase !== "draining") return; // a second signal took over
    const took = report ? `${(report.waited_ms / 1000).toFixed(1)} s` : "";
    if (report?.drained) {
      say(`drained: the ${report.in_flight_at_start} pieces of work in flight finished in ${took}; stopping.`);
    } else if (report) {
      say(
        `${report.in_flight} pieces of work still in flight after ${took}; stopping anyway — their holds are charged ` +
          "for what was delivered when they expire (OPS.md §9).",
      );
    } else {
      say("the Worker did not answer the drain request; stopping now.");
    }
    await stopRuntime(0, false);
  }

  process.on("SIGTERM", () => {
    if (phase === "running") void drainThenStop();
    else if (phase === "draining") {
      say("second signal: stopping at once.");
      void stopRuntime(1, true);
    }
  });
  process.on("SIGINT", () => {
    if (phase === "stopping") return;
    if (phase === "draining") say("second signal: stopping at once.");
    void stopRuntime(phase === "draining" ? 1 : 0, phase === "draining");
  });
  finished(worker).then((code) => {
    if (phase !== "stopping") void stopRuntime(code, false);
  });
}

async function requestDrain(options: StopOptions): Promise<DrainReport | null> {
  try {
    const response = await fetch(`${options.origin}/__drain`, {
      method: "POST",
      headers: { "X-Drain-Secret": options.secret },
      // The Worker answers by its deadline; the margin covers a slow runtime.
      signal: AbortSignal.timeout(options.deadlineMs + 10_000),
    });
    return response.ok ? ((await response.json()) as DrainReport) : null;
  } catch {
    return null;
  }
}
