// Stripe top-ups: the webhook verifies Stripe's signature with the official library and credits a
// paid checkout exactly once per event id, however often (and however concurrently) it arrives.
import { env } from "cloudflare:test";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { accountReference } from "../../app/server/billing/stripe-webhook";
import { balanceOf, callWith, expectEnvelope, grant, onBehalfOf, uniqueEmail } from "./helpers";

const SECRET = "whsec_test_cognomega";
const VARS = { STRIPE_WEBHOOK_SECRET: SECRET, CREDITS_PER_USD: "100" };

interface SessionFields {
  amount_total?: number;
  client_reference_id?: string | null;
  email?: string | null;
  currency?: string;
  payment_status?: string;
}

function checkoutEvent(fields: SessionFields, type = "checkout.session.completed") {
  const id = `evt_${crypto.randomUUID().replace(/-/g, "")}`;
  return {
    id,
    object: "event",
    type,
    data: {
      object: {
        id: `cs_test_${crypto.randomUUID().replace(/-/g, "")}`,
        object: "checkout.session",
        amount_total: fields.amount_total ?? 500,
        currency: fields.currency ?? "usd",
        payment_status: fields.payment_status ?? "paid",
        client_reference_id: fields.client_reference_id ?? null,
        customer_details: { email: fields.email ?? null },
      },
    },
  };
}

async function deliver(event: object, secret = SECRET, vars: Record<string, unknown> = VARS) {
  const payload = JSON.stringify(event);
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return callWith(vars, "/api/billing/stripe/webhook", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": header },
    body: payload,
  });
}

async function topUps(email: string) {
  const response = await callWith(VARS, `/api/billing/usage?kind=topup&email=${encodeURIComponent(email)}`, {
    headers: onBehalfOf(),
  });
  return (await response.json<{ records: Array<Record<string, unknown>> }>()).records;
}

describe("POST /api/billing/stripe/webhook", () => {
  it("credits amount_total × CREDITS_PER_USD to the customer's email and records the session", async () => {
    const email = uniqueEmail("payer");
    await grant(email, 1);
    const event = checkoutEvent({ amount_total: 1234, email });
    const response = await deliver(event);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, account: email, credited: 1234, duplicate: false });
    expect((await balanceOf(email)).balance).toBe(1235);
    const [record] = await topUps(email);
    expect(record).toMatchObject({ kind: "topup", credits: 1234, ref: event.data.object.id, actor: "stripe" });
  });

  it("credits exactly: fractional rates stay exact to the micro-credit", async () => {
    const email = uniqueEmail("exact");
    const response = await deliver(checkoutEvent({ amount_total: 999, email }), SECRET, {
      ...VARS,
      CREDITS_PER_USD: "0.333333",
    });
    // 9.99 × 0.333333 = 3.32999667 → 3.329996 (rounded down to the micro-credit).
    expect(await response.json()).toMatchObject({ credited: 3.329996 });
    expect((await balanceOf(email)).balance).toBe(3.329996);
  });

  it("refuses a bad signature with 400 and credits nothing", async () => {
    const email = uniqueEmail("forged");
    await grant(email, 2);
    const forged = await deliver(checkoutEvent({ amount_total: 10_000, email }), "whsec_not_the_secret");
    await expectEnvelope(forged, 400, "invalid_signature");
    const unsigned = await callWith(VARS, "/api/billing/stripe/webhook", {
      method: "POST",
      body: JSON.stringify(checkoutEvent({ email })),
    });
    await expectEnvelope(unsigned, 400, "invalid_signature");
    expect((await balanceOf(email)).balance).toBe(2);
    expect(await topUps(email)).toEqual([]);
  });

  it("credits once when the same event arrives twenty times at once, and answers 200 to each", async () => {
    const email = uniqueEmail("dupes");
    await grant(email, 0);
    const event = checkoutEvent({ amount_total: 700, email });
    const responses = await Promise.all(Array.from({ length: 20 }, () => deliver(event)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const bodies = await Promise.all(responses.map((r) => r.json<{ duplicate: boolean }>()));
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    expect((await balanceOf(email)).balance).toBe(700);
    // A replay much later is still a duplicate.
    const replay = await deliver(event);
    expect(await replay.json()).toMatchObject({ duplicate: true, credited: 700 });
    expect((await balanceOf(email)).balance).toBe(700);
    expect(await topUps(email)).toHaveLength(1);
  });

  it("credits the account client_reference_id names, whatever email paid", async () => {
    const email = uniqueEmail("named");
    await grant(email, 1);
    const other = uniqueEmail("card-holder");
    const reference = accountReference(env.LEDGER, email);
    const response = await deliver(checkoutEvent({ amount_total: 200, client_reference_id: reference, email: other }));
    expect(await response.json()).toMatchObject({ account: email, credited: 200 });
    expect((await balanceOf(email)).balance).toBe(201);
    expect((await balanceOf(other)).balance).toBe(0);
  });

  it("opens the account of a new email", async () => {
    const email = uniqueEmail("newcomer");
    const response = await deliver(checkoutEvent({ amount_total: 100, email: email.toUpperCase() }));
    expect(await response.json()).toMatchObject({ account: email, credited: 100 });
    expect((await balanceOf(email)).balance).toBe(100);
  });

  it("credits nothing for an unpaid session or another event, and says so", async () => {
    const email = uniqueEmail("unpaid");
    const unpaid = await deliver(checkoutEvent({ email, payment_status: "unpaid" }));
    expect(await unpaid.json()).toMatchObject({ ok: true, credited: 0 });
    const other = await deliver(checkoutEvent({ email }, "checkout.session.expired"));
    expect(await other.json()).toMatchObject({ ok: true, credited: 0, ignored: "checkout.session.expired" });
    const later = await deliver(
      checkoutEvent({ amount_total: 300, email }, "checkout.session.async_payment_succeeded"),
    );
    expect(await later.json()).toMatchObject({ credited: 300 });
  });

  it("answers 422 when the payment names no account, and for a currency other than USD", async () => {
    await expectEnvelope(await deliver(checkoutEvent({ email: null })), 422, "account_unknown");
    await expectEnvelope(
      await deliver(checkoutEvent({ email: uniqueEmail(), currency: "eur" })),
      422,
      "currency_not_supported",
    );
  });

  it("is off (503) without STRIPE_WEBHOOK_SECRET", async () => {
    const response = await deliver(checkoutEvent({ email: uniqueEmail() }), SECRET, { STRIPE_WEBHOOK_SECRET: "" });
    await expectEnvelope(response, 503, "stripe_disabled");
  });
});
