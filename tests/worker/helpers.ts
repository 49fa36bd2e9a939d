// Shared helpers for the workerd tests: requests through the real Worker entry.
import { createExecutionContext, env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import type { AskEvents } from "../../app/shared/ask-events";
import { readSse } from "../../app/shared/sse";
import worker from "../../workers/app";

export const BASE = "https://app.cognomega.com";
export const APP_ORIGIN = "https://app.cognomega.com";

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(new URL(path, BASE), init);
}

/**
 * Calls the Worker with `vars` layered over the test environment (configuration per test).
 * Background work (a stream's relay) keeps running after the response is returned.
 */
export function callWith(vars: Record<string, unknown>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  return worker.fetch(new Request(new URL(path, BASE), init) as never, { ...env, ...vars } as Env, ctx);
}

export function adminHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { "X-Admin-Key": env.ADMIN_API_KEY, "Content-Type": "application/json", ...extra };
}

/**
 * Acting for an account with the admin key (IDENTITY_MODE=verified, the default, honours an
 * asserted email only with proof). Without an email, just the admin key (for `?email=` queries).
 */
export function onBehalfOf(email?: string): Record<string, string> {
  return { "X-Admin-Key": env.ADMIN_API_KEY, ...(email ? { "X-User-Email": email } : {}) };
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

export async function grant(email: string, credits: number): Promise<void> {
  const response = await postJson("/api/credits/adjust", { email, set: credits }, adminHeaders());
  if (response.status !== 200) throw new Error(`grant failed: ${response.status} ${await response.text()}`);
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

/** Checks the error envelope; a mismatch fails with a diff of status and body. */
export async function expectEnvelope(response: Response, status: number, code?: string) {
  const body = (await response.json()) as { ok: boolean; error: { code: string; message: string }; request_id: string };
  expect({ status: response.status, body }).toMatchObject({
    status,
    body: {
      ok: false,
      error: { code: code ?? expect.any(String), message: expect.any(String) },
      request_id: expect.stringMatching(/.+/),
    },
  });
  return body;
}

/** A base URL for the local upstream with behaviour switches (see dev/model-server.ts). */
export function upstream(switches: string): string {
  return `${env.UPSTREAM_URL}/x/${encodeURIComponent(switches)}/v1`;
}

export interface UpstreamLogEntry {
  tag: string | null;
  model: string | null;
  stream: boolean;
  received_at: number;
  finished: boolean;
  client_aborted: boolean;
  /** The request's parameters other than its messages (max_tokens, stream, …). */
  params?: Record<string, unknown>;
}

export async function upstreamLog(tag: string): Promise<UpstreamLogEntry[]> {
  const response = await fetch(`${env.UPSTREAM_URL}/__log?tag=${encodeURIComponent(tag)}`);
  return (await response.json<{ requests: UpstreamLogEntry[] }>()).requests;
}

/** Any field any answer event may carry (the events themselves are in app/shared/ask-events.ts). */
type AskEventFields = Partial<AskEvents["meta"] & AskEvents["token"] & AskEvents["done"] & AskEvents["error"]>;

export interface SseEvent {
  event: string;
  data: AskEventFields;
}

/** Reads a whole SSE response into its events, with the product's own SSE reader. */
export async function readEvents(response: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  if (!response.body) return events;
  for await (const { event, data } of readSse(response.body)) events.push({ event, data: JSON.parse(data) });
  return events;
}

export async function balanceOf(email: string): Promise<{ balance: number; held: number }> {
  const response = await call(`/api/credits?email=${encodeURIComponent(email)}`, { headers: onBehalfOf() });
  return response.json();
}

export async function usageOf(email: string, limit = 20) {
  const response = await call(`/api/billing/usage?limit=${limit}&kind=usage&email=${encodeURIComponent(email)}`, {
    headers: onBehalfOf(),
  });
  return (await response.json<{ records: Array<Record<string, unknown>> }>()).records;
}
