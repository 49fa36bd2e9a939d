// The operator probe CLI against the running product, and against broken setups.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { adminKey, BASE, ROOT } from "../fixtures";

function probe(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(join(ROOT, "node_modules", ".bin", "node"), ["ops/probe.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, COGNOMEGA_ADMIN_KEY: "", ...env },
    timeout: 60_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

test("every probe passes against the local server, and no secret is printed", async () => {
  const key = adminKey();
  const { code, out } = probe(["--base", BASE, "--origin", BASE], { COGNOMEGA_ADMIN_KEY: key });
  expect(out).toContain("11 passed, 0 failed");
  expect(code).toBe(0);
  for (const name of [
    "CORS preflight",
    "Workers AI binding",
    "JWKS",
    "Guest token",
    "Credits",
    "Usage (limit 5)",
    "Direct upload (1 MB)",
    "Admin ping",
    "Admin cleanup (dry run)",
    "Health",
  ]) {
    expect(out).toMatch(new RegExp(`PASS\\s+\\d+\\) ${name.replace(/[()]/g, "\\$&")}`));
  }
  expect(out).not.toContain(key);
  expect(out).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/); // no token
});

test("proves the account with its API key (COGNOMEGA_API_KEY), which is never printed", async () => {
  const email = `probe-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const made = await fetch(`${BASE}/api/admin/keys`, {
    method: "POST",
    headers: { "X-Admin-Key": adminKey(), "Content-Type": "application/json" },
    body: JSON.stringify({ email }),
  });
  const { key } = (await made.json()) as { key: { secret: string } };
  const { out } = probe(["--base", BASE, "--origin", BASE], { COGNOMEGA_API_KEY: key.secret });
  expect(out).toContain("(API key)");
  for (const name of ["Credits", "Usage \\(limit 5\\)", "Direct upload \\(1 MB\\)"]) {
    expect(out).toMatch(new RegExp(`PASS\\s+\\d+\\) ${name}`));
  }
  expect(out).toContain(`${email} has 0 credits`);
  expect(out).not.toContain(key.secret);
  // The admin probes still need the admin key.
  expect(out).toMatch(/FAIL\s+\d+\) Admin ping/);
});

test("writes the runbook's proofs file with --proofs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "proofs-"));
  const { code } = probe(["--base", BASE, "--origin", BASE, "--proofs", "--proofs-dir", dir], {
    COGNOMEGA_ADMIN_KEY: adminKey(),
  });
  expect(code).toBe(0);
  const [file] = readdirSync(dir);
  expect(file).toMatch(/^api-route-audit-\d{8}-\d{6}\.txt$/);
  const text = readFileSync(join(dir, file ?? ""), "utf8");
  for (const section of [
    "== AI binding ==",
    "== JWKS (first 120 chars) ==",
    "== Preflight headers ==",
    "== Route audit ==",
  ]) {
    expect(text).toContain(section);
  }
  expect(text).toContain('{"ai_bound":true}');
  expect(text).toMatch(/== JWKS \(first 120 chars\) ==\n\{"keys":\[/);
  expect(text).toContain("Status: 204");
  expect(text).not.toContain(adminKey());
});

test("fails the preflight for an origin that is not allowed", async () => {
  const { code, out } = probe(["--base", BASE, "--origin", "https://evil.example"], {
    COGNOMEGA_ADMIN_KEY: adminKey(),
  });
  expect(code).toBe(1);
  expect(out).toMatch(/FAIL\s+0\) CORS preflight/);
  expect(out).toContain("Access-Control-Allow-Origin is missing, expected https://evil.example");
});

test("fails the admin probes without an admin key, and with a wrong one", async () => {
  const missing = probe(["--base", BASE, "--origin", BASE]);
  expect(missing.code).toBe(1);
  expect(missing.out).toMatch(/FAIL\s+7\) Admin ping\n\s+no admin key: set COGNOMEGA_ADMIN_KEY/);
  const wrong = probe(["--base", BASE, "--origin", BASE], { COGNOMEGA_ADMIN_KEY: "not-the-key" });
  expect(wrong.code).toBe(1);
  expect(wrong.out).toContain("401 admin_key_invalid");
  expect(wrong.out).not.toContain("not-the-key");
});

test("fails every probe quickly when the server is down", async () => {
  const started = Date.now();
  const { code, out } = probe(["--base", "http://127.0.0.1:59998", "--timeout", "3000"]);
  expect(code).toBe(1);
  expect(out).toContain("1 passed, 10 failed"); // only the route audit, which reads the repo
  expect(out).toContain("ECONNREFUSED");
  expect(Date.now() - started).toBeLessThan(20_000);
});

test("the route audit fails when a second route claims the API host", async () => {
  const dir = mkdtempSync(join(tmpdir(), "audit-"));
  const config = join(dir, "wrangler.toml");
  const original = readFileSync(join(ROOT, "wrangler.toml"), "utf8").replace(
    'main = "./workers/app.ts"',
    `main = "${join(ROOT, "workers", "app.ts")}"`,
  );
  writeFileSync(
    config,
    original.replace(
      '  { pattern = "api.cognomega.com/*", zone_name = "cognomega.com" }',
      '  { pattern = "api.cognomega.com/*", zone_name = "cognomega.com" },\n  { pattern = "*.cognomega.com/*", zone_name = "cognomega.com" }',
    ),
  );
  const { code, out } = probe(["--base", BASE, "--origin", BASE, "--config", config], {
    COGNOMEGA_ADMIN_KEY: adminKey(),
  });
  expect(code).toBe(1);
  expect(out).toContain(
    "2 routes claim api.cognomega.com (api.cognomega.com/*, *.cognomega.com/*); keep only api.cognomega.com/*",
  );
});
