// GET /v1/models and /v1/models/{id}: OpenAI's model objects for the catalog (model-names.ts),
// each with what it costs in credits per 1,000 tokens.
import { creditsFromMicro } from "../../billing/money";
import type { Config, ProviderName } from "../../config";
import { planAttempts } from "../plan";
import { type CatalogEntry, catalog, describeModel } from "./model-names";

export interface ModelObject {
  id: string;
  object: "model";
  /** OpenAI's creation time; the gateway has none to give. */
  created: 0;
  owned_by: string;
  /** Credits per 1,000 tokens: the most any provider in its plan charges. */
  pricing: { input: number; output: number; unit: "credits per 1K tokens" };
}

/**
 * A provider/model pair's price in micro-credits per 1,000 tokens. SEAM: per-model prices
 * (MODEL_PRICES) are being added to the core; until its price function lands, every model costs
 * CREDIT_PER_1K, in and out. Replace the body with the core's lookup, nothing else.
 */
export function priceOf(config: Config, _provider: ProviderName, _model: string): { in: number; out: number } {
  return { in: config.microPer1k, out: config.microPer1k };
}

function modelObject(config: Config, env: Pick<Env, "AI">, entry: CatalogEntry): ModelObject {
  const prices = planAttempts(config, env, entry.selection)
    .filter((attempt) => attempt.configured)
    .map((attempt) => priceOf(config, attempt.provider, attempt.model));
  const most = (side: "in" | "out") => Math.max(0, ...prices.map((price) => price[side]));
  return {
    id: entry.id,
    object: "model",
    created: 0,
    owned_by: entry.owned_by,
    pricing: {
      input: creditsFromMicro(most("in")),
      output: creditsFromMicro(most("out")),
      unit: "credits per 1K tokens",
    },
  };
}

export function listModels(config: Config, env: Pick<Env, "AI">) {
  return { object: "list" as const, data: catalog(config, env).map((entry) => modelObject(config, env, entry)) };
}

export function retrieveModel(config: Config, env: Pick<Env, "AI">, id: string): ModelObject {
  return modelObject(config, env, describeModel(config, env, id));
}
