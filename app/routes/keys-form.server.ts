// The key forms of the web app — the chat's keys page (an account managing its own keys) and the
// dashboard's account page (an admin managing anyone's): make a key (its secret is in the answer
// once, and nowhere else), or revoke one. Field errors come back in words, never as a 500.
import { z } from "zod";
import type { LedgerNamespace } from "~/server/billing/ledger-client";
import type { AccountRef, Caller } from "~/server/billing/types";
import { createKey, revokeKey } from "~/server/keys/manage";
import { attempt } from "./admin.server";
import { type FieldErrors, fieldErrors } from "./forms.server";

const DAY_MS = 86_400_000;

const createForm = z.object({
  name: z.string().trim().max(100, "At most 100 characters.").optional(),
  credit_limit: z
    .string()
    .trim()
    .regex(/^(\d+(\.\d{1,6})?)?$/, "Enter a number of credits such as 25 or 2.5, or leave it empty.")
    .optional(),
  expires_in_days: z
    .string()
    .trim()
    .regex(/^(\d{1,4})?$/, "Enter a whole number of days, or leave it empty.")
    .optional(),
});

const revokeForm = z.object({ id: z.string().trim().min(1, "Choose a key to revoke.").max(64) });

export interface NewKeyValues {
  name: string;
  credit_limit: string;
  expires_in_days: string;
}

export type KeyFormOutcome =
  | { kind: "created"; key: Awaited<ReturnType<typeof createKey>>["key"] }
  | { kind: "revoked"; key: Awaited<ReturnType<typeof revokeKey>>["key"] }
  | { kind: "invalid"; errors: FieldErrors; values: NewKeyValues };

const valuesOf = (fields: Record<string, string>): NewKeyValues => ({
  name: fields.name ?? "",
  credit_limit: fields.credit_limit ?? "",
  expires_in_days: fields.expires_in_days ?? "",
});

/**
 * `intent` "create-key" or "revoke-key", for `owner`: the calling account (its session's caller),
 * or for an admin the account named (`AccountRef`; revoking then needs no owner).
 */
export async function keyFormAction(
  namespace: LedgerNamespace,
  owner: Caller | AccountRef,
  fields: Record<string, string>,
  now = Date.now(),
): Promise<KeyFormOutcome> {
  const values = valuesOf(fields);
  if (fields.intent === "revoke-key") {
    const form = revokeForm.safeParse(fields);
    if (!form.success) return { kind: "invalid", errors: fieldErrors(form.error), values };
    const who = "via" in owner ? owner : null;
    const revoked = await attempt(() => revokeKey(namespace, who, form.data.id));
    if (!revoked.ok) return { kind: "invalid", errors: { form: revoked.problem.message }, values };
    return { kind: "revoked", key: revoked.value.key };
  }
  const form = createForm.safeParse(fields);
  if (!form.success) return { kind: "invalid", errors: fieldErrors(form.error), values };
  const { name, credit_limit, expires_in_days } = form.data;
  const days = expires_in_days ? Number(expires_in_days) : 0;
  const body = {
    ...(name ? { name } : {}),
    ...(credit_limit ? { credit_limit: Number(credit_limit) } : {}),
    ...(days > 0 ? { expires_at: Math.floor((now + days * DAY_MS) / 1000) } : {}),
  };
  const created = await attempt(() => createKey(namespace, owner, body));
  if (!created.ok) return { kind: "invalid", errors: { form: created.problem.message }, values };
  return { kind: "created", key: created.value.key };
}
