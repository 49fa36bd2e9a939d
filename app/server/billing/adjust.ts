// POST /api/credits/adjust: an admin sets a balance or moves it by a delta, with a reason.
import { z } from "zod";
import { normalizeEmail } from "../auth/identity";
import { GUEST_ID } from "../auth/tokens";
import { adjustCredits, type LedgerNamespace } from "./ledger-client";
import { creditsFromMicro, MICRO_PER_CREDIT, microFromCredits } from "./money";
import type { AccountRef } from "./types";

/** No single change may move more than a billion credits. */
const MAX_CHANGE = 1_000_000_000;

const amount = z
  .number({ error: "must be a number" })
  .finite()
  .refine((value) => Math.abs(value * MICRO_PER_CREDIT - Math.round(value * MICRO_PER_CREDIT)) < 1e-6, {
    message: "at most 6 decimal places",
  });

export const adjustSchema = z
  .object({
    email: z.string({ error: "is required" }).trim().min(1, "is required").max(254),
    set: amount.min(0, "cannot be negative").max(MAX_CHANGE).optional(),
    delta: amount.min(-MAX_CHANGE).max(MAX_CHANGE).optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((body) => (body.set === undefined) !== (body.delta === undefined), {
    message: "send exactly one of set or delta",
    path: ["set"],
  });

export type AdjustBody = z.output<typeof adjustSchema>;

/** The account an admin names: an email, or a guest id as shown on the dashboard. */
export function namedAccount(raw: string): AccountRef {
  const value = raw.trim();
  if (GUEST_ID.test(value)) return { account: value, kind: "guest" };
  return { account: normalizeEmail(value), kind: "email" };
}

export async function applyAdjustment(
  namespace: LedgerNamespace,
  input: AdjustBody,
  actor: string,
  idempotencyKey: string | undefined,
) {
  const ref = namedAccount(input.email);
  const result = await adjustCredits(namespace, ref, {
    set: input.set === undefined ? undefined : microFromCredits(input.set),
    delta: input.delta === undefined ? undefined : microFromCredits(input.delta),
    reason: input.reason,
    actor,
    key: idempotencyKey,
  });
  return {
    ok: true as const,
    account: ref.account,
    email: ref.kind === "email" ? ref.account : undefined,
    previous: creditsFromMicro(result.previous),
    balance: creditsFromMicro(result.balance),
    record_id: result.recordId,
    replayed: result.replayed,
  };
}
