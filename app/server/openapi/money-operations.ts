// /openapi.json entries for the money routes (issue 16): Stripe's webhook and the admin's CSV export.
import { adminExportSchema } from "../billing/usage-export";
import type { Operations } from "./operations";

export const MONEY_OPERATIONS: Operations = {
  "/api/billing/stripe/webhook": {
    POST: {
      summary:
        "Stripe's events, checked against the Stripe-Signature header; a paid checkout is credited once per event id",
      tag: "credits",
      auth: "none",
      success: { status: 200, description: "Credited, a duplicate, or an event that credits nothing" },
    },
  },
  "/api/admin/usage.csv": {
    GET: {
      summary: "Usage records as CSV, streamed: one account (email) or every account, from/to",
      tag: "admin",
      auth: "admin",
      query: adminExportSchema,
      success: { status: 200, description: "text/csv with the header row time,account,key_id,kind,…" },
    },
  },
};
