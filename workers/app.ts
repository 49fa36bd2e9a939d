// Worker entry: every request goes through dispatch (the API's route table, or the web app),
// the cron runs the scheduled work, and the Durable Object classes are exported for their
// bindings.
import { createRequestHandler } from "react-router";
import { API_ROUTES } from "~/api-routes";
import { runScheduled } from "~/server/cron";
import { draining, refuseWhileDraining } from "~/server/drain";
import { dispatch } from "~/server/http/pipeline";

export { AdminSessions } from "~/server/admin/revocations";
export { RateLimiter } from "~/server/auth/rate-limit";
export { CreditLedger } from "~/server/billing/ledger";
export { ConversationStore } from "~/server/history/store";
export { JobRecord } from "~/server/jobs/record";
export { AccountQuota } from "~/server/quotas/account-quota";
export { DayStats } from "~/server/stats/day-stats";

const app = createRequestHandler(() => import("virtual:react-router/server-build"), import.meta.env.MODE);
export default {
  fetch(request, env, ctx) {
    // A graceful stop has begun (npm start, SIGTERM): new requests are refused.
    if (draining) return refuseWhileDraining(request, env);
    return dispatch(request, env, ctx, { api: API_ROUTES, app, assets: env.ASSETS });
  },
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller, env, ctx));
  },
} satisfies ExportedHandler<Env>;
