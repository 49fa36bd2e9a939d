// A hostile client against every API route of the started server: malformed JSON, wrong types,
// huge and deeply nested bodies, hostile strings, every method, encoded and hostile path
// parameters and queries, with and without identities. No answer may be a 5xx, and no credit
// may go missing: every usage record belongs to an ask that answered 2xx, and the balance is
// exactly what the account's records add up to.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { adminKey, BASE, grant, ROOT, uniqueEmail } from "../fixtures";

/** Every path of the API's route table (the runbook's and the aliases), read from its source. */
function apiPaths(): string[] {
  const source = readFileSync(join(ROOT, "app", "api-routes.ts"), "utf8");
  const paths = new Set<string>();
  for (const call of source.matchAll(/route\(\s*(\[[^\]]*\]|"[^"]*")/g)) {
    for (const literal of (call[1] ?? "").matchAll(/"([^"]+)"/g)) paths.add(literal[1] ?? "");
  }
  return [...paths].filter(Boolean);
}

const PARAM_VALUES = [
  "%00",
  "..%2F..%2Fetc%2Fpasswd",
  "%E0%A4%A",
  encodeURIComponent("<script>alert(1)</script>"),
  "a".repeat(3000),
  encodeURIComponent("名前\u202e"),
  "job_00000000000000000000000000000000",
];

const HOSTILE_QUERY = [
  "email=not-an-email",
  `email=${encodeURIComponent(`${"a".repeat(300)}@example.com`)}`,
  "limit=-1",
  "limit=1e99",
  "cursor=%00%FF",
  "since=yesterday",
  "until=-5",
  "kind=everything",
  "status=nope",
  `filename=${encodeURIComponent("../../x\u0000.txt")}`,
  "prefix=%25",
].join("&");

const json = "application/json";
const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

const BODIES: Array<{ name: string; body: string | Uint8Array<ArrayBuffer>; type: string }> = [
  { name: "malformed JSON", body: "{", type: json },
  { name: "truncated JSON", body: '{"prompt": "x', type: json },
  {
    name: "wrong types",
    body: JSON.stringify({
      prompt: 5,
      messages: "x",
      email: [],
      set: "x",
      delta: {},
      type: 1,
      input: "x",
      id: 7,
      older_than_days: "30",
      limit: -1,
      dry_run: "yes",
      turnstile_token: 5,
      status: 1,
      title: {},
      metadata: [],
      max_tokens: "9",
      stream: "yes",
      model: [],
      provider: 5,
    }),
    type: json,
  },
  { name: "null", body: "null", type: json },
  { name: "an array", body: "[1,2,3]", type: json },
  { name: "a huge number", body: "1e309", type: json },
  { name: "deep nesting", body: deep(30_000), type: json },
  { name: "deep object nesting", body: `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`, type: json },
  {
    name: "hostile strings",
    body: JSON.stringify({
      prompt: `\u0000\u202e<script>alert(1)</script>${"𝕏".repeat(500)}`,
      email: "a@b.c\r\nX-Injected: 1",
      messages: [{ role: "system", content: "\u0000" }],
      type: "si",
      input: { prompt: "\u202e" },
      metadata: { __proto__: "x" },
    }),
    type: json,
  },
  // Valid where an ask is expected, so the run also spends credits it must account for.
  {
    name: "a valid ask with hostile text",
    body: JSON.stringify({ prompt: `\u202e<img src=x onerror=alert(1)>${"𝕏".repeat(200)}\u0000`, max_tokens: 8 }),
    type: json,
  },
  {
    name: "a valid streamed ask",
    body: JSON.stringify({ prompt: "stream, please", stream: true, max_tokens: 8 }),
    type: json,
  },
  { name: "a lone surrogate", body: '{"prompt":"\\ud800","email":"\\udfff@x.com"}', type: json },
  { name: "prototype keys", body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}', type: json },
  { name: "duplicate keys", body: '{"prompt":"a","prompt":5,"set":1,"set":"x"}', type: json },
  { name: "huge", body: JSON.stringify({ prompt: "x".repeat(2 * 1024 * 1024) }), type: json },
  { name: "invalid UTF-8", body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), type: json },
  { name: "a form", body: "a=b&prompt=hi&email=x", type: "application/x-www-form-urlencoded" },
  { name: "binary", body: new Uint8Array(4096).fill(0xab), type: "application/octet-stream" },
  { name: "nothing", body: "", type: json },
  { name: "JSON as text/plain", body: '{"prompt":"hi"}', type: "text/plain" },
];

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
/** Bodies for the methods most routes refuse (405 or 404 before reading): the cheap ones. */
const SHORT_BODIES = new Set(["malformed JSON", "wrong types", "hostile strings", "prototype keys", "deep nesting"]);

/** What each method is tried with: [body, query] pairs. */
function inputsFor(method: string): Array<[(typeof BODIES)[number] | null, string]> {
  const hostile = `?${HOSTILE_QUERY}`;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") {
    return [
      [null, ""],
      [null, hostile],
    ];
  }
  if (method === "POST") {
    return [...BODIES.map((body): [(typeof BODIES)[number], string] => [body, ""]), [BODIES[2] ?? null, hostile]];
  }
  return BODIES.filter((body) => SHORT_BODIES.has(body.name)).map((body) => [body, ""]);
}
/** Routes whose 2xx may bill the caller. */
const BILLING = ["/api/si/ask", "/si/ask", "/api/jobs/run"];

