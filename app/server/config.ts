// Parses the Worker's `env` once into a typed configuration, with the defaults of the one list
// in config-vars.ts. A bad value is reported by its variable name (never its value) and the
// default is used.
import type { z } from "zod";
import { microFromCredits, type Price } from "./billing/money";
import {
  type allowances,
  type BuiltInProvider,
  configSchema,
  type ProviderName,
  type TtsProviderName,
  type tierModels,
} from "./config-vars";

export { type BuiltInProvider, PROVIDER_NAMES, type ProviderName } from "./config-vars";

/** A provider named in PROVIDERS: OpenAI's protocol at `base`. */
export interface ExtraProvider {
  base: string;
  /** The secret's name, when it needs a key; `apiKey` is its value, when set. */
  keySecret?: string;
  apiKey?: string;
  model: string;
  models: string[];
  tools: boolean;
  images: boolean;
}

type Vars = z.output<typeof configSchema>;

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
  /** Each provider's default model (built in, and those PROVIDERS names). */
  models: Record<BuiltInProvider, string> & Record<ProviderName, string>;
  /** The providers PROVIDERS names. */
  providers: Record<ProviderName, ExtraProvider>;
  bases: { groq: string; openai: string };
  /** Micro-credits charged per 1,000 tokens of a model MODEL_PRICES does not list. */
  microPer1k: number;
  /** MODEL_PRICES in micro-credits per 1K tokens, by "provider/model" or "model". */
  prices: Record<string, Price>;
  maxUploadBytes: number;
  identityMode: "asserted" | "verified";
  newAccountMicro: number;
  guestMicro: number;
  guestRateLimit: { limit: number; windowSec: number };
  llm: { attemptTimeoutMs: number; deadlineMs: number; maxOutputTokens: number; holdGraceMs: number };
  /** Asks per minute per account; 0 = no limit. */
  accountRateLimit: number;
  /** SERVER_TIMING=1: API answers carry Server-Timing. */
  serverTiming: boolean;
  tiers: z.output<typeof tierModels>;
  retention: {
    usageDays: number;
    jobDays: number;
    jobsPerTick: number;
    guestDays: number;
    accountsPerTick: number;
  };
  uploadQuota: { bytes: number; files: number };
  maxQueuedJobs: number;
  adminAuthRateLimit: { limit: number; windowSec: number };
  formMaxBytes: number;
  turnstile: { verifyUrl: string; secretKey?: string };
  /** Stripe top-ups: on when the webhook secret is set. */
  stripe: { webhookSecret?: string; paymentLink?: string; microPerUsd: number };
  /** Low-balance alerts (thresholdMicro 0 = off). */
  lowBalance: { thresholdMicro: number; webhookUrl?: string; webhookSecret?: string };
  /** ALLOWANCE: per account kind, the level (micro-credits) and how often. */
  allowances: { [Kind in keyof z.output<typeof allowances>]?: { levelMicro: number; every: "day" | "week" | "month" } };
  secrets: {
    privateKeyPem?: string;
    adminApiKey?: string;
    groqApiKey?: string;
    openaiApiKey?: string;
    drainSecret?: string;
  };
  /** Reading answers aloud (POST /api/tts; app/server/tts/). */
  tts: {
    providers: TtsProviderName[];
    /** Micro-credits charged per 1,000 characters spoken. */
    microPer1kChars: number;
    maxChars: number;
    cartesia: { base: string; version: string; model: string; voice: string; voices: string[]; apiKey?: string };
    cfModel: string;
  };
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
  for (const key of Object.keys(configSchema.shape)) {
    // Only strings are configuration; bindings never shadow a variable.
    if (typeof raw[key] === "string") input[key] = raw[key];
  }
  const problems: ConfigProblem[] = [];
  let parsed = configSchema.safeParse(input);
  // A rejected variable falls back to its default, which may expose another (PREFERRED_PROVIDER
  // naming a provider of a rejected PROVIDERS), so this repeats until nothing is rejected.
  for (let round = 0; !parsed.success && round < Object.keys(input).length + 1; round++) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "config");
      if (!problems.some((p) => p.name === name)) problems.push({ name, message: issue.message });
      delete input[name];
    }
    parsed = configSchema.safeParse(input);
  }
  if (!parsed.success) throw new Error("configuration defaults are invalid");
  return toConfig(parsed.data, problems, raw);
}

/** PROVIDERS, with each key read from the secret it names. */
function extraProviders(vars: Vars, raw: Record<string, unknown>): Record<ProviderName, ExtraProvider> {
  const out: Record<ProviderName, ExtraProvider> = {};
  for (const [name, entry] of Object.entries(vars.PROVIDERS)) {
    const secret = entry.key_secret ? raw[entry.key_secret] : undefined;
    out[name] = {
      base: entry.base,
      keySecret: entry.key_secret,
      apiKey: typeof secret === "string" && secret.trim() ? secret : undefined,
      model: entry.model,
      models: entry.models ?? [],
      tools: entry.tools ?? true,
      images: entry.images ?? true,
    };
  }
  return out;
}

