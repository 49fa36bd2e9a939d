// Every API route, once: its paths (the runbook's first, then its aliases — real routes sharing
// one handler, not redirects), the endpoint module that serves it, and how the pipeline treats
// it. The pipeline (app/server/http/pipeline.ts) matches requests against this table without
// React Router; app/routes.ts holds only the web app's pages. A new alias is one more path here.
import { apiTable, route } from "~/server/http/api-table";
import { openAiErrorResponse } from "~/server/llm/v1/errors";
import adminAccount from "./routes/api/admin-account";
import adminAccounts from "./routes/api/admin-accounts";
import adminCleanup from "./routes/api/admin-cleanup";
import adminKey from "./routes/api/admin-key";
import adminKeys from "./routes/api/admin-keys";
import adminPing from "./routes/api/admin-ping";
import adminUsageCsv from "./routes/api/admin-usage-csv";
import aiBinding from "./routes/api/ai-binding";
import aiTest from "./routes/api/ai-test";
import authGuest from "./routes/api/auth-guest";
import authToken from "./routes/api/auth-token";
import conversation from "./routes/api/conversation";
import conversations from "./routes/api/conversations";
import credits from "./routes/api/credits";
import creditsAdjust from "./routes/api/credits-adjust";
import drain from "./routes/api/drain";
import health from "./routes/api/health";
import job from "./routes/api/job";
import jobs from "./routes/api/jobs";
import jobsRun from "./routes/api/jobs-run";
import jwks from "./routes/api/jwks";
import key from "./routes/api/key";
import keys from "./routes/api/keys";
import openapi from "./routes/api/openapi";
import siAsk from "./routes/api/si-ask";
import stripeWebhook from "./routes/api/stripe-webhook";
import tts from "./routes/api/tts";
import upload from "./routes/api/upload";
import uploadDirect from "./routes/api/upload-direct";
import uploads from "./routes/api/uploads";
import usage from "./routes/api/usage";
import v1ChatCompletions from "./routes/api/v1-chat-completions";
import v1Model, { pinnedModel as v1PinnedModel } from "./routes/api/v1-model";
import v1Models from "./routes/api/v1-models";

export const API_ROUTES = apiTable([
  // Health and the public keys answer even while the configuration is broken.
  route(["/ready", "/healthz", "/api/healthz", "/api/v1/healthz"], health, { alwaysOn: true }),
  route("/.well-known/jwks.json", jwks, { alwaysOn: true }),
  route("/openapi.json", openapi, { alwaysOn: true }),
  // npm start's graceful stop (secret-gated; a 404 wherever DRAIN_SECRET is unset, as deployed).
  route("/__drain", drain, { alwaysOn: true }),
  route(["/auth/guest", "/api/auth/guest", "/api/v1/auth/guest"], authGuest),
  route(["/auth/token", "/api/auth/token", "/api/v1/auth/token"], authToken),
  route("/api/keys", keys),
  route("/api/keys/:id", key),
  route(["/api/credits", "/credits", "/api/v1/credits"], credits),
  route("/api/credits/adjust", creditsAdjust),
  route(["/api/billing/usage", "/api/usage", "/usage", "/api/v1/usage", "/api/v1/billing/usage"], usage),
  route("/api/billing/stripe/webhook", stripeWebhook),
  route(["/api/si/ask", "/si/ask"], siAsk),
  route(["/api/tts", "/api/si/tts"], tts),
  route("/api/jobs", jobs),
  route("/api/jobs/run", jobsRun),
  route("/api/jobs/:id", job),
  route("/api/upload/direct", uploadDirect),
  route("/api/uploads", uploads),
  route("/api/uploads/:key", upload),
  route("/api/conversations", conversations),
  route("/api/conversations/:id", conversation),
  route("/api/ai/binding", aiBinding),
  route("/api/ai/test", aiTest),
  route("/api/admin/ping", adminPing),
  route("/api/admin/cleanup", adminCleanup),
  route("/api/admin/accounts", adminAccounts),
  route("/api/admin/accounts/:account", adminAccount),
  route("/api/admin/keys", adminKeys),
  route("/api/admin/keys/:id", adminKey),
  route("/api/admin/usage.csv", adminUsageCsv),
  // OpenAI's protocol (its clients' base URL ends in /v1), with OpenAI's error shape.
  route("/v1/chat/completions", v1ChatCompletions, { errors: openAiErrorResponse }),
  route("/v1/models", v1Models, { errors: openAiErrorResponse }),
  route("/v1/models/:id", v1Model, { errors: openAiErrorResponse }),
  route("/v1/models/:provider/:model", v1PinnedModel, { errors: openAiErrorResponse }),
]);
