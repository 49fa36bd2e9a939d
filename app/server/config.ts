// Parses the Worker's `env` once into a typed configuration with the runbook's defaults.
// A bad value is reported by its variable name (never its value) and the default is used.
import { z } from "zod";
import { microFromCredits } from "./billing/money";

export const PROVIDER_NAMES = ["groq", "cfai", "openai"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

const csv = (raw: string) =>
  raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

const credits = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d{1,6})?$/, "must be a non-negative decimal with at most 6 places")
    .default(fallback)
    .transform((raw) => microFromCredits(Number(raw)));

const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .default(fallback)
    .transform((raw) => raw.replace(/\/+$/, ""));

const origin = z.url({ protocol: /^https?$/ }).refine((raw) => new URL(raw).origin === raw, {
  message: "each entry must be a bare origin such as https://app.example.com",
});

const model = (fallback: string) => z.string().trim().min(1).max(200).default(fallback);

const tierModels = z.record(
  z.string().regex(/^[a-z0-9_-]{1,32}$/i),
  z.object({
    groq: z.string().min(1).optional(),
    cfai: z.string().min(1).optional(),
    openai: z.string().min(1).optional(),
  }),
);

const secret = z
  .string()
  .optional()
  .transform((raw) => (raw?.trim() ? raw : undefined));

const schema = z.object({
  ALLOWED_ORIGINS: z
    .string()
    .default("https://app.cognomega.com,https://www.cognomega.com")
    .transform(csv)
    .pipe(z.array(origin)),
  API_HOSTS: z
    .string()
    .default("api.cognomega.com")
    .transform((raw) => csv(raw).map((host) => host.toLowerCase())),
  ISSUER: z.string().trim().min(1).default("https://api.cognomega.com"),
  JWT_TTL_SEC: int(60, 7 * 86_400, 3600),
  KID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, dot, dash or underscore")
    .default("k1"),
  PREFERRED_PROVIDER: z
    .string()
    .default("groq,cfai,openai")
    .transform((raw) => [...new Set(csv(raw).map((name) => name.toLowerCase()))])
    .pipe(z.array(z.enum(PROVIDER_NAMES)).min(1, "must name at least one of groq, cfai, openai")),
  GROQ_MODEL: model("llama-3.1-8b-instant"),
  CF_AI_MODEL: model("@cf/meta/llama-3.1-8b-instruct"),
  OPENAI_MODEL: model("gpt-4o-mini"),
  OPENAI_BASE: httpUrl("https://api.openai.com/v1"),
  GROQ_BASE: httpUrl("https://api.groq.com/openai/v1"),
  CREDIT_PER_1K: credits("0.05"),
  MAX_UPLOAD_BYTES: int(1, 500 * 1024 * 1024, 10_485_760),
  IDENTITY_MODE: z.enum(["asserted", "verified"]).default("asserted"),
  NEW_ACCOUNT_CREDITS: credits("0"),
  GUEST_CREDITS: credits("1"),
  GUEST_RATE_LIMIT: int(1, 1_000_000, 30),
  GUEST_RATE_WINDOW_SEC: int(1, 86_400, 60),
  LLM_ATTEMPT_TIMEOUT_MS: int(100, 600_000, 20_000),
  LLM_DEADLINE_MS: int(100, 900_000, 45_000),
  LLM_MAX_OUTPUT_TOKENS: int(1, 65_536, 1024),
  INTELLIGENCE_TIERS: z
    .string()
    .default("")
    .transform((raw, ctx) => {
      if (!raw.trim()) return {};
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON object" });
        return z.NEVER;
      }
    })
    .pipe(tierModels),
  USAGE_RETENTION_DAYS: int(1, 3650, 365),
  JOB_RETENTION_DAYS: int(1, 3650, 30),
  JOBS_PER_TICK: int(0, 100, 5),
  TURNSTILE_VERIFY_URL: httpUrl("https://challenges.cloudflare.com/turnstile/v0/siteverify"),
  PRIVATE_KEY_PEM: secret,
  ADMIN_API_KEY: secret,
  GROQ_API_KEY: secret,
  OPENAI_API_KEY: secret,
  TURNSTILE_SECRET_KEY: secret,
});