function toConfig(vars: Vars, problems: ConfigProblem[], raw: Record<string, unknown>): Config {
  const providers = extraProviders(vars, raw);
  return {
    allowedOrigins: vars.ALLOWED_ORIGINS,
    apiHosts: vars.API_HOSTS,
    issuer: vars.ISSUER,
    jwtTtlSec: vars.JWT_TTL_SEC,
    kid: vars.KID,
    preferredProviders: vars.PREFERRED_PROVIDER,
    models: {
      ...Object.fromEntries(Object.entries(providers).map(([name, entry]) => [name, entry.model])),
      groq: vars.GROQ_MODEL,
      cfai: vars.CF_AI_MODEL,
      openai: vars.OPENAI_MODEL,
    },
    providers,
    bases: { groq: vars.GROQ_BASE, openai: vars.OPENAI_BASE },
    microPer1k: microFromCredits(vars.CREDIT_PER_1K),
    prices: Object.fromEntries(
      Object.entries(vars.MODEL_PRICES).map(([name, price]) => [
        name,
        { in: microFromCredits(price.input), out: microFromCredits(price.output) },
      ]),
    ),
    maxUploadBytes: vars.MAX_UPLOAD_BYTES,
    identityMode: vars.IDENTITY_MODE,
    newAccountMicro: microFromCredits(vars.NEW_ACCOUNT_CREDITS),
    guestMicro: microFromCredits(vars.GUEST_CREDITS),
    guestRateLimit: { limit: vars.GUEST_RATE_LIMIT, windowSec: vars.GUEST_RATE_WINDOW_SEC },
    llm: {
      attemptTimeoutMs: vars.LLM_ATTEMPT_TIMEOUT_MS,
      deadlineMs: vars.LLM_DEADLINE_MS,
      maxOutputTokens: vars.LLM_MAX_OUTPUT_TOKENS,
      holdGraceMs: vars.HOLD_GRACE_MS,
    },
    accountRateLimit: vars.ACCOUNT_RATE_LIMIT,
    serverTiming: vars.SERVER_TIMING,
    tiers: vars.INTELLIGENCE_TIERS,
    retention: {
      usageDays: vars.USAGE_RETENTION_DAYS,
      jobDays: vars.JOB_RETENTION_DAYS,
      jobsPerTick: vars.JOBS_PER_TICK,
      guestDays: vars.GUEST_RETENTION_DAYS,
      accountsPerTick: vars.RETENTION_ACCOUNTS_PER_TICK,
    },
    uploadQuota: { bytes: vars.UPLOAD_QUOTA_BYTES, files: vars.UPLOAD_QUOTA_FILES },
    maxQueuedJobs: vars.MAX_QUEUED_JOBS,
    adminAuthRateLimit: { limit: vars.ADMIN_AUTH_RATE_LIMIT, windowSec: 60 },
    formMaxBytes: vars.FORM_MAX_BYTES,
    turnstile: { verifyUrl: vars.TURNSTILE_VERIFY_URL, secretKey: vars.TURNSTILE_SECRET_KEY },
    stripe: {
      webhookSecret: vars.STRIPE_WEBHOOK_SECRET,
      paymentLink: vars.STRIPE_PAYMENT_LINK,
      microPerUsd: microFromCredits(vars.CREDITS_PER_USD),
    },
    lowBalance: {
      thresholdMicro: microFromCredits(vars.LOW_BALANCE_THRESHOLD),
      webhookUrl: vars.LOW_BALANCE_WEBHOOK_URL,
      webhookSecret: vars.LOW_BALANCE_WEBHOOK_SECRET,
    },
    allowances: Object.fromEntries(
      Object.entries(vars.ALLOWANCE).flatMap(([kind, rule]) =>
        rule ? [[kind, { levelMicro: microFromCredits(rule.credits), every: rule.every }]] : [],
      ),
    ),
    secrets: {
      privateKeyPem: vars.PRIVATE_KEY_PEM,
      adminApiKey: vars.ADMIN_API_KEY,
      groqApiKey: vars.GROQ_API_KEY,
      openaiApiKey: vars.OPENAI_API_KEY,
      drainSecret: vars.DRAIN_SECRET,
    },
    tts: {
      providers: vars.TTS_PROVIDERS,
      microPer1kChars: microFromCredits(vars.TTS_CREDITS_PER_1K_CHARS),
      maxChars: vars.TTS_MAX_CHARS,
      cartesia: {
        base: vars.CARTESIA_BASE,
        version: vars.CARTESIA_VERSION,
        model: vars.CARTESIA_MODEL,
        voice: vars.CARTESIA_VOICE_ID,
        voices: vars.CARTESIA_VOICES,
        apiKey: vars.CARTESIA_API_KEY,
      },
      cfModel: vars.CF_TTS_MODEL,
    },
    problems,
  };
}

/** What `model` costs through `provider`: MODEL_PRICES by "provider/model", then "model", else CREDIT_PER_1K. */
export function priceOf(config: Config, provider: string, model: string): Price {
  return (
    config.prices[`${provider}/${model}`] ?? config.prices[model] ?? { in: config.microPer1k, out: config.microPer1k }
  );
}
