// Starts the product the way `npm start` does (own port, fresh state) for a benchmark run.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { ROOT, toolEnv, toolPath, waitForHttp } from "../../scripts/lib/processes.ts";

export interface RunningProduct {
  base: string;
  adminKey: string;
  upstreamKey: string;
  /** The local model server's OpenAI base; the launcher starts it beside the Worker. */
  upstreamBase: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Where the product started on `port` finds its local model server. */
export const upstreamBaseFor = (port: number) => `http://127.0.0.1:${port + 12}/v1`;

/** What `react-router build` reads; a build newer than all of it is the build `npm start` would make. */
const BUILD_INPUTS = ["app", "workers", "public", "package-lock.json", "react-router.config.ts", "vite.config.ts"];

/** True when build/ is newer than every source file it is made from (tracked, untracked or deleted). */
export function buildIsCurrent(): boolean {
  const built = join(ROOT, "build", "server", "index.js");
  if (!existsSync(built)) return false;
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", ...BUILD_INPUTS], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const builtAt = statSync(built).mtimeMs;
  return [...files.split("\n").filter(Boolean), "wrangler.toml", ".dev.vars"].every((file) => {
    const path = join(ROOT, file);
    return existsSync(path) ? statSync(path).mtimeMs < builtAt : file === ".dev.vars";
  });
}

export async function startProduct(
  port: number,
  vars: Record<string, string> = {},
  options: { build?: boolean; stateDir?: string } = {},
): Promise<RunningProduct> {
  const upstreamBase = upstreamBaseFor(port);
  const args = [
    "scripts/start.ts",
    ...(options.build === false ? ["--no-build"] : []),
    "--quiet",
    // The benchmark's upstream key is not the generated `local_` one: ask for the model server.
    "--dev-model",
    "--fresh",
    "--port",
    String(port),
    "--persist-to",
    options.stateDir ?? join(ROOT, ".wrangler", `bench-state-${port}`),
    "--var",
    `OPENAI_BASE=${upstreamBase}`,
    ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}=${value}`]),
  ];
  const child = spawn(toolPath("node"), args, { cwd: ROOT, env: toolEnv(), stdio: ["ignore", "pipe", "inherit"] });
  child.stdout?.resume(); // wrangler's output is not read; an unread pipe would fill and stall it
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/ready`, 120_000, child);
  } catch (error) {
    child.kill("SIGTERM");
    throw error;
  }
  const devVars = parseEnv(readFileSync(join(ROOT, ".dev.vars"), "utf8")) as Record<string, string>;
  return {
    base,
    adminKey: devVars.ADMIN_API_KEY ?? "",
    upstreamKey: vars.OPENAI_API_KEY ?? devVars.OPENAI_API_KEY ?? "",
    upstreamBase,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Every process below `pid` (wrangler, workerd, …). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (id: number) => {
    for (const child of children.get(id) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

export function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

/** Resident memory of a process, in bytes. */
export function rss(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export async function grant(product: RunningProduct, email: string, credits: number) {
  const response = await fetch(`${product.base}/api/credits/adjust`, {
    method: "POST",
    headers: { "X-Admin-Key": product.adminKey, "Content-Type": "application/json" },
    body: JSON.stringify({ email, set: credits }),
  });
  if (!response.ok) throw new Error(`grant failed: ${response.status}`);
}
