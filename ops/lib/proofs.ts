// The proofs file the runbook asks operators to commit with any route, DNS or wrangler change.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProbeResult } from "./probes.ts";
import type { RouteAudit } from "./route-audit.ts";

function stamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

export function writeProofs(
  dir: string,
  base: string,
  results: ProbeResult[],
  audit: RouteAudit,
  now = new Date(),
): string {
  const byName = (name: string) => results.find((result) => result.name === name);
  const preflight = byName("CORS preflight")?.proof ?? {};
  const lines = [
    `Cognomega API route audit — ${now.toISOString()}`,
    `Base: ${base}`,
    "",
    "== AI binding ==",
    String(byName("Workers AI binding")?.proof?.body ?? "(not reached)"),
    "",
    "== JWKS (first 120 chars) ==",
    String(byName("JWKS")?.proof?.head ?? "(not reached)"),
    "",
    "== Preflight headers ==",
    `Status: ${preflight.status ?? "(not reached)"}`,
    `Access-Control-Allow-Origin: ${preflight.allowOrigin ?? ""}`,
    `Access-Control-Allow-Headers: ${preflight.allowHeaders ?? ""}`,
    `Access-Control-Expose-Headers: ${preflight.exposeHeaders ?? ""}`,
    "",
    "== Route audit ==",
    `Config: ${audit.configPath}`,
    `Routes: ${audit.routes.join(", ") || "(none)"}`,
    `${audit.ok ? "PASS" : "FAIL"}: ${audit.message}`,
    "",
    "== Probes ==",
    ...results.map((result) => `${result.ok ? "PASS" : "FAIL"} ${result.name}`),
    "",
  ];
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `api-route-audit-${stamp(now)}.txt`);
  writeFileSync(file, lines.join("\n"));
  return file;
}
