// Shared helpers for the workerd tests: requests through the real Worker entry.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../workers/app";

export const BASE = "https://app.cognomega.com";
export const APP_ORIGIN = "https://app.cognomega.com";

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(new URL(path, BASE), init);
}

/** Calls the Worker with `vars` layered over the test environment (config per test). */
export async function callWith(vars: Record<string, unknown>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(new URL(path, BASE), init) as never, { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export function adminHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { "X-Admin-Key": env.ADMIN_API_KEY, "Content-Type": "application/json", ...extra };
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return call(path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}

export async function grant(email: string, credits: number): Promise<void> {
  const response = await postJson("/api/credits/adjust", { email, set: credits }, adminHeaders());
  if (response.status !== 200) throw new Error(`grant failed: ${response.status} ${await response.text()}`);
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

export async function expectEnvelope(response: Response, status: number, code?: string) {
  const body = (await response.json()) as { ok: boolean; error: { code: string; message: string }; request_id: string };
  if (response.status !== status || body.ok !== false || (code && body.error?.code !== code)) {
    throw new Error(`expected ${status} ${code ?? ""}, got ${response.status} ${JSON.stringify(body)}`);
  }
  if (!body.request_id || typeof body.error.message !== "string") throw new Error("envelope is incomplete");
  return body;
}
