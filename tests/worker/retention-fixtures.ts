// Shared by the retention tests: a scope for the cron's functions, and an account index seeded
// directly in KV (with real ledgers where a test needs one).
import { createExecutionContext, env, runInDurableObject } from "cloudflare:test";
import type { AccountSummary } from "../../app/server/billing/accounts";
import { ledgerOf } from "../../app/server/billing/ledger-client";
import { loadConfig } from "../../app/server/config";
import type { RequestScope } from "../../app/server/context";
import { RETENTION_STATE_KEY } from "../../app/server/cron";

export const DAY = 86_400_000;

export function scope(vars: Record<string, string>): RequestScope {
  const withVars = { ...env, ...vars } as Env;
  return { env: withVars, ctx: createExecutionContext(), config: loadConfig(withVars), requestId: "test-cron" };
}

export async function wipeIndex() {
  await env.KV_BILLING.delete(RETENTION_STATE_KEY);
  for (;;) {
    const page = await env.KV_BILLING.list({ prefix: "acct:" });
    if (page.keys.length === 0) return;
    await Promise.all(page.keys.map((key) => env.KV_BILLING.delete(key.name)));
  }
}

export async function index(summary: AccountSummary) {
  await env.KV_BILLING.put(`acct:${summary.account}`, JSON.stringify(summary), { metadata: summary });
}

export async function seedEmails(prefix: string, count: number) {
  const now = Date.now();
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) => {
      const account = `${prefix}${String(start + i).padStart(5, "0")}@example.com`;
      return index({ account, kind: "email", created_at: now, last_seen: now, balance: 1_000_000, spent: 0 });
    });
    await Promise.all(batch);
  }
}

/** A guest whose ledger really holds `balance`, last seen `ageDays` ago, in the index as such. */
export async function guest(id: string, balance: number, ageDays: number) {
  const ref = { account: `guest:${id}`, kind: "guest" as const };
  const stub = ledgerOf(env.LEDGER, ref.account);
  await stub.adjust(ref, { set: balance, actor: "test" });
  const seen = Date.now() - ageDays * DAY;
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("UPDATE account SET last_seen = ?", seen);
  });
  // The index as a stale copy may show it: empty and long unseen.
  await index({ account: ref.account, kind: "guest", created_at: seen, last_seen: seen, balance: 0, spent: 0 });
  return ref.account;
}

export const indexed = async (account: string) => (await env.KV_BILLING.get(`acct:${account}`)) !== null;
