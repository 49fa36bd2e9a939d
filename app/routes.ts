import { index, type RouteConfig, route } from "@react-router/dev/routes";

/** The same handler served at every path the runbook lists for it (aliases, not redirects). */
function aliases(name: string, file: string, paths: string[]) {
  return paths.map((path, i) => route(path, file, { id: `${name}-${i}` }));
}

export default [
  index("routes/home.tsx"),

  // The admin dashboard (its own route modules, so none of its code ships with the chat page).
  route("admin/sign-in", "routes/admin.sign-in.tsx"),
  route("admin", "routes/admin.tsx", [
    index("routes/admin.accounts.tsx"),
    route("accounts/:account", "routes/admin.account.tsx"),
    route("system", "routes/admin.system.tsx"),
  ]),

  // API resource routes (served through the API pipeline in app/server/http/pipeline.ts).
  ...aliases("health", "routes/api/health.ts", ["ready", "healthz", "api/healthz", "api/v1/healthz"]),
  ...aliases("auth-guest", "routes/api/auth-guest.ts", ["auth/guest", "api/auth/guest", "api/v1/auth/guest"]),
  route(".well-known/jwks.json", "routes/api/jwks.ts"),
  ...aliases("credits", "routes/api/credits.ts", ["api/credits", "credits", "api/v1/credits"]),
  route("api/credits/adjust", "routes/api/credits-adjust.ts"),
  ...aliases("usage", "routes/api/usage.ts", [
    "api/billing/usage",
    "api/usage",
    "usage",
    "api/v1/usage",
    "api/v1/billing/usage",
  ]),
  ...aliases("si-ask", "routes/api/si-ask.ts", ["api/si/ask", "si/ask"]),
  route("api/jobs", "routes/api/jobs.ts"),
  route("api/jobs/run", "routes/api/jobs-run.ts"),
  route("api/jobs/:id", "routes/api/job.ts"),
  route("api/upload/direct", "routes/api/upload-direct.ts"),
  route("api/uploads", "routes/api/uploads.ts"),
  route("api/ai/binding", "routes/api/ai-binding.ts"),
  route("api/ai/test", "routes/api/ai-test.ts"),
  route("api/admin/ping", "routes/api/admin-ping.ts"),
  route("api/admin/cleanup", "routes/api/admin-cleanup.ts"),
  route("api/admin/accounts", "routes/api/admin-accounts.ts"),
  route("api/admin/accounts/:account", "routes/api/admin-account.ts"),
  ...aliases("api-not-found", "routes/api/not-found.ts", ["api/*", "auth/*", ".well-known/*", "si/*"]),
] satisfies RouteConfig;