type Vars = z.output<typeof schema>;

export interface ConfigProblem {
  name: string;
  message: string;
}

export interface Config {
  allowedOrigins: string[];
  apiHosts: string[];
  issuer: string;
  jwtTtlSec: number;
  kid: string;
  preferredProviders: ProviderName[];
  models: Record<ProviderName, string>;
  bases: { groq: string; openai: string };
  /** Micro-credits charged per 1,000 tokens. */
  microPer1k: number;
  maxUploadBytes: number;
  identityMode: "asserted" | "verified";
  newAccountMicro: number;
  guestMicro: number;
  guestRateLimit: { limit: number; windowSec: number };
  llm: { attemptTimeoutMs: number; deadlineMs: number; maxOutputTokens: number };
  tiers: z.output<typeof tierModels>;
  retention: { usageDays: number; jobDays: number; jobsPerTick: number };
  turnstile: { verifyUrl: string; secretKey?: string };
  secrets: { privateKeyPem?: string; adminApiKey?: string; groqApiKey?: string; openaiApiKey?: string };
  /** Variables whose values were rejected; their defaults are in use. */
  problems: ConfigProblem[];
}

const cache = new WeakMap<object, Config>();

/** The configuration for this `env`, parsed once per env object. */
export function loadConfig(env: object): Config {
  let config = cache.get(env);
  if (!config) {
    config = parseConfig(env as Record<string, unknown>);
    cache.set(env, config);
  }
  return config;
}

export function parseConfig(raw: Record<string, unknown>): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    // Only strings are configuration; bindings never shadow a variable.
    if (typeof raw[key] === "string") input[key] = raw[key];
  }
  const problems: ConfigProblem[] = [];
  let parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "config");
      if (!problems.some((p) => p.name === name)) problems.push({ name, message: issue.message });
      delete input[name];
    }
    parsed = schema.safeParse(input);
  }
  if (!parsed.success) throw new Error("configuration defaults are invalid");
  return toConfig(parsed.data, problems);
}

function toConfig(vars: Vars, problems: ConfigProblem[]): Config {
  return {
    allowedOrigins: vars.ALLOWED_ORIGINS,
    apiHosts: vars.API_HOSTS,
    issuer: vars.ISSUER,
    jwtTtlSec: vars.JWT_TTL_SEC,
    kid: vars.KID,
    preferredProviders: vars.PREFERRED_PROVIDER,
    models: { groq: vars.GROQ_MODEL, cfai: vars.CF_AI_MODEL, openai: vars.OPENAI_MODEL },
    bases: { groq: vars.GROQ_BASE, openai: vars.OPENAI_BASE },
    microPer1k: vars.CREDIT_PER_1K,
    maxUploadBytes: vars.MAX_UPLOAD_BYTES,
    identityMode: vars.IDENTITY_MODE,
    newAccountMicro: vars.NEW_ACCOUNT_CREDITS,
    guestMicro: vars.GUEST_CREDITS,
    guestRateLimit: { limit: vars.GUEST_RATE_LIMIT, windowSec: vars.GUEST_RATE_WINDOW_SEC },
    llm: {
      attemptTimeoutMs: vars.LLM_ATTEMPT_TIMEOUT_MS,
      deadlineMs: vars.LLM_DEADLINE_MS,
      maxOutputTokens: vars.LLM_MAX_OUTPUT_TOKENS,
    },
    tiers: vars.INTELLIGENCE_TIERS,
    retention: {
      usageDays: vars.USAGE_RETENTION_DAYS,
      jobDays: vars.JOB_RETENTION_DAYS,
      jobsPerTick: vars.JOBS_PER_TICK,
    },
    turnstile: { verifyUrl: vars.TURNSTILE_VERIFY_URL, secretKey: vars.TURNSTILE_SECRET_KEY },
    secrets: {
      privateKeyPem: vars.PRIVATE_KEY_PEM,
      adminApiKey: vars.ADMIN_API_KEY,
      groqApiKey: vars.GROQ_API_KEY,
      openaiApiKey: vars.OPENAI_API_KEY,
    },
    problems,
  };
}
