// The dashboard's "adjust balance" form: set a balance or move it by a delta, with a reason.
// Changes of LARGE_CHANGE credits or more need a second, explicit confirmation.
import { z } from "zod";
import { adjustSchema, applyAdjustment, namedAccount } from "~/server/billing/adjust";
import { balanceBody, type LedgerNamespace, readBalance } from "~/server/billing/ledger-client";
import { CLIENT_KEY } from "~/server/http/idempotency";
import { attempt } from "./admin.server";
import { type FieldErrors, fieldErrors } from "./forms.server";

export const LARGE_CHANGE = 1000;

const adjustForm = z.object({
  mode: z.enum(["delta", "set"], { error: "Choose whether to add or remove credits, or to set the balance." }),
  amount: z
    .string()
    .trim()
    .min(1, "Enter an amount.")
    .regex(/^[-+]?\d+(\.\d+)?$/, "Enter a number such as 25, -2.5 or 100."),
  reason: z
    .string()
    .trim()
    .min(1, "Say why; the reason is kept in the account's ledger.")
    .max(500, "At most 500 characters."),
  confirmed: z.literal("yes").optional(),
  key: z.string().regex(CLIENT_KEY).optional(),
});

export interface AdjustValues {
  mode: string;
  amount: string;
  reason: string;
  key: string;
}

export type AdjustOutcome =
  | { kind: "invalid"; errors: FieldErrors; values: AdjustValues }
  | { kind: "confirm"; values: AdjustValues; previous: number; next: number }
  | { kind: "applied"; previous: number; balance: number };

function valuesOf(fields: Record<string, string>): AdjustValues {
  return {
    mode: fields.mode ?? "delta",
    amount: fields.amount ?? "",
    reason: fields.reason ?? "",
    key: fields.key ?? "",
  };
}

export async function adjustFromForm(
  ledger: LedgerNamespace,
  account: string,
  fields: Record<string, string>,
): Promise<AdjustOutcome> {
  const values = valuesOf(fields);
  const form = adjustForm.safeParse(fields);
  if (!form.success) return { kind: "invalid", errors: fieldErrors(form.error), values };
  const { mode, reason, confirmed, key } = form.data;
  const amount = Number(form.data.amount);
  // The API's own rules (range, at most 6 decimals, a valid account).
  const body = adjustSchema.safeParse({ email: account, [mode]: amount, reason });
  if (!body.success) {
    const errors = fieldErrors(body.error);
    return { kind: "invalid", errors: { amount: errors.set ?? errors.delta, form: errors.email }, values };
  }
  const current = await attempt(() => readBalance(ledger, namedAccount(account)));
  if (!current.ok) return { kind: "invalid", errors: { form: current.problem.message }, values };
  const previous = balanceBody(current.value).balance;
  const next = mode === "set" ? amount : previous + amount;
  if (Math.abs(next - previous) >= LARGE_CHANGE && confirmed !== "yes") {
    return { kind: "confirm", values, previous, next };
  }
  const applied = await attempt(() => applyAdjustment(ledger, body.data, "admin:dashboard", key));
  if (!applied.ok) return { kind: "invalid", errors: { form: applied.problem.message }, values };
  return { kind: "applied", previous: applied.value.previous, balance: applied.value.balance };
}
