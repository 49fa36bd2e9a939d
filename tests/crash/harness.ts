// What the crash harness's phases share: its settings, the product it runs (on CRASH_PORT,
// default 8840, with state in a temporary folder), the slow upstream beside it (the next port),
// the admin key, the tally of checks, and small helpers.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDevVars } from "../../scripts/lib/dev-vars.ts";
import { Tally } from "./checks.ts";
import { type Account, headersFor, newAccount } from "./client.ts";
import { type Product, startProduct } from "./product.ts";
import { startSlowUpstream } from "./upstream.ts";

export const DEADLINE_MS = 9_000;
export const GRACE_MS = 3_000;
export const TTL_MS = DEADLINE_MS + GRACE_MS;
/** How late an alarm may fire on a loaded machine and still count as on time. */
export const ALARM_SLACK_MS = 2_500;
export const STREAMS = 20;
/** Phase 1's streams, and their whole output as a cut-short stream is counted (app/server/llm/tokens.ts). */
export const LONG_WORDS = 120;
export const MOST_OUT = Math.max(
  LONG_WORDS,
  Math.ceil(Array.from({ length: LONG_WORDS }, (_, i) => `word${i + 1}`).join(" ").length / 4),
);
export const PLAIN = 10;

export const port = Number(process.env.CRASH_PORT ?? 8840);
export const dir = mkdtempSync(join(tmpdir(), "cognomega-crash-"));
export const started = Date.now();
export const tally = new Tally();
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
export const step = (line: string) => console.log(`[crash ${elapsed()}] ${line}`);

export async function until(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what} (upstream ${JSON.stringify(upstream.counts)})`);
    await sleep(5);
  }
}

const devVars = ensureDevVars(join(dir, ".dev.vars"), port, port + 1);
export const adminKey = devVars.vars.ADMIN_API_KEY as string;
export const upstream = await startSlowUpstream(port + 1, devVars.vars.OPENAI_API_KEY as string);
const vars = {
  OPENAI_BASE: `${upstream.url}/v1`,
  PREFERRED_PROVIDER: "openai",
  LLM_DEADLINE_MS: String(DEADLINE_MS),
  HOLD_GRACE_MS: String(GRACE_MS),
  LLM_ATTEMPT_TIMEOUT_MS: String(DEADLINE_MS),
  NEW_ACCOUNT_CREDITS: "20",
};
/** The product running now (the one to clean up after a failure). */
export const current: { product?: Product } = {};
export const start = async (label: string, build = false) => {
  current.product = await startProduct({ port, dir, vars, build, label });
  return current.product;
};

export async function accounts(origin: string, label: string, count: number): Promise<Account[]> {
  const made: Account[] = [];
  for (let i = 0; i < count; i += 8) {
    const batch = Array.from({ length: Math.min(8, count - i) }, (_, j) => `crash-${label}-${i + j}@example.com`);
    made.push(...(await Promise.all(batch.map((email) => newAccount(origin, adminKey, email)))));
  }
  return made;
}

export async function jobRequest(origin: string, account: Account, path: string, init: RequestInit = {}) {
  const response = await fetch(`${origin}${path}`, { ...init, headers: headersFor(account) });
  return {
    status: response.status,
    body: (await response.json()) as { job: { id: string; status: string; error?: { code: string } | null } },
  };
}
