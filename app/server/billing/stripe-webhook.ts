// Stripe top-ups (issue 16): POST /api/billing/stripe/webhook. The signature is checked with the
// official library (constructEventAsync with its SubtleCrypto provider); a paid checkout session
// credits amount_total × CREDITS_PER_USD to the account once per event id — the ledger keeps the
// event id as an operation key in the same transaction as the credit, so a redelivered or
// concurrent duplicate changes nothing. The account is the one `client_reference_id` names (the
// route of its ledger, as the chat's "Buy credits" link sends it), else the customer's email.
import type Stripe from "stripe";
import { objectIdOfRoute, routeOfObjectId } from "../auth/api-key";
import { normalizeEmail } from "../auth/identity";
import type { RequestScope } from "../context";
import { ApiError, badRequest } from "../http/errors";
import { readBodyText } from "../http/json";
import { log } from "../log";
import { type LedgerNamespace, type LedgerStub, ledgerOf } from "./ledger-client";
import { creditsFromMicro, MAX_MICRO } from "./money";
import type { TopUpResult } from "./types";

const BODY_LIMIT = 256 * 1024;
/** Events that mean "this checkout has been paid". */
const PAID_EVENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);

/** What the chat's Payment Link sends as client_reference_id: the route of the account's ledger. */
export function accountReference(namespace: LedgerNamespace, email: string): string {
  return routeOfObjectId(namespace.idFromName(`acct:${email}`).toString());
}

/** The Payment Link for a signed-in account, or null when top-ups are off. */
export function paymentLinkFor(scope: RequestScope, email: string): string | null {
  const { paymentLink, webhookSecret } = scope.config.stripe;
  if (!paymentLink || !webhookSecret) return null;
  const url = new URL(paymentLink);
  url.searchParams.set("client_reference_id", accountReference(scope.env.LEDGER, email));
  url.searchParams.set("prefilled_email", email);
  return url.toString();
}

async function verifiedEvent(request: Request, secret: string): Promise<Stripe.Event> {
  const header = request.headers.get("Stripe-Signature");
  if (!header) throw new ApiError(400, "invalid_signature", "The Stripe-Signature header is missing.");
  const body = await readBodyText(request, BODY_LIMIT);
  // Loaded here, not at start-up: no ask pays for the library.
  const { default: StripeLibrary } = await import("stripe");
  try {
    return await StripeLibrary.webhooks.constructEventAsync(
      body,
      header,
      secret,
      undefined,
      StripeLibrary.createSubtleCryptoProvider(),
    );
  } catch {
    throw new ApiError(400, "invalid_signature", "The Stripe signature does not verify.");
  }
}

/** amount_total (cents) × micro-credits per dollar ÷ 100, exactly (BigInt), rounded down. */
export function creditsForCents(cents: number, microPerUsd: number): number {
  const micro = (BigInt(cents) * BigInt(microPerUsd)) / 100n;
  if (micro > BigInt(MAX_MICRO)) throw badRequest("amount_total is too large to credit");
  return Number(micro);
}

function ledgerOfReference(namespace: LedgerNamespace, reference: string | null): LedgerStub | null {
  const hex = reference ? objectIdOfRoute(reference) : null;
  if (!hex) return null;
  try {
    return namespace.get(namespace.idFromString(hex));
  } catch {
    return null;
  }
}

async function credit(scope: RequestScope, session: Stripe.Checkout.Session, eventId: string, micro: number) {
  const namespace = scope.env.LEDGER;
  const input = { eventId, micro, sessionId: session.id };
  const named = ledgerOfReference(namespace, session.client_reference_id);
  let result: TopUpResult = { status: "no_account" };
  if (named) result = await named.topUp(null, input);
  const rawEmail = session.customer_details?.email ?? session.customer_email;
  if (result.status === "no_account" && rawEmail) {
    const email = normalizeEmail(rawEmail);
    result = await ledgerOf(namespace, email).topUp({ account: email, kind: "email" }, input);
  }
  if (result.status === "no_account") {
    log("error", scope.requestId, "stripe payment names no account", { event: eventId, session: session.id });
    throw new ApiError(422, "account_unknown", "The payment names no account (client_reference_id or email).");
  }
  return result;
}

export async function stripeWebhook(request: Request, scope: RequestScope) {
  const { webhookSecret, microPerUsd } = scope.config.stripe;
  if (!webhookSecret)
    throw new ApiError(503, "stripe_disabled", "Stripe top-ups are off: STRIPE_WEBHOOK_SECRET is not set.");
  const event = await verifiedEvent(request, webhookSecret);
  if (!PAID_EVENTS.has(event.type)) return { ok: true as const, event: event.id, credited: 0, ignored: event.type };
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.payment_status !== "paid") {
    // An asynchronous payment method: checkout.session.async_payment_succeeded credits it later.
    return { ok: true as const, event: event.id, credited: 0, ignored: `payment_status ${session.payment_status}` };
  }
  if ((session.currency ?? "").toLowerCase() !== "usd") {
    throw new ApiError(422, "currency_not_supported", "Only USD payments are credited (CREDITS_PER_USD).");
  }
  const micro = creditsForCents(session.amount_total ?? 0, microPerUsd);
  const result = await credit(scope, session, event.id, micro);
  log("info", scope.requestId, "stripe top-up", { event: event.id, session: session.id, status: result.status });
  return {
    ok: true as const,
    event: event.id,
    account: result.account,
    credited: creditsFromMicro(micro),
    balance: creditsFromMicro(result.balance),
    duplicate: result.status === "duplicate",
    record_id: result.recordId,
  };
}
