// Every variable and secret the Worker reads, in one list: its default, what it means, and how
// its text is checked. This is the only place a default is written. config.ts parses `env` with
// it; `npm run config:docs` writes the README's configuration table and wrangler.toml's [vars]
// from it, and a test fails when either differs. (Imports only zod, so Node scripts can read it.)
import { z } from "zod";

/** The providers built in; PROVIDERS names more (OpenAI-compatible), usable wherever these are. */
export const PROVIDER_NAMES = ["groq", "cfai", "openai"] as const;
export type BuiltInProvider = (typeof PROVIDER_NAMES)[number];
export type ProviderName = string;
/** How a provider may be named (built in or in PROVIDERS): also the prefix of `provider/model`. */
export const PROVIDER_ID = /^[a-z][a-z0-9_-]{0,31}$/;

/** Text-to-speech providers (POST /api/tts), in the order TTS_PROVIDERS may name them. */
export const TTS_PROVIDER_NAMES = ["cartesia", "cfai"] as const;
export type TtsProviderName = (typeof TTS_PROVIDER_NAMES)[number];

export const TIER_NAME = /^[a-z0-9_-]{1,32}$/i;

interface Described<S extends z.ZodType> {
  description: string;
  schema: S;
}

/** A variable with a default, as the text it is in wrangler.toml. */
export interface Setting<S extends z.ZodType = z.ZodType> extends Described<S> {
  kind: "var";
  fallback: string;
  /** wrangler.toml holds this deployment's own value, not the default (KID changes at rotation). */
  perDeployment?: true;
}

/** A secret: `wrangler secret put` (locally `.dev.vars`), never in wrangler.toml, no default. */
export interface Secret<S extends z.ZodType = z.ZodType> extends Described<S> {
  kind: "secret";
}

function setting<S extends z.ZodType<unknown, string>>(
  fallback: string,
  description: string,
  parse: S,
  options: { perDeployment?: true } = {},
): Setting<z.ZodPipe<z.ZodDefault<z.ZodString>, S>> {
  return { kind: "var", fallback, description, schema: z.string().default(fallback).pipe(parse), ...options };
}

/** A guessable admin key opens every account: shorter ones are refused as a misconfiguration. */
export const ADMIN_KEY_MIN_LENGTH = 32;

function secret(description: string, options: { minLength?: number } = {}) {
  const min = options.minLength ?? 0;
  const schema = z
    .string()
    .optional()
    .transform((raw) => (raw?.trim() ? raw : undefined))
    .refine((value) => value === undefined || value.length >= min, `must be at least ${min} characters`);
  return { kind: "secret", description, schema } satisfies Secret<typeof schema>;
}

const csv = (raw: string) =>
  raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

const whole = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(z.number().int().min(min).max(max));

/** Decimal credits (turned into micro-credits by config.ts). */
const credits = z
  .string()
  .trim()
  .regex(/^\d+(\.\d{1,6})?$/, "must be a non-negative decimal with at most 6 places")
  .transform(Number);

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .transform((raw) => raw.replace(/\/+$/, ""));

const origin = z.url({ protocol: /^https?$/ }).refine((raw) => new URL(raw).origin === raw, {
  message: "each entry must be a bare origin such as https://app.example.com",
});

const model = z.string().trim().min(1).max(200);

/** A Cartesia voice id (a UUID). */
export const VOICE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const voiceId = z.string().trim().regex(VOICE_ID, "must be a voice id (a UUID)");

const providerId = z.string().regex(PROVIDER_ID, "provider names are 1-32 lowercase letters, digits, '_' or '-'");

export const tierModels = z.record(z.string().regex(TIER_NAME), z.record(providerId, z.string().min(1)));

/** One operator-named OpenAI-compatible provider (PROVIDERS). */
export const extraProvider = z
  .object({
    base: httpUrl,
    /** The name of the secret holding its key; none for a server that needs no key (Ollama). */
    key_secret: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,63}$/, "must name a secret, such as TOGETHER_API_KEY")
      .optional(),
    model,
    /** More models it may be asked for by name (its default and the tiers' are always allowed). */
    models: z.array(model).max(200).optional(),
    tools: z.boolean().optional(),
    images: z.boolean().optional(),
  })
  .strict();

export const extraProviders = z.record(
  providerId.refine((name) => !(PROVIDER_NAMES as readonly string[]).includes(name), {
    message: "groq, cfai and openai are built in",
  }),
  extraProvider,
);

