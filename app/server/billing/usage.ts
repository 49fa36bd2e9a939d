// The usage feed: paging over an account's ledger records, newest first. The query schema turns
// what a caller sends (cursor, ISO or unix times, a kind) into the ledger's own query.
import { z } from "zod";
import { KEY_ID_PREFIX } from "../auth/api-key";
import { denied } from "../auth/identity";
import { carrying, type LedgerNamespace, ledgerFor } from "./ledger-client";
import { creditsFromMicro } from "./money";
import type { AccountRef, Caller, LedgerRecord, UsageQuery } from "./types";

export const USAGE_MAX_LIMIT = 100;

const instant = z.union([
  z.number().finite().nonnegative(),
  z
    .string()
    .trim()
    .refine((raw) => raw !== "" && !Number.isNaN(toMillis(raw)), "must be an ISO 8601 time or unix seconds"),
]);

function toMillis(raw: string | number): number {
  if (typeof raw === "number") return raw * 1000;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  return Date.parse(raw);
}

const CURSOR_PREFIX = "s";

export function encodeCursor(seq: number): string {
  return btoa(`${CURSOR_PREFIX}${seq}`).replace(/=+$/, "");
}

/** The sequence number a cursor stands for, or null when this API did not issue it. */
export function decodeCursor(cursor: string): number | null {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    return null;
  }
  const match = text.match(/^s(\d{1,15})$/);
  return match ? Number(match[1]) : null;
}

const cursor = z
  .string()
  .max(64)
  .transform((raw, ctx) => {
    const seq = decodeCursor(raw);
    if (seq === null) ctx.addIssue({ code: "custom", message: "not a cursor this API issued" });
    return seq ?? 0;
  });

export const usageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(USAGE_MAX_LIMIT).default(20),
    cursor: cursor.optional(),
    since: instant.optional(),
    until: instant.optional(),
    kind: z.enum(["usage", "adjustment", "grant", "topup", "allowance", "all"]).default("all"),
    key_id: z
      .string()
      .max(64)
      .refine((raw) => raw.startsWith(KEY_ID_PREFIX), "must be a key id (key_…)")
      .optional(),
  })
  .transform(
    (query): UsageQuery => ({
      limit: query.limit,
      beforeSeq: query.cursor,
      since: query.since === undefined ? undefined : toMillis(query.since),
      until: query.until === undefined ? undefined : toMillis(query.until),
      kinds: query.kind === "all" ? undefined : [query.kind],
      keyId: query.key_id,
    }),
  )
  .refine((query) => query.since === undefined || query.until === undefined || query.since < query.until, {
    message: "must be after since",
    path: ["until"],
  });

export function publicRecord(record: LedgerRecord) {
  const base = { id: record.id, kind: record.kind, time: new Date(record.at).toISOString() };
  if (record.kind === "usage") {
    return {
      ...base,
      provider: record.provider,
      model: record.model,
      tokens_in: record.tokens_in,
      tokens_out: record.tokens_out,
      estimated: record.estimated,
      credits: creditsFromMicro(record.micro),
      balance_after: creditsFromMicro(record.balance_after),
      request_id: record.request_id,
      job_id: record.job_id,
      tier: record.tier,
      outcome: record.outcome,
      key_id: record.key_id,
      price_in: record.price_in === null ? null : creditsFromMicro(record.price_in),
      price_out: record.price_out === null ? null : creditsFromMicro(record.price_out),
    };
  }
  return {
    ...base,
    credits: creditsFromMicro(record.micro),
    balance_after: creditsFromMicro(record.balance_after),
    actor: record.actor,
    reason: record.reason,
    ...(record.kind === "adjustment" ? { mode: record.outcome } : {}),
    // A top-up's Stripe checkout session, an allowance's period.
    ...(record.ref ? { ref: record.ref } : {}),
  };
}

/** One page of the caller's records (the ledger checks a key, or a key's session, in the same call). */
export async function usageFeed(namespace: LedgerNamespace, who: Caller | AccountRef, query: UsageQuery) {
  const caller: Caller = "via" in who ? who : { via: "account", ref: who };
  const ledger = ledgerFor(namespace, caller);
  const result = await carrying(ledger, async (settles) => await ledger.usageFor(caller, query, settles));
  if (result.status === "denied") throw denied(result.code);
  const { page, ref } = result;
  return {
    ok: true as const,
    account: ref.account,
    records: page.records.map(publicRecord),
    next_cursor: page.nextBeforeSeq === null ? null : encodeCursor(page.nextBeforeSeq),
  };
}
