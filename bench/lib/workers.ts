// The peers, run beside the product under the same runtime (the project's wrangler, local
// workerd): the bare pass-through Worker in bench/bare/ and, from a prepared source dir,
// Portkey's gateway Worker (/work/shared/PEERS.md says how to prepare one).
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished, ROOT, runWrangler, waitForHttp } from "../../scripts/lib/processes.ts";

export interface RunningWorker {
  base: string;
  /** wrangler's process (the runtimes it starts are its descendants). */
  pid: number;
  stop(): Promise<void>;
}

async function startWorker(
  config: string,
  port: number,
  readyPath: string,
  vars: Record<string, string> = {},
  stateRoot = tmpdir(),
) {
  mkdirSync(stateRoot, { recursive: true });
  const scratch = mkdtempSync(join(stateRoot, "bench-worker-"));
  const child = runWrangler(
    [
      "dev",
      "--local",
      "--config",
      config,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(port + 1),
      "--persist-to",
      scratch,
      "--log-level",
      "warn",
      "--show-interactive-dev-session=false",
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    { quiet: true },
  );
  let log = "";
  child.stdout?.resume();
  child.stderr?.on("data", (data) => (log = (log + data).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = finished(child);
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}${readyPath}`, 90_000, child);
  } catch (error) {
    await stop();
    throw new Error(`${config} did not start: ${(error as Error).message}\n${log}`);
  }
  return { base, pid: child.pid ?? 0, stop };
}

/**
 * The bare Worker, forwarding to `upstreamBase`; it signs with a fresh 2048-bit key, as
 * `npm start`'s. Its local state (the Durable Object under /hold/) goes in a scratch folder
 * inside `stateRoot` (default: the system's temporary folder).
 */
export function startBareWorker(
  port: number,
  upstreamBase: string,
  upstreamKey: string,
  stateRoot?: string,
): Promise<RunningWorker> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return startWorker(
    join(ROOT, "bench", "bare", "wrangler.toml"),
    port,
    "/sign",
    {
      UPSTREAM_BASE: upstreamBase,
      UPSTREAM_KEY: upstreamKey,
      SIGNING_KEY_PKCS8: privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"),
    },
    stateRoot,
  );
}

/** Portkey's gateway as a Worker, from a source dir prepared as PEERS.md says. */
export async function startPortkeyWorker(dir: string, port: number): Promise<RunningWorker> {
  for (const needed of ["wrangler.toml", "src/index.ts", "node_modules"]) {
    if (!existsSync(join(dir, needed))) {
      throw new Error(`--portkey ${dir}: ${needed} is missing (prepare the dir as /work/shared/PEERS.md says)`);
    }
  }
  return startWorker(join(dir, "wrangler.toml"), port, "/");
}
