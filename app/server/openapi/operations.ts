// What each API route does, for /openapi.json: keyed by the route's first path in
// app/api-routes.ts and by method, with the very schemas the routes validate their input with.
// A route or method without an entry here fails a test (tests/worker/openapi.test.ts).
import { z } from "zod";
import { accountSearchSchema } from "../admin/accounts";
import { cleanupSchema } from "../admin/cleanup";
import { guestBodySchema } from "../auth/guest";
import { adjustSchema } from "../billing/adjust";
import { usageQuerySchema } from "../billing/usage";
import { createJobSchema, jobRefSchema, listJobsSchema, patchJobSchema } from "../jobs/model";
import { askSchema } from "../llm/request";
import { speechSchema } from "../tts/request";
import { MAX_FILENAME_INPUT } from "../uploads/filename";
import { uploadListSchema } from "../uploads/list";
import { HISTORY_OPERATIONS } from "./history-operations";
import { KEY_OPERATIONS } from "./key-operations";
import { MONEY_OPERATIONS } from "./money-operations";
import { V1_OPERATIONS } from "./v1-operations";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface OperationDoc {
  summary: string;
  tag:
    | "health"
    | "auth"
    | "keys"
    | "credits"
    | "gateway"
    | "openai"
    | "speech"
    | "jobs"
    | "uploads"
    | "history"
    | "admin";
  /** Who may call: anyone, any identity (a key, a token, an email with its proof), an API key, or the admin key. */
  auth: "none" | "identity" | "key" | "admin";
  query?: z.ZodType;
  body?: z.ZodType;
  /** A raw body instead of JSON (uploads). */
  binaryBody?: true;
  headers?: Array<"Idempotency-Key" | "X-Intelligence-Tier">;
  success: { status: 200 | 201; description: string; schema?: z.ZodType; stream?: true; audio?: true };
}

const answerStream = { stream: true } as const;

export type Operations = Record<string, Partial<Record<Method, OperationDoc>>>;

