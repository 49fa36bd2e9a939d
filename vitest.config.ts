// Worker tests run inside workerd with the real local KV, R2 and Durable Objects. The only
// stand-ins are for what cannot exist here: the LLM APIs (the local upstream, started by the
// global setup) and Workers AI (a protocol-faithful fake passed to the adapter in its tests).
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";

// A developer's .dev.vars is loaded by the test runtime too; every name in it is put back to
// the committed default (or unset) so tests see the same settings on every machine.
const committedVars = unstable_readConfig({ config: "wrangler.toml" }).vars as Record<string, string>;
const localNames = existsSync(".dev.vars") ? Object.keys(parseEnv(readFileSync(".dev.vars", "utf8"))) : [];
const neutralized = Object.fromEntries(localNames.map((name) => [name, committedVars[name] ?? ""]));

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      remoteBindings: false,
      miniflare: {
        bindings: {
          ...neutralized,
          PRIVATE_KEY_PEM: inject("privateKeyPem"),
          ADMIN_API_KEY: inject("adminApiKey"),
          OPENAI_API_KEY: inject("upstreamApiKey"),
          OPENAI_BASE: `${inject("upstreamUrl")}/v1`,
          TURNSTILE_VERIFY_URL: `${inject("upstreamUrl")}/turnstile/v0/siteverify`,
          UPSTREAM_URL: inject("upstreamUrl"),
          HOOKS_URL: inject("hooksUrl"),
          // Workers AI cannot run offline (its binding logs every refused call); the tests that
          // exercise it name it explicitly.
          PREFERRED_PROVIDER: "groq,openai",
          LLM_ATTEMPT_TIMEOUT_MS: "1500",
          LLM_DEADLINE_MS: "6000",
        },
      },
    })),
    reactRouter(),
  ],
  resolve: { tsconfigPaths: true },
  test: {
    // Worker tests, and the tests that sit beside the pure modules they check (app/**/x.test.ts).
    include: ["tests/worker/**/*.test.ts", "app/**/*.test.ts"],
    globalSetup: ["./tests/fixtures/worker-setup.ts"],
    testTimeout: 20_000,
  },
});