interface Attempt {
  method: string;
  path: string;
  input: string;
  identity: string;
  status: number;
  code?: string;
  requestId: string;
}

/**
 * The one 5xx the run may see: the admin's Workers AI check answers 503 `ai_unavailable` as the
 * runbook says, because Workers AI cannot run offline — the upstream is down, not the Worker.
 */
const offlineWorkersAi = (attempt: Attempt) =>
  attempt.path.startsWith("/api/ai/test") && attempt.status === 503 && attempt.code === "ai_unavailable";

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function ledgerOf(email: string) {
  const headers = { "X-Admin-Key": adminKey(), "X-User-Email": email };
  const balance = await (await fetch(`${BASE}/api/credits`, { headers })).json();
  const records: Array<{ kind: string; credits: number; request_id: string | null }> = [];
  let cursor = "";
  do {
    const page = await (
      await fetch(`${BASE}/api/billing/usage?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { headers })
    ).json();
    records.push(...page.records);
    cursor = page.next_cursor ?? "";
  } while (cursor);
  return { balance, records };
}

const micro = (credits: number) => Math.round(credits * 1_000_000);

test("no hostile request to any API route gets a 5xx or loses a credit", async () => {
  test.setTimeout(600_000);
  const email = uniqueEmail("hostile");
  await grant(email, 5);
  const guest = (await (await fetch(`${BASE}/auth/guest`, { method: "POST" })).json()).token as string;
  const identities: Array<[string, Record<string, string>]> = [
    ["account", { "X-Admin-Key": adminKey(), "X-User-Email": email }],
    ["guest", { Authorization: `Bearer ${guest}` }],
    ["none", {}],
    ["garbage token", { Authorization: `Bearer ${"x".repeat(5000)}.y.z`, "X-User-Email": "a@b" }],
  ];

  const paths = apiPaths();
  expect(paths.length).toBeGreaterThan(30);
  const targets = paths.flatMap((path) =>
    path.includes(":") ? PARAM_VALUES.map((value) => path.replace(/:[a-z]+/gi, value)) : [path],
  );
  const plan: Array<Omit<Attempt, "status" | "requestId"> & { init: RequestInit; url: string }> = [];
  let n = 0;
  for (const path of targets) {
    for (const method of METHODS) {
      for (const [input, query] of inputsFor(method)) {
        const [identity, headers] = identities[n++ % identities.length] ?? ["none", {}];
        const extra: Record<string, string> =
          method === "OPTIONS" ? { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" } : {};
        plan.push({
          method,
          path: path + query,
          input: input?.name ?? "(none)",
          identity,
          url: `${BASE}${path}${query}`,
          init: {
            method,
            headers: { ...headers, ...extra, ...(input ? { "Content-Type": input.type } : {}) },
            body: input?.body,
          },
        });
      }
    }
  }

  const attempts: Attempt[] = [];
  await pool(plan, 6, async (item) => {
    const requestId = `hostile-${attempts.length}-${crypto.randomUUID().slice(0, 8)}`;
    const headers = { ...(item.init.headers as Record<string, string>), "X-Request-Id": requestId };
    let status = 0;
    let code: string | undefined;
    try {
      const response = await fetch(item.url, { ...item.init, headers, redirect: "manual" });
      const text = await response.text();
      status = response.status;
      if (status >= 500) code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      // No answer at all (the connection was dropped): reported as status 0.
    }
    attempts.push({ ...item, status, code, requestId });
  });

  // No answer at all (a dropped connection) counts as status 0. Paths are shortened in the
  // report: some are thousands of characters long.
  const failures = attempts
    .filter((attempt) => (attempt.status >= 500 && !offlineWorkersAi(attempt)) || attempt.status === 0)
    .map(({ method, path, input, identity, status, code }) => ({
      method,
      path: path.slice(0, 120),
      input,
      identity,
      status,
      code,
    }));
  expect(failures).toEqual([]);
  expect(attempts.length).toBeGreaterThan(2000);
  expect(attempts.length).toBe(plan.length);

  // The server still works.
  expect((await fetch(`${BASE}/ready`)).status).toBe(200);

  // No credit went missing: the records add up to the balance, nothing is still held, and every
  // usage record is an ask that answered 2xx.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const { balance, records } = await ledgerOf(email);
  expect(micro(balance.held)).toBe(0);
  const sum = records.reduce((total, record) => total + (record.kind === "usage" ? -1 : 1) * micro(record.credits), 0);
  expect(micro(balance.balance)).toBe(sum);
  const billed = new Set(
    attempts
      .filter((attempt) => attempt.status < 300 && BILLING.some((path) => attempt.path.toLowerCase().startsWith(path)))
      .map((attempt) => attempt.requestId),
  );
  const usage = records.filter((entry) => entry.kind === "usage");
  expect(usage.length).toBeGreaterThan(0);
  for (const record of usage) expect(billed.has(record.request_id ?? "")).toBe(true);
});
