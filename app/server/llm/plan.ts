// Which provider/model pairs a request may use, in order: PREFERRED_PROVIDER, narrowed by the
// request's provider/model overrides, with the intelligence tier's models swapped in — each with
// its price (MODEL_PRICES, else CREDIT_PER_1K).
import type { Price } from "../billing/money";
import { type Config, type ProviderName, priceOf } from "../config";
import { badRequest } from "../http/errors";
import { providerStatuses } from "./registry";

export interface PlannedAttempt {
  provider: ProviderName;
  model: string;
  configured: boolean;
  reason?: string;
  local: boolean;
  /** Micro-credits per 1K input and output tokens for this provider and model. */
  price: Price;
}

/** The models an operator has allowed for `provider`: its default and every tier's choice. */
export function allowedModels(config: Config, provider: ProviderName): string[] {
  const models = new Set([config.models[provider]]);
  for (const tier of Object.values(config.tiers)) {
    const model = tier[provider];
    if (model) models.add(model);
  }
  return [...models];
}

export function planAttempts(
  config: Config,
  env: Pick<Env, "AI">,
  options: { provider?: ProviderName; model?: string; tier?: string },
): PlannedAttempt[] {
  let plan = providerStatuses(config, env).map((status) => ({
    provider: status.name,
    model: (options.tier && config.tiers[options.tier]?.[status.name]) || status.model,
    configured: status.configured,
    reason: status.reason,
    local: status.local,
  }));
  if (options.provider) {
    plan = plan.filter((attempt) => attempt.provider === options.provider);
    if (!plan.some((attempt) => attempt.configured)) {
      throw badRequest(`provider: ${options.provider} is not available here`, {
        available: providerStatuses(config, env)
          .filter((s) => s.configured)
          .map((s) => s.name),
      });
    }
  }
  if (options.model) {
    const model = options.model;
    plan = plan
      .filter((attempt) => allowedModels(config, attempt.provider).includes(model))
      .map((attempt) => ({ ...attempt, model }));
    if (!plan.some((attempt) => attempt.configured)) {
      throw badRequest(`model: ${model} is not one this service offers`);
    }
  }
  return plan.map((attempt) => ({ ...attempt, price: priceOf(config, attempt.provider, attempt.model) }));
}
