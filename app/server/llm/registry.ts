// Every provider the gateway can call, in one table: whether this deployment can use it (and,
// if not, which setting is missing), and how to make its adapter. A new provider is one adapter
// module and one entry here; the plan, the orchestrator, /ready and the Workers AI checks all
// read this table. Entries are plain values, so providers an operator names at runtime can be
// built with the same factories and looked up through entryFor.
import type { Config, ProviderName } from "../config";
import { openAiCompatible } from "./providers/openai-compatible";
import { aiBound, workersAi } from "./providers/workers-ai";
import type { Provider } from "./types";

export type ProviderEnv = Pick<Env, "AI">;

export interface Availability {
  configured: boolean;
  /** Why the provider is skipped; names the missing setting, never a value. */
  reason?: string;
  /** True when the provider is served from this machine (the local development model). */
  local: boolean;
}

export interface ProviderEntry {
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

/** A provider speaking OpenAI's chat completions at `base`, with a bearer key. */
export function openAiCompatibleEntry(
  name: ProviderName,
  setting: (config: Config) => { base: string; apiKey?: string },
  keyName: string,
): ProviderEntry {
  return {
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
  availability: (_config, env) =>
    aiBound(env) ? { configured: true, local: false } : { configured: false, local: false, reason: "no AI binding" },
  create: (_config, env) => workersAi(env.AI),
};

export const PROVIDERS: Record<ProviderName, ProviderEntry> = {
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

/** The entry for `name` (the one place a name becomes a provider). */
export function entryFor(_config: Config, name: ProviderName): ProviderEntry {
  return PROVIDERS[name];
}

// Per configuration (one per isolate), for each state of the AI binding: every ask plans with it.
const statusCache = new WeakMap<Config, Map<boolean, readonly ProviderStatus[]>>();

/** PREFERRED_PROVIDER in order, each with its model and whether it can be used here (do not mutate). */
export function providerStatuses(config: Config, env: ProviderEnv): readonly ProviderStatus[] {
  let byBinding = statusCache.get(config);
  if (!byBinding) {
    byBinding = new Map();
    statusCache.set(config, byBinding);
  }
  const bound = aiBound(env);
  let statuses = byBinding.get(bound);
  if (!statuses) {
    statuses = config.preferredProviders.map((name) => ({
      name,
      model: config.models[name],
      ...entryFor(config, name).availability(config, env),
    }));
    byBinding.set(bound, statuses);
  }
  return statuses;
}
