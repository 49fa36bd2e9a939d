// Child processes for the local product: started with the project's Node 22 toolchain on PATH,
// stopped together.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "node_modules", ".bin");

/** No telemetry and no `request.cf` look-up: the local product makes no network calls. */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CLOUDFLARE_VITE_FORCE_LOCAL: "true",
};

/**
 * wrangler dev otherwise attaches its local trace collector to every Worker it runs and stores a
 * trace of each request, Durable Object call and fetch: measured here, that doubled the CPU an
 * ask costs (OPS.md §14). It is a development aid, not part of the product; set
 * X_LOCAL_OBSERVABILITY=true to have it back.
 */
const RUNTIME_ENV = { X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false" };

/** The environment for the project's tools: offline, with its own Node 22 first on PATH. */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...OFFLINE_ENV, ...RUNTIME_ENV, PATH: `${BIN}:${process.env.PATH ?? ""}`, ...extra };
}

/** A project tool from node_modules/.bin, else the command found on PATH (npm, bash). */
export const toolPath = (command: string) => (existsSync(join(BIN, command)) ? join(BIN, command) : command);

/**
 * wrangler's own launcher starts the real CLI as a child and does not pass signals on, so a
 * stopped launcher leaves wrangler and workerd running. Starting the CLI directly avoids that.
 */
export function runWrangler(args: string[], options: { quiet?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const cli = join(ROOT, "node_modules", "wrangler", "wrangler-dist", "cli.js");
  return spawn(toolPath("node"), ["--no-warnings", cli, ...args], {
    cwd: ROOT,
    stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    env: toolEnv(options.env),
  });
}

export function run(command: string, args: string[], options: { quiet?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  return spawn(toolPath(command), args, {
    cwd: ROOT,
    stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    env: toolEnv(options.env),
  });
}

export function finished(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

export async function runToEnd(command: string, args: string[], quiet = false): Promise<void> {
  const child = run(command, args, { quiet });
  let output = "";
  child.stdout?.on("data", (data) => (output += data));
  child.stderr?.on("data", (data) => (output += data));
  const code = await finished(child);
  if (code !== 0) {
    if (quiet) process.stderr.write(output);
    throw new Error(`${command} ${args.join(" ")} exited with ${code}`);
  }
}

export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const answer = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (answer.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
