// POST /api/billing/stripe/webhook: Stripe's events, signature checked, paid checkouts credited once.
import { stripeWebhook } from "~/server/billing/stripe-webhook";
import { endpoint } from "~/server/http/endpoint";

export default endpoint({
  async POST({ request, scope }) {
    return Response.json(await stripeWebhook(request, scope));
  },
});
