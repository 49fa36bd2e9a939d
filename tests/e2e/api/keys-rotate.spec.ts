// The key rotation script, run as an operator would, against a local KV state of its own.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { ROOT } from "../fixtures";

const state = mkdtempSync(join(tmpdir(), "rotation-"));
const keys = join(state, "keys");

function rotate(...args: string[]) {
  const result = spawnSync(
    join(ROOT, "node_modules", ".bin", "node"),
    ["scripts/keys-rotate.ts", "--local", "--persist-to", state, "--out-dir", keys, ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}` },
    },
  );
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

test.describe.configure({ mode: "serial" });

test("publishes a new key beside the current one, and keeps its private half out of the output", () => {
  const first = rotate("--current", "k0");
  expect(first.code).toBe(0);
  expect(first.out).toContain("Published the public key k1 ");
  const second = rotate("--current", "k1");
  expect(second.code).toBe(0);
  expect(second.out).toContain("Published the public key k2 ");
  expect(second.out).toContain("npx wrangler secret put PRIVATE_KEY_PEM <");
  expect(second.out).toContain("--retire k1");
  expect(second.out).not.toContain("PRIVATE KEY-----");
  const pem = join(keys, "k2.pem");
  expect(readFileSync(pem, "utf8")).toContain("BEGIN PRIVATE KEY");
  expect(statSync(pem).mode & 0o777).toBe(0o600);
  expect(rotate("--list", "--current", "k1").out).toContain(": k1, k2;");
});

test("refuses to retire the key that signs tokens now, and retires an old one", () => {
  const refused = rotate("--retire", "k2", "--current", "k2");
  expect(refused.code).toBe(1);
  expect(refused.out).toContain("k2 is the key tokens are signed with now (KID); switch KID first");
  const retired = rotate("--retire", "k1", "--current", "k2");
  expect(retired.code).toBe(0);
  expect(rotate("--list", "--current", "k2").out).toMatch(/Published in .*: k2;/);
});

test("asks where the keys live instead of guessing", () => {
  const result = spawnSync(join(ROOT, "node_modules", ".bin", "node"), ["scripts/keys-rotate.ts"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain("--remote");
});
