// Readiness: which provider answers first, the whole provider chain (PREFERRED_PROVIDER in order,
// each usable or skipped with the reason), and what (by name) keeps the service from working.
import { keyProblem } from "./auth/keys";
import type { ConfigProblem } from "./config";
import type { RequestScope } from "./context";
import { providerStatuses } from "./llm/registry";
import { type SpeechStatus, speechChain } from "./tts/chain";

export interface Readiness {
  ok: boolean;
  provider: string | null;
  model: string | null;
  local_upstream: boolean;
  /** `verified` or `asserted` (OPS.md §6): operators see at a glance whether emails are trusted. */
  identity_mode: "verified" | "asserted";
  /** The fallback order; never a key or a base URL. */
  providers: Array<{ name: string; model: string; configured: boolean; local: boolean; reason?: string }>;
  problems: ConfigProblem[];
  /** The read-aloud chain (TTS_PROVIDERS) in order. Optional: an empty chain is not a problem. */
  tts: SpeechStatus[];
}

export async function readiness(scope: RequestScope): Promise<Readiness> {
  const { config, env } = scope;
  const problems = [...config.problems];
  const providers = providerStatuses(config, env);
  const first = providers.find((provider) => provider.configured);
  if (!first) {
    const reasons = providers.map((p) => `${p.name}: ${p.reason}`).join("; ");
    problems.push({ name: "PREFERRED_PROVIDER", message: `no listed provider is configured (${reasons})` });
  }
  const key = await keyProblem(env.KEYS, config);
  if (key) problems.push(key);
  return {
    ok: problems.length === 0,
    provider: first?.name ?? null,
    model: first?.model ?? null,
    local_upstream: first?.local ?? false,
    identity_mode: config.identityMode,
    providers: providers.map(({ name, model, configured, local, reason }) => ({
      name,
      model,
      configured,
      local,
      ...(reason ? { reason } : {}),
    })),
    problems,
    tts: speechChain(config, env),
  };
}
