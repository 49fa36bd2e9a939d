// The ledger's outbox: webhooks queued inside a transaction and delivered by the ledger's alarm
// after it, signed `X-Cognomega-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. A failed
// delivery is retried with exponential backoff (1 min doubling, at most an hour apart) and given
// up a day after it was queued.
import { errorDetail, log } from "../log";

const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 3_600_000;
export const OUTBOX_TTL_MS = 24 * 3_600_000;
const DELIVERY_TIMEOUT_MS = 10_000;

type OutboxRow = {
  id: string;
  url: string;
  body: string;
  created_at: number;
  attempts: number;
};

export async function signature(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return `sha256=${Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** When the next queued webhook is due, or null when the outbox is empty. */
export function nextDelivery(sql: SqlStorage): number | null {
  return sql.exec<{ at: number | null }>("SELECT MIN(next_at) AS at FROM outbox").one().at;
}

async function post(row: OutboxRow, secret: string | undefined): Promise<string | null> {
  try {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (secret) headers["X-Cognomega-Signature"] = await signature(secret, row.body);
    const response = await fetch(row.url, {
      method: "POST",
      headers,
      body: row.body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok ? null : `HTTP ${response.status}`;
  } catch (error) {
    return errorDetail(error);
  }
}

/** Delivers every due webhook once; failures are rescheduled, or dropped after a day. */
export async function deliverDue(sql: SqlStorage, secret: string | undefined, now: number): Promise<void> {
  const due = sql
    .exec<OutboxRow>("SELECT id, url, body, created_at, attempts FROM outbox WHERE next_at <= ? LIMIT 20", now)
    .toArray();
  for (const row of due) {
    const failure = await post(row, secret);
    const at = Date.now();
    if (failure === null) {
      sql.exec("DELETE FROM outbox WHERE id = ?", row.id);
      continue;
    }
    const retryAt = at + Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** row.attempts);
    if (retryAt - row.created_at > OUTBOX_TTL_MS) {
      log("error", row.id, "webhook given up after a day", { url: row.url, attempts: row.attempts + 1, failure });
      sql.exec("DELETE FROM outbox WHERE id = ?", row.id);
    } else {
      sql.exec(
        "UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?",
        retryAt,
        failure,
        row.id,
      );
    }
  }
}
