// The names /v1 knows a model by, and what each narrows the plan to:
//   - omitted or `auto`     → PREFERRED_PROVIDER in order, each with its default model;
//   - a tier name           → as X-Intelligence-Tier: each provider with the tier's model;
//   - `provider/model`      → that provider only, with that model (also `provider/<tier>`,
//                             `provider/auto`);
//   - a model id            → the providers that offer it, in order.
// The catalog lists the same names for GET /v1/models: only what this deployment can serve now.
import type { Config, ProviderName } from "../../config";
import { ApiError } from "../../http/errors";
import { allowedModels } from "../plan";
import { providerStatuses } from "../registry";

export interface ModelSelection {
  provider?: ProviderName;
  model?: string;
  tier?: string;
}

export interface CatalogEntry {
  id: string;
  owned_by: string;
  selection: ModelSelection;
}

/** The deployment itself, as the owner of `auto` and the tiers. */
export const GATEWAY_OWNER = "cognomega";

function configuredProviders(config: Config, env: Pick<Env, "AI">): ProviderName[] {
  return providerStatuses(config, env)
    .filter((status) => status.configured)
    .map((status) => status.name);
}

function tierNamed(config: Config, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.hasOwn(config.tiers, lower) ? lower : undefined;
}

/** Every name a client may send as `model`, in the order /v1/models lists them. */
export function catalog(config: Config, env: Pick<Env, "AI">): CatalogEntry[] {
  const providers = configuredProviders(config, env);
  if (providers.length === 0) return [];
  const entries: CatalogEntry[] = [{ id: "auto", owned_by: GATEWAY_OWNER, selection: {} }];
  for (const tier of Object.keys(config.tiers))
    entries.push({ id: tier, owned_by: GATEWAY_OWNER, selection: { tier } });
  for (const provider of providers) {
    for (const model of allowedModels(config, provider)) {
      entries.push({ id: `${provider}/${model}`, owned_by: provider, selection: { provider, model } });
    }
  }
  return entries;
}

function notFound(raw: string): ApiError {
  return new ApiError(
    404,
    "model_not_found",
    `The model \`${raw}\` does not exist here or no configured provider serves it; GET /v1/models lists those that do.`,
    { param: "model" },
  );
}

/** What `raw` narrows the plan to; a name this deployment cannot serve now is a 404. */
export function resolveModel(config: Config, env: Pick<Env, "AI">, raw: string | undefined): ModelSelection {
  const name = raw?.trim() ?? "";
  if (!name || name.toLowerCase() === "auto") return {};
  const tier = tierNamed(config, name);
  if (tier) return { tier };
  const providers = configuredProviders(config, env);
  const slash = name.indexOf("/");
  if (slash > 0) {
    const provider = name.slice(0, slash).toLowerCase();
    const rest = name.slice(slash + 1);
    if (providers.includes(provider)) {
      if (!rest || rest.toLowerCase() === "auto") return { provider };
      const pinnedTier = tierNamed(config, rest);
      if (pinnedTier) return { provider, tier: pinnedTier };
      if (allowedModels(config, provider).includes(rest)) return { provider, model: rest };
      throw notFound(name);
    }
  }
  // A model id (which may itself hold a slash, like `@cf/meta/…` or `meta-llama/…`).
  if (providers.some((provider) => allowedModels(config, provider).includes(name))) return { model: name };
  throw notFound(name);
}

/** The catalog entry a name resolves to (GET /v1/models/{id}), or a 404. */
export function describeModel(config: Config, env: Pick<Env, "AI">, raw: string): CatalogEntry {
  const selection = resolveModel(config, env, raw);
  const owner =
    selection.provider ??
    (selection.model
      ? configuredProviders(config, env).find((provider) =>
          allowedModels(config, provider).includes(selection.model ?? ""),
        )
      : undefined);
  return { id: raw, owned_by: owner ?? GATEWAY_OWNER, selection };
}
