// API keys as the API offers them (docs/decisions/009): made, listed and revoked by an admin for
// any email account, or by the account itself (one of its keys, or its signed-in session).
// Every operation is one call to the account's ledger; a key id routes to its ledger by itself,
// so someone else's key id is a 404 without reading anything. Views never carry a secret or hash.
import { z } from "zod";
import { denied, normalizeEmail } from "../auth/identity";
import { carrying, type LedgerNamespace, ledgerFor, ledgerOfKeyId, sameLedger } from "../billing/ledger-client";
import { creditsFromMicro, MICRO_PER_CREDIT, microFromCredits } from "../billing/money";
import type { AccountRef, Caller, KeyView, NewKeyOptions } from "../billing/types";
import { ApiError, forbidden, notFound } from "../http/errors";

const instant = z.union([
  z.number().finite().positive(),
  z
    .string()
    .trim()
    .refine((raw) => !Number.isNaN(Date.parse(raw)), "must be an ISO 8601 time or unix seconds"),
]);

const credits = z
  .number({ error: "must be a number of credits" })
  .finite()
  .positive()
  .max(1_000_000_000)
  .refine((value) => Math.abs(value * MICRO_PER_CREDIT - Math.round(value * MICRO_PER_CREDIT)) < 1e-6, {
    message: "at most 6 decimal places",
  });

const keyFields = {
  name: z.string().trim().min(1).max(100).optional(),
  /** When the key stops working: ISO 8601, or unix seconds; must be in the future. */
  expires_at: instant.optional(),
  /** Credits this key may spend in all. */
  credit_limit: credits.optional(),
};

export const newKeySchema = z.object(keyFields).strict();
export const adminNewKeySchema = z
  .object({ email: z.string({ error: "is required" }).trim().min(1, "is required").max(254), ...keyFields })
  .strict();
export const adminKeyListSchema = z.object({ email: z.string({ error: "is required" }).trim().min(1).max(254) });

type NewKeyBody = z.output<typeof newKeySchema>;

function options(body: NewKeyBody, now = Date.now()): NewKeyOptions {
  const expiresAt =
    body.expires_at === undefined
      ? undefined
      : typeof body.expires_at === "number"
        ? body.expires_at * 1000
        : Date.parse(body.expires_at);
  if (expiresAt !== undefined && expiresAt <= now) {
    throw new ApiError(400, "invalid_request", "expires_at: must be in the future");
  }
  return {
    name: body.name,
    expiresAt,
    creditLimit: body.credit_limit === undefined ? undefined : microFromCredits(body.credit_limit),
  };
}

const NO_GUEST_KEYS = "Guests have no API keys; use an email account.";
const callerOf = (who: Caller | AccountRef): Caller => ("via" in who ? who : { via: "account", ref: who });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A key as the API shows it: never its secret or hash. */
export function publicKey(view: KeyView, now = Date.now()) {
  const state =
    view.revoked_at !== null ? "revoked" : view.expires_at !== null && view.expires_at <= now ? "expired" : "active";
  return {
    id: view.id,
    name: view.name,
    prefix: view.prefix,
    state,
    created_at: iso(view.created_at),
    last_used_at: iso(view.last_used_at),
    expires_at: iso(view.expires_at),
    credit_limit: view.credit_limit === null ? null : creditsFromMicro(view.credit_limit),
    spent: creditsFromMicro(view.spent),
    revoked_at: iso(view.revoked_at),
  };
}

/** Makes a key for `who`: an email account named by an admin, or the calling account itself. */
export async function createKey(namespace: LedgerNamespace, who: Caller | AccountRef, body: NewKeyBody) {
  const caller = callerOf(who);
  if (caller.via === "account" && caller.ref.kind === "guest") throw forbidden(NO_GUEST_KEYS);
  // An admin names the account (no caller to check); anyone else is checked by the ledger.
  const made = await ledgerFor(namespace, caller).createKey(who, options(body));
  if (made.status === "denied") throw denied(made.code);
  if (made.status === "guest") throw forbidden(NO_GUEST_KEYS);
  // The secret is in this answer and nowhere else, ever.
  return { ok: true as const, key: { ...publicKey(made.key), email: made.account, secret: made.secret } };
}

export async function listKeys(namespace: LedgerNamespace, who: Caller | AccountRef) {
  const caller = callerOf(who);
  if (caller.via === "account" && caller.ref.kind === "guest") throw forbidden(NO_GUEST_KEYS);
  const ledger = ledgerFor(namespace, caller);
  const listed = await carrying(ledger, async (settles) => await ledger.listKeys(caller, settles));
  if (listed.status === "denied") throw denied(listed.code);
  return { ok: true as const, account: listed.account, keys: listed.keys.map((key) => publicKey(key)) };
}

/** Revokes a key: by an admin (`who` null), or by its own account (anyone else's id is a 404). */
export async function revokeKey(namespace: LedgerNamespace, who: Caller | null, id: string) {
  if (who?.via === "account" && who.ref.kind === "guest") throw forbidden(NO_GUEST_KEYS);
  const stub = ledgerOfKeyId(namespace, id);
  if (!stub || (who && !sameLedger(namespace, who, id))) throw notFound("No such API key.");
  const revoked = await stub.revokeKey(who, id);
  if (revoked.status === "denied") throw denied(revoked.code);
  if (revoked.status !== "ok") throw notFound("No such API key.");
  return { ok: true as const, key: { ...publicKey(revoked.key), email: revoked.account } };
}

/** The account an admin names for its keys (keys belong to email accounts). */
export function emailAccount(raw: string): AccountRef {
  return { account: normalizeEmail(raw), kind: "email" };
}