export const OPERATIONS: Operations = {
  ...KEY_OPERATIONS,
  ...V1_OPERATIONS,
  ...HISTORY_OPERATIONS,
  ...MONEY_OPERATIONS,
  "/ready": {
    GET: {
      summary: "Readiness: the provider chain, or 503 naming what is misconfigured",
      tag: "health",
      auth: "none",
      success: { status: 200, description: "Ready" },
    },
  },
  "/.well-known/jwks.json": {
    GET: {
      summary: "The public keys that verify tokens",
      tag: "auth",
      auth: "none",
      success: { status: 200, description: "A JWK Set" },
    },
  },
  "/auth/guest": {
    POST: {
      summary: "Issue an RS256 guest token (and cookie)",
      tag: "auth",
      auth: "none",
      body: guestBodySchema,
      success: { status: 200, description: "The token" },
    },
  },
  "/api/credits": {
    GET: {
      summary: "The caller's balance",
      tag: "credits",
      auth: "identity",
      success: { status: 200, description: "Balance, available and held credits" },
    },
  },
  "/api/credits/adjust": {
    POST: {
      summary: "Set or change an account's credits",
      tag: "admin",
      auth: "admin",
      body: adjustSchema,
      headers: ["Idempotency-Key"],
      success: { status: 200, description: "The balance before and after" },
    },
  },
  "/api/billing/usage": {
    GET: {
      summary: "The caller's usage and adjustment records, newest first (format=csv: all of them as CSV)",
      tag: "credits",
      auth: "identity",
      query: usageQuerySchema,
      success: { status: 200, description: "A page of records" },
    },
    POST: {
      summary: "The same feed, with the query as a JSON body",
      tag: "credits",
      auth: "identity",
      body: usageQuerySchema,
      success: { status: 200, description: "A page of records" },
    },
  },
  "/api/si/ask": {
    POST: {
      summary: "Ask the gateway (JSON, or SSE events with stream: true)",
      tag: "gateway",
      auth: "identity",
      body: askSchema,
      headers: ["Idempotency-Key", "X-Intelligence-Tier"],
      success: { status: 200, description: "The answer and its bill", ...answerStream },
    },
  },
  "/api/jobs": {
    GET: {
      summary: "The caller's jobs",
      tag: "jobs",
      auth: "identity",
      query: listJobsSchema,
      success: { status: 200, description: "A page of jobs" },
    },
    POST: {
      summary: "Queue a job",
      tag: "jobs",
      auth: "identity",
      body: createJobSchema,
      headers: ["X-Intelligence-Tier"],
      success: { status: 201, description: "The queued job" },
    },
  },
  "/api/jobs/run": {
    POST: {
      summary: "Run a queued job now, or a new one from its body",
      tag: "jobs",
      auth: "identity",
      body: z.union([jobRefSchema, createJobSchema]),
      headers: ["X-Intelligence-Tier"],
      success: { status: 200, description: "The finished job" },
    },
  },
  "/api/jobs/:id": {
    GET: {
      summary: "One of the caller's jobs",
      tag: "jobs",
      auth: "identity",
      success: { status: 200, description: "The job" },
    },
    PATCH: {
      summary: "Cancel a queued job, or change its title or metadata",
      tag: "jobs",
      auth: "identity",
      body: patchJobSchema,
      success: { status: 200, description: "The job" },
    },
  },
  "/api/tts": {
    POST: {
      summary: "Read text aloud: the audio, streamed, billed per character",
      tag: "speech",
      auth: "identity",
      body: speechSchema,
      headers: ["Idempotency-Key"],
      success: { status: 200, description: "The audio (MP3 or WAV), as it is made", audio: true },
    },
  },
  "/api/upload/direct": {
    POST: {
      summary: "Upload the raw body into R2",
      tag: "uploads",
      auth: "identity",
      query: z.object({ filename: z.string().min(1).max(MAX_FILENAME_INPUT) }),
      binaryBody: true,
      success: { status: 201, description: "The stored object" },
    },
  },
  "/api/uploads": {
    GET: {
      summary: "The caller's uploads",
      tag: "uploads",
      auth: "identity",
      query: uploadListSchema,
      success: { status: 200, description: "A page of uploads, and the account's upload quota used and remaining" },
    },
  },
  "/api/uploads/:key": {
    DELETE: {
      summary: "Delete one of the caller's uploads (its key URL-encoded), freeing its quota",
      tag: "uploads",
      auth: "identity",
      success: { status: 200, description: "The deleted upload's key and size, and the quota after it" },
    },
  },
  "/api/ai/binding": {
    GET: {
      summary: "Is the Workers AI binding attached?",
      tag: "health",
      auth: "none",
      success: { status: 200, description: "ai_bound" },
    },
  },
  "/api/ai/test": {
    POST: {
      summary: "A tiny prompt through Workers AI, with its latency",
      tag: "admin",
      auth: "admin",
      success: { status: 200, description: "The model's reply" },
    },
  },
  "/api/admin/ping": {
    GET: { summary: "Check the admin key", tag: "admin", auth: "admin", success: { status: 200, description: "ok" } },
  },
  "/api/admin/cleanup": {
    POST: {
      summary: "Prune old usage records and finished jobs",
      tag: "admin",
      auth: "admin",
      body: cleanupSchema,
      success: { status: 200, description: "What was scanned, matched and deleted" },
    },
  },
  "/api/admin/accounts": {
    GET: {
      summary: "Search the account index",
      tag: "admin",
      auth: "admin",
      query: accountSearchSchema,
      success: { status: 200, description: "A page of accounts" },
    },
  },
  "/api/admin/accounts/:account": {
    GET: {
      summary: "One account: balance, totals and usage",
      tag: "admin",
      auth: "admin",
      query: usageQuerySchema,
      success: { status: 200, description: "The account" },
    },
  },
  "/__drain": {
    POST: {
      summary:
        "Local runs only: npm start's graceful stop (new requests get 503, the work in flight finishes). " +
        "A 404 unless DRAIN_SECRET is set and sent as X-Drain-Secret; deployed, it is unset",
      tag: "health",
      auth: "none",
      success: { status: 200, description: "Drained (or the deadline passed): what was in flight" },
    },
  },
  "/openapi.json": {
    GET: {
      summary: "This description (OpenAPI 3.1)",
      tag: "health",
      auth: "none",
      success: { status: 200, description: "The document" },
    },
  },
};