/** Credits per 1K tokens, as in MODEL_PRICES (at most 6 decimals: exact in micro-credits). */
const creditPrice = z
  .number({ error: "must be a number of credits" })
  .finite()
  .min(0)
  .max(1_000_000)
  .refine((value) => Math.abs(value * 1e6 - Math.round(value * 1e6)) < 1e-6, { message: "at most 6 decimal places" });

export const modelPrices = z.record(
  z.string().trim().min(1).max(300),
  z.object({ input: creditPrice, output: creditPrice }).strict(),
);

const json = z.string().transform((raw, ctx) => {
  if (!raw.trim()) return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "must be a JSON object" });
    return z.NEVER;
  }
});

/** How often an allowance tops an account up. */
export const ALLOWANCE_PERIODS = ["day", "week", "month"] as const;

export const allowances = z
  .object({
    email: z
      .object({ credits: creditPrice, every: z.enum(ALLOWANCE_PERIODS) })
      .strict()
      .optional(),
    guest: z
      .object({ credits: creditPrice, every: z.enum(ALLOWANCE_PERIODS) })
      .strict()
      .optional(),
  })
  .strict();

/** An http(s) URL, or empty for "off". */
const optionalUrl = z.union([z.literal("").transform(() => undefined), httpUrl]);

export const VARIABLES = {
  ALLOWED_ORIGINS: setting(
    "https://app.cognomega.com,https://www.cognomega.com",
    "CSV of exact origins CORS allows (the app host calling its own API needs no entry)",
    z.string().transform(csv).pipe(z.array(origin)),
  ),
  API_HOSTS: setting(
    "api.cognomega.com",
    "CSV of hosts that serve API paths only",
    z.string().transform((raw) => csv(raw).map((host) => host.toLowerCase())),
  ),
  ISSUER: setting(
    "https://api.cognomega.com",
    "`iss` of guest tokens, checked on verification",
    z.string().trim().min(1),
  ),
  JWT_TTL_SEC: setting("3600", "guest token lifetime in seconds (60 – 604800)", whole(60, 7 * 86_400)),
  KID: setting(
    "k1",
    "key id of `PRIVATE_KEY_PEM`; wrangler.toml holds the deployment's current one (OPS.md §12)",
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 letters, digits, dot, dash or underscore"),
    { perDeployment: true },
  ),
  PREFERRED_PROVIDER: setting(
    "groq,cfai,openai",
    "providers in the order they are tried",
    z
      .string()
      .transform((raw) => [...new Set(csv(raw).map((name) => name.toLowerCase()))])
      .pipe(z.array(providerId).min(1, "must name at least one provider")),
  ),
  GROQ_MODEL: setting("llama-3.1-8b-instant", "groq's default model", model),
  CF_AI_MODEL: setting("@cf/meta/llama-3.1-8b-instruct", "Workers AI's default model", model),
  OPENAI_MODEL: setting("gpt-4o-mini", "openai's default model", model),
  OPENAI_BASE: setting(
    "https://api.openai.com/v1",
    "any OpenAI-compatible base (a local Ollama: `http://host:11434/v1`)",
    httpUrl,
  ),
  GROQ_BASE: setting("https://api.groq.com/openai/v1", "groq's API base", httpUrl),
  CREDIT_PER_1K: setting(
    "0.05",
    "credits per 1,000 tokens (in and out) of every model `MODEL_PRICES` does not list; up to 6 decimals",
    credits,
  ),
  MAX_UPLOAD_BYTES: setting("10485760", "direct upload cap in bytes", whole(1, 500 * 1024 * 1024)),
  IDENTITY_MODE: setting(
    "verified",
    "`verified`: an asserted email needs proof (a key, a token, the admin key); `asserted`: trusted as sent (OPS.md §6)",
    z.enum(["verified", "asserted"], { error: "must be exactly verified or asserted" }),
  ),
  NEW_ACCOUNT_CREDITS: setting("0", "opening credits of a new email account", credits),
  GUEST_CREDITS: setting("1", "opening credits of each guest id (once per id)", credits),
  GUEST_RATE_LIMIT: setting("30", "guest sign-ups per client address per window", whole(1, 1_000_000)),
  GUEST_RATE_WINDOW_SEC: setting("60", "the guest sign-up window in seconds", whole(1, 86_400)),
  LLM_ATTEMPT_TIMEOUT_MS: setting(
    "20000",
    "one provider attempt (also: the longest silence inside a stream)",
    whole(100, 600_000),
  ),
  LLM_DEADLINE_MS: setting("45000", "the whole ask, all attempts and retries", whole(100, 900_000)),
  HOLD_GRACE_MS: setting(
    "60000",
    "a hold not settled by LLM_DEADLINE_MS + this expires, charged for what it delivered (OPS.md §9)",
    whole(0, 3_600_000),
  ),
  ACCOUNT_RATE_LIMIT: setting(
    "120",
    "asks per minute per account, counted by its ledger (0 = off); over it: 429 `rate_limited`",
    whole(0, 1_000_000),
  ),
  MODEL_PRICES: setting(
    "",
    'JSON: `"model"` or `"provider/model"` → `{"input":…,"output":…}` credits per 1K tokens; unlisted: `CREDIT_PER_1K`',
    json.pipe(modelPrices),
  ),
  LLM_MAX_OUTPUT_TOKENS: setting("1024", "default and ceiling for `max_tokens`", whole(1, 65_536)),
  PROVIDERS: setting(
    "",
    'JSON: more OpenAI-compatible providers, e.g. `{"together":{"base":"https://api.together.xyz/v1","key_secret":"TOGETHER_API_KEY","model":"…"}}` (OPS.md §9)',
    json.pipe(extraProviders),
  ),
  INTELLIGENCE_TIERS: setting(
    "",
    'JSON: tier → model per provider, e.g. `{"smart":{"openai":"gpt-4o"}}`',
    json.pipe(tierModels),
  ),
  USAGE_RETENTION_DAYS: setting("365", "the cron prunes usage records older than this", whole(1, 3650)),
  JOB_RETENTION_DAYS: setting("30", "the cron prunes finished jobs older than this", whole(1, 3650)),
  JOBS_PER_TICK: setting("5", "queued jobs the cron runs per tick", whole(0, 100)),
  GUEST_RETENTION_DAYS: setting(
    "30",
    "a guest account with no balance, nothing held and no activity for this long leaves the account index",
    whole(1, 3650),
  ),
  RETENTION_ACCOUNTS_PER_TICK: setting(
    "200",
    "accounts one cron tick's retention visits (it resumes where the last tick stopped)",
    whole(1, 10_000),
  ),
  UPLOAD_QUOTA_BYTES: setting("104857600", "stored upload bytes per account", whole(1, 1024 ** 4)),
  UPLOAD_QUOTA_FILES: setting("1000", "stored uploads per account", whole(1, 1_000_000)),
  MAX_QUEUED_JOBS: setting("20", "queued jobs per account", whole(1, 10_000)),
  ADMIN_AUTH_RATE_LIMIT: setting(
    "10",
    "wrong admin keys per client address per minute before admin answers 429 (sign-in form: every try)",
    whole(1, 10_000),
  ),
  FORM_MAX_BYTES: setting(
    "16384",
    "largest body a web-app form post may have (sign-in, the chat's forms); larger is 413 unread",
    whole(1024, 1024 * 1024),
  ),
  TURNSTILE_VERIFY_URL: setting(
    "https://challenges.cloudflare.com/turnstile/v0/siteverify",
    "Turnstile's siteverify API (overridable for tests)",
    httpUrl,
  ),
  SERVER_TIMING: setting(
    "0",
    "`1`: API answers carry a `Server-Timing` header (auth, body, hold, upstream, respond) for profiling",
    z
      .string()
      .trim()
      .pipe(z.enum(["0", "1"], { error: "must be 0 or 1" }))
      .transform((raw) => raw === "1"),
  ),
  STRIPE_PAYMENT_LINK: setting(
    "",
    'a Stripe Payment Link (https://buy.stripe.com/…): the chat\'s "Buy credits" for signed-in accounts; empty = off',
    z.string().trim().pipe(optionalUrl),
  ),
  CREDITS_PER_USD: setting("100", "credits a top-up of one US dollar buys (Stripe); up to 6 decimals", credits),
  LOW_BALANCE_THRESHOLD: setting(
    "0",
    "credits: an email account's balance falling below this sends one low-balance webhook per crossing (0 = off)",
    credits,
  ),
  LOW_BALANCE_WEBHOOK_URL: setting(
    "",
    "where low-balance alerts are POSTed, signed with `LOW_BALANCE_WEBHOOK_SECRET`; empty = no webhook",
    z.string().trim().pipe(optionalUrl),
  ),
  ALLOWANCE: setting(
    "",
    'JSON: `{"email":{"credits":5,"every":"month"},"guest":…}`: the cron tops active accounts up to that level once per day/week/month',
    json.pipe(allowances),
  ),
  TTS_PROVIDERS: setting(
    "cartesia,cfai",
    "text-to-speech providers in the order they are tried (`POST /api/tts`)",
    z
      .string()
      .transform((raw) => [...new Set(csv(raw).map((name) => name.toLowerCase()))])
      .pipe(z.array(z.enum(TTS_PROVIDER_NAMES)).min(1, "must name at least one of cartesia, cfai")),
  ),
  TTS_CREDITS_PER_1K_CHARS: setting("0.05", "credits per 1,000 characters read aloud, up to 6 decimals", credits),
  TTS_MAX_CHARS: setting("5000", "longest text `POST /api/tts` reads aloud, in characters", whole(1, 100_000)),
  CARTESIA_BASE: setting("https://api.cartesia.ai", "Cartesia's API base (`POST {base}/tts/bytes`)", httpUrl),
  CARTESIA_VERSION: setting(
    "2026-03-01",
    "the `Cartesia-Version` header: the API version this integration was written against",
    z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2026-03-01"),
  ),
  CARTESIA_MODEL: setting("sonic-2", "Cartesia's `model_id` (OPS.md: Cartesia)", model),
  CARTESIA_VOICE_ID: setting(
    "694f9389-aac1-45b6-b726-9d9369183238",
    "the voice read-aloud uses unless a request picks another from `CARTESIA_VOICES`",
    voiceId,
  ),
  CARTESIA_VOICES: setting(
    "",
    "CSV of further voice ids a request may pick (`voice`); empty: only `CARTESIA_VOICE_ID`",
    z.string().transform(csv).pipe(z.array(voiceId)),
  ),
  CF_TTS_MODEL: setting("@cf/myshell-ai/melotts", "Workers AI's text-to-speech model (MeloTTS; mp3 only)", model),
  PRIVATE_KEY_PEM: secret("RS256 PKCS#8 key (`BEGIN PRIVATE KEY`, ≥ 2048 bits) that signs guest tokens"),
  ADMIN_API_KEY: secret(
    "opens the admin endpoints and dashboard; unset, admin is closed (503); shorter than 32 characters is a misconfiguration",
    { minLength: ADMIN_KEY_MIN_LENGTH },
  ),
  GROQ_API_KEY: secret("groq's key; unset, groq is skipped"),
  OPENAI_API_KEY: secret("openai's (or the OpenAI-compatible base's) key; unset, openai is skipped"),
  TURNSTILE_SECRET_KEY: secret("when set, guest sign-up needs a Turnstile response"),
  STRIPE_WEBHOOK_SECRET: secret(
    "Stripe's webhook signing secret (`whsec_…`); unset, `POST /api/billing/stripe/webhook` answers 503",
  ),
  LOW_BALANCE_WEBHOOK_SECRET: secret("HMAC-SHA256 key of the low-balance webhook's `X-Cognomega-Signature`"),
  CARTESIA_API_KEY: secret("Cartesia's key (`X-API-Key`); unset, the `cartesia` voice is skipped"),
  DRAIN_SECRET: secret(
    "set by `npm start` at each start: opens its graceful stop (POST /__drain); unset (deployed), that path is a 404",
  ),
};

export type VariableName = keyof typeof VARIABLES;

type Shape = { [Name in VariableName]: (typeof VARIABLES)[Name]["schema"] };

const knownProvider = (extra: Record<string, unknown>) => (name: string) =>
  (PROVIDER_NAMES as readonly string[]).includes(name) || Object.hasOwn(extra, name);

export const configSchema = z
  .object(Object.fromEntries(Object.entries(VARIABLES).map(([name, variable]) => [name, variable.schema])) as Shape)
  // Provider names must be ones this deployment knows: built in, or named in PROVIDERS.
  .superRefine((vars, ctx) => {
    const known = knownProvider(vars.PROVIDERS);
    const unknown = vars.PREFERRED_PROVIDER.filter((name) => !known(name));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["PREFERRED_PROVIDER"],
        message: `names ${unknown.join(", ")}: neither groq, cfai, openai nor in PROVIDERS`,
      });
    }
    for (const [tier, models] of Object.entries(vars.INTELLIGENCE_TIERS)) {
      const stray = Object.keys(models).filter((name) => !known(name));
      if (stray.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["INTELLIGENCE_TIERS"],
          message: `tier ${tier} names ${stray.join(", ")}: neither groq, cfai, openai nor in PROVIDERS`,
        });
      }
    }
  });
