// The usage feed: validated paging over an account's ledger records, newest first.
import { z } from "zod";
import { badRequest } from "../http/errors";
import { validate } from "../http/json";
import { type LedgerNamespace, ledgerOf } from "./credits";
import { creditsFromMicro } from "./money";
import type { AccountRef, LedgerRecord, UsagePage } from "./types";

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

export const usageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(USAGE_MAX_LIMIT).default(20),
  cursor: z.string().max(64).optional(),
  since: instant.optional(),
  until: instant.optional(),
  kind: z.enum(["usage", "adjustment", "grant", "all"]).default("all"),
});

const CURSOR_PREFIX = "s";

export function encodeCursor(seq: number): string {
  return btoa(`${CURSOR_PREFIX}${seq}`).replace(/=+$/, "");
}

export function decodeCursor(cursor: string): number {
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    throw badRequest("cursor: not a cursor this API issued");
  }
  const match = text.match(/^s(\d{1,15})$/);
  if (!match) throw badRequest("cursor: not a cursor this API issued");
  return Number(match[1]);
}

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
    };
  }
  return {
    ...base,
    credits: creditsFromMicro(record.micro),
    balance_after: creditsFromMicro(record.balance_after),
    actor: record.actor,
    reason: record.reason,
    ...(record.kind === "adjustment" ? { mode: record.outcome } : {}),
  };
}

export async function usageFeed(namespace: LedgerNamespace, ref: AccountRef, rawQuery: unknown) {
  const query = validate(usageQuerySchema, rawQuery);
  const since = query.since === undefined ? undefined : toMillis(query.since);
  const until = query.until === undefined ? undefined : toMillis(query.until);
  if (since !== undefined && until !== undefined && since >= until) throw badRequest("since must be before until");
  const page: UsagePage = await ledgerOf(namespace, ref.account).usage({
    limit: query.limit,
    beforeSeq: query.cursor ? decodeCursor(query.cursor) : undefined,
    since,
    until,
    kinds: query.kind === "all" ? undefined : [query.kind],
  });
  return {
    ok: true as const,
    account: ref.account,
    records: page.records.map(publicRecord),
    next_cursor: page.nextBeforeSeq === null ? null : encodeCursor(page.nextBeforeSeq),
  };
}
