// Low-balance alerts: one signed webhook per crossing below LOW_BALANCE_THRESHOLD, queued in the
// ledger's outbox inside the transaction that crossed, delivered after it, retried with backoff
// for at most a day. The ledger's rules (Book) run here with their own settings on a real ledger's
// storage; deliveries go to a local HTTP receiver.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Book } from "../../app/server/billing/book";
import { ledgerOf } from "../../app/server/billing/ledger-client";
import { deliverDue, nextDelivery, OUTBOX_TTL_MS, signature } from "../../app/server/billing/outbox";
import { grant, onBehalfOf, postJson, uniqueEmail } from "./helpers";

const SECRET = "low-balance-test-secret";
const MICRO = 1_000_000;

interface Received {
  headers: Record<string, string>;
  body: string;
}

async function received(path: string): Promise<Received[]> {
  const response = await fetch(`${env.HOOKS_URL}/__received?path=${encodeURIComponent(path)}`);
  return (await response.json<{ received: Received[] }>()).received;
}

function bookWith(sql: SqlStorage, url: string) {
  return new Book(sql, {
    openingGrant: () => 0,
    holdTtlMs: () => 60_000,
    lowBalance: () => ({ thresholdMicro: MICRO / 2, url }),
  });
}

describe("low-balance alerts", () => {
  it("send one signed POST per crossing below the threshold, not one per change", async () => {
    const email = uniqueEmail("low");
    const path = `/low/${crypto.randomUUID()}`;
    const ref = { account: email, kind: "email" as const };
    await runInDurableObject(ledgerOf(env.LEDGER, email), async (_instance, state) => {
      const sql = state.storage.sql;
      const book = bookWith(sql, env.HOOKS_URL + path);
      const move = (delta: number) => book.adjust(ref, { delta: delta * MICRO, actor: "test" }, Date.now());
      move(1); // opens below the threshold (no alert: it never was above), then 1.0
      move(-0.3); // 0.7
      move(-0.3); // 0.4: crossed
      move(-0.1); // 0.3: still below
      move(-0.1); // 0.2
      book.adjust(ref, { set: 2 * MICRO, actor: "test" }, Date.now()); // back above
      move(-1.9); // 0.1: crossed again
      expect(sql.exec("SELECT COUNT(*) AS n FROM outbox").one().n).toBe(2);
      await deliverDue(sql, SECRET, Date.now());
      expect(nextDelivery(sql)).toBeNull();
    });
    const posts = await received(path);
    expect(posts.map((post) => JSON.parse(post.body))).toEqual([
      { account: email, balance: 0.4, threshold: 0.5, at: expect.any(String) },
      { account: email, balance: 0.1, threshold: 0.5, at: expect.any(String) },
    ]);
    for (const post of posts) {
      expect(post.headers["x-cognomega-signature"]).toBe(await signature(SECRET, post.body));
      expect(post.headers["x-cognomega-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    }
  });

  it("retry a failed delivery with backoff, and give it up after a day", async () => {
    const email = uniqueEmail("low-retry");
    const path = `/status/500/${crypto.randomUUID()}`;
    const ref = { account: email, kind: "email" as const };
    await runInDurableObject(ledgerOf(env.LEDGER, email), async (_instance, state) => {
      const sql = state.storage.sql;
      const book = bookWith(sql, env.HOOKS_URL + path);
      book.adjust(ref, { set: MICRO, actor: "test" }, Date.now());
      book.adjust(ref, { set: 0, actor: "test" }, Date.now());
      const queuedAt = Date.now();
      await deliverDue(sql, SECRET, queuedAt);
      const row = sql.exec<{ attempts: number; next_at: number; last_error: string }>("SELECT * FROM outbox").one();
      expect(row).toMatchObject({ attempts: 1, last_error: "HTTP 500" });
      expect(row.next_at - queuedAt).toBeGreaterThanOrEqual(60_000);
      // Not due yet: nothing is sent.
      await deliverDue(sql, SECRET, queuedAt + 1_000);
      expect(await received(path)).toHaveLength(1);
      // Pretend a day has passed since it was queued.
      sql.exec("UPDATE outbox SET created_at = ?, next_at = 0", queuedAt - OUTBOX_TTL_MS);
      await deliverDue(sql, SECRET, Date.now());
      expect(nextDelivery(sql)).toBeNull();
    });
    expect(await received(path)).toHaveLength(2);
  });

  it("are off by default: spending an account to nothing queues no alert", async () => {
    const email = uniqueEmail("low-off");
    await grant(email, 0.01);
    await postJson("/api/si/ask", { prompt: "spend it all", max_tokens: 1000 }, onBehalfOf(email));
    await runInDurableObject(ledgerOf(env.LEDGER, email), (_instance, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM outbox").one().n).toBe(0);
    });
  });
});
