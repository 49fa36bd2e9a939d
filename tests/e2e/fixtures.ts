// Shared facts for the end-to-end tests: where the server is and its admin key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { E2E_PORT, E2E_UPSTREAM_PORT, OTHER_ORIGIN_PORT } from "../../playwright.config";

export const BASE = `http://127.0.0.1:${E2E_PORT}`;
export const UPSTREAM = `http://127.0.0.1:${E2E_UPSTREAM_PORT}`;
export const OTHER_ORIGIN = `http://localhost:${OTHER_ORIGIN_PORT}`;
export const ROOT = join(import.meta.dirname, "..", "..");
/** The API host's name on the test server (API_HOSTS in playwright.config.ts). */
export const API_HOST = "api.localtest";

/** The server reads .dev.vars (generated on first start); the tests read the same file. */
export function devVars(): Record<string, string> {
  return parseEnv(readFileSync(join(ROOT, ".dev.vars"), "utf8")) as Record<string, string>;
}

export function adminKey(): string {
  const key = devVars().ADMIN_API_KEY;
  if (!key) throw new Error("ADMIN_API_KEY is missing from .dev.vars");
  return key;
}

export function uniqueEmail(label = "e2e"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

export async function grant(email: string, credits: number): Promise<void> {
  const response = await fetch(`${BASE}/api/credits/adjust`, {
    method: "POST",
    headers: { "X-Admin-Key": adminKey(), "Content-Type": "application/json" },
    body: JSON.stringify({ email, set: credits }),
  });
  if (!response.ok) throw new Error(`grant failed: ${response.status} ${await response.text()}`);
}
