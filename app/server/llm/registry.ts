// Every provider the gateway can call, in one table: whether this deployment can use it (and,
// if not, which setting is missing), and how to make its adapter. A new provider is one adapter
// module and one entry here; the plan, the orchestrator, /ready and the Workers AI checks all
// read this table. Entries are plain values, so the providers an operator names in PROVIDERS are
// built with the same factory and looked up through entryFor.
import type { BuiltInProvider, Config, ExtraProvider, ProviderName } from "../config";
import { openAiCompatible } from "./providers/openai-compatible";
import { aiBound, workersAi } from "./providers/workers-ai";
import type { Capabilities, Provider } from "./types";

export type ProviderEnv = Pick<Env, "AI">;

export interface Availability {
  configured: boolean;
  /** Why the provider is skipped; names the missing setting, never a value. */
  reason?: string;
  /** True when the provider is served from this machine (the local development model). */
  local: boolean;
}

export interface ProviderEntry {
  /** What it takes besides text; requests needing more skip it. */
  capabilities: Capabilities;
  availability(config: Config, env: ProviderEnv): Availability;
  create(config: Config, env: ProviderEnv): Provider;
}

export interface ProviderStatus extends Availability {
  name: ProviderName;
  model: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackUrl(raw: string): boolean {
  try {
    return LOOPBACK.test(new URL(raw).hostname);
  } catch {
    return false;
  }
}

const EVERYTHING: Capabilities = { tools: true, images: true };

/**
 * A provider speaking OpenAI's chat completions at `base`, with a bearer key. Tools and images
 * are passed on; a model that cannot use them says so itself (400, not retried elsewhere).
 */
export function openAiCompatibleEntry(
  name: ProviderName,
  setting: (config: Config) => { base: string; apiKey?: string },
  keyName: string,
): ProviderEntry {
  return {
    capabilities: EVERYTHING,
    availability(config) {
      const { base, apiKey } = setting(config);
      return {
        configured: Boolean(apiKey),
        local: isLoopbackUrl(base),
        ...(apiKey ? {} : { reason: `${keyName} is not set` }),
      };
    },
    create(config) {
      const { base, apiKey } = setting(config);
      return openAiCompatible(name, base, apiKey ?? "");
    },
  };
}

const workersAiEntry: ProviderEntry = {
  // The binding's chat models take neither OpenAI's tool calls nor its image parts.
  capabilities: { tools: false, images: false },
  availability: (_config, env) =>
    aiBound(env) ? { configured: true, local: false } : { configured: false, local: false, reason: "no AI binding" },
  create: (_config, env) => workersAi(env.AI),
};

/** The built-in providers (the PROVIDERS variable names more; see entryFor). */
export const PROVIDERS: Record<BuiltInProvider, ProviderEntry> = {
  groq: openAiCompatibleEntry(
    "groq",
    (config) => ({ base: config.bases.groq, apiKey: config.secrets.groqApiKey }),
    "GROQ_API_KEY",
  ),
  cfai: workersAiEntry,
  openai: openAiCompatibleEntry(
    "openai",
    (config) => ({ base: config.bases.openai, apiKey: config.secrets.openaiApiKey }),
    "OPENAI_API_KEY",
  ),
};

/** A provider named in PROVIDERS. A key is needed only when the entry names its secret. */
function extraEntry(name: ProviderName, extra: ExtraProvider): ProviderEntry {
  return {
    capabilities: { tools: extra.tools, images: extra.images },
    availability: () => ({
      configured: !extra.keySecret || Boolean(extra.apiKey),
      local: isLoopbackUrl(extra.base),
      ...(extra.keySecret && !extra.apiKey ? { reason: `${extra.keySecret} is not set` } : {}),
    }),
    create: () => openAiCompatible(name, extra.base, extra.apiKey),
  };
}

const UNKNOWN: ProviderEntry = {
  capabilities: { tools: false, images: false },
  availability: () => ({ configured: false, local: false, reason: "not a provider this deployment knows" }),
  create: () => {
    throw new Error("an unknown provider cannot be created");
  },
};

function isBuiltIn(name: ProviderName): name is BuiltInProvider {
  return Object.hasOwn(PROVIDERS, name);
}

/** The entry for `name` (the one place a name becomes a provider). */
export function entryFor(config: Config, name: ProviderName): ProviderEntry {
  if (isBuiltIn(name)) return PROVIDERS[name];
  const extra = config.providers[name];
  return extra ? extraEntry(name, extra) : UNKNOWN;
}

/** PREFERRED_PROVIDER in order, each with its model and whether it can be used here. */
export function providerStatuses(config: Config, env: ProviderEnv): ProviderStatus[] {
  return config.preferredProviders.map((name) => ({
    name,
    model: config.models[name] ?? "",
    ...entryFor(config, name).availability(config, env),
  }));
}
