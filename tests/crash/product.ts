// The product as `npm start` runs it (scripts/start.ts), in its own process group so the harness
// can kill the whole group at once, as an operator's bad day would.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { finished, ROOT, toolEnv, toolPath, waitForHttp } from "../../scripts/lib/processes.ts";

export interface ProductOptions {
  port: number;
  /** Holds the local state (--persist-to), the .dev.vars and the logs. */
  dir: string;
  vars: Record<string, string>;
  build: boolean;
  /** Names this run's log file. */
  label: string;
}

export interface Product {
  origin: string;
  child: ChildProcess;
  exited: Promise<number>;
  logPath: string;
  log(): string;
  /** SIGKILL to the whole process group: start.ts, wrangler and workerd die together. */
  crash(): Promise<void>;
  /** SIGTERM to start.ts, as a service manager stops it. */
  terminate(): void;
}

/** Resolves once nothing listens on `port` (workerd may outlive a stopped wrangler by a moment). */
async function portFree(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return;
    if (Date.now() > deadline) throw new Error(`port ${port} is still in use`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function startProduct(options: ProductOptions): Promise<Product> {
  await portFree(options.port, 20_000);
  const logPath = join(options.dir, `${options.label}.log`);
  const out = openSync(logPath, "a");
  const args = [
    "scripts/start.ts",
    "--quiet",
    "--no-dev-model",
    "--port",
    String(options.port),
    "--persist-to",
    join(options.dir, "state"),
    "--dev-vars",
    join(options.dir, ".dev.vars"),
    ...(options.build ? [] : ["--no-build"]),
    ...Object.entries(options.vars).flatMap(([name, value]) => ["--var", `${name}=${value}`]),
  ];
  const child = spawn(toolPath("node"), args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", out, out],
    env: toolEnv(),
  });
  closeSync(out);
  const exited = finished(child);
  const origin = `http://127.0.0.1:${options.port}`;
  await waitForHttp(`${origin}/ready`, options.build ? 180_000 : 60_000, child);
  const pid = child.pid as number;
  return {
    origin,
    child,
    exited,
    logPath,
    log: () => readFileSync(logPath, "utf8"),
    async crash() {
      process.kill(-pid, "SIGKILL");
      await exited;
    },
    terminate: () => child.kill("SIGTERM"),
  };
}

/** Kills what is left of a product's group (after a failure), quietly. */
export function killGroup(product: Product | undefined): void {
  if (!product?.child.pid) return;
  try {
    process.kill(-product.child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}
