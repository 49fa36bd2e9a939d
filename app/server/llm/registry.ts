// Which providers this deployment can use, in the operator's preferred order, and why not.
import type { Config, ProviderName } from "../config";

export interface ProviderStatus {
  name: ProviderName;
  model: string;
  configured: boolean;
  /** Why the provider is skipped; names the missing setting, never a value. */
  reason?: string;
  /** True when the provider is served from this machine (the local development upstream). */
  local: boolean;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackUrl(raw: string): boolean {
  try {
    return LOOPBACK.test(new URL(raw).hostname);
  } catch {
    return false;
  }
}

export function providerStatuses(config: Config, env: Pick<Env, "AI">): ProviderStatus[] {
  return config.preferredProviders.map((name) => {
    const model = config.models[name];
    switch (name) {
      case "groq":
        return keyed(name, model, config.secrets.groqApiKey, "GROQ_API_KEY", config.bases.groq);
      case "openai":
        return keyed(name, model, config.secrets.openaiApiKey, "OPENAI_API_KEY", config.bases.openai);
      default: {
        const bound = typeof env.AI?.run === "function";
        return { name, model, configured: bound, local: false, ...(bound ? {} : { reason: "no AI binding" }) };
      }
    }
  });
}

function keyed(name: ProviderName, model: string, key: string | undefined, keyName: string, base: string) {
  return {
    name,
    model,
    configured: Boolean(key),
    local: isLoopbackUrl(base),
    ...(key ? {} : { reason: `${keyName} is not set` }),
  };
}
