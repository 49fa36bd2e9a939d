// End-to-end tests against the product started exactly as `npm start` starts it (its own port,
// fresh local state). "api" tests speak HTTP from Node; "browser" tests drive Debian's Chromium.
import { defineConfig } from "@playwright/test";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 8790);
export const E2E_UPSTREAM_PORT = E2E_PORT + 12;
export const OTHER_ORIGIN_PORT = E2E_PORT + 1;
const base = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_STRIPE_SECRET = "whsec_e2e_cognomega";

const vars = {
  // Many browser contexts sign in as guests from one address.
  GUEST_RATE_LIMIT: "100000",
  OPENAI_BASE: `http://127.0.0.1:${E2E_UPSTREAM_PORT}/v1`,
  ALLOWED_ORIGINS: `${base},http://localhost:${OTHER_ORIGIN_PORT}`,
  // Small enough that the over-size refusal is quick to show.
  MAX_UPLOAD_BYTES: String(2 * 1024 * 1024),
  // A name for the API host: requests carrying `Host: api.localtest` are the API host's.
  API_HOSTS: "api.localtest",
  // The browser tests still choose an account by email ("Use my email"), which only `asserted`
  // mode offers; the API tests prove identity with the admin key or an API key either way.
  IDENTITY_MODE: "asserted",
  // One tier, so the picker shows and its model choice can be seen in an answer.
  INTELLIGENCE_TIERS: JSON.stringify({ smart: { openai: "gpt-4o" } }),
  // Stripe top-ups on (the link is never followed; the tests sign webhooks with this secret), and
  // the chat's low-balance notice under half a credit.
  STRIPE_PAYMENT_LINK: "https://buy.stripe.com/test_cognomega",
  STRIPE_WEBHOOK_SECRET: E2E_STRIPE_SECRET,
  LOW_BALANCE_THRESHOLD: "0.5",
};

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/artifacts",
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: base,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "api", testDir: "tests/e2e/api" },
    { name: "browser", testDir: "tests/e2e/ui", use: { browserName: "chromium" } },
  ],
  webServer: {
    command: [
      "node scripts/start.ts --quiet --fresh",
      `--port ${E2E_PORT}`,
      `--persist-to .wrangler/e2e-state-${E2E_PORT}`,
      ...Object.entries(vars).map(([name, value]) => `--var '${name}=${value}'`),
    ].join(" "),
    url: `${base}/ready`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
  },
});
