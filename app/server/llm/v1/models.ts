// GET /v1/models and /v1/models/{id}: OpenAI's model objects for the catalog (model-names.ts),
// each with what it costs in credits per 1,000 tokens.
import { creditsFromMicro } from "../../billing/money";
import type { Config } from "../../config";
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

function modelObject(config: Config, env: Pick<Env, "AI">, entry: CatalogEntry): ModelObject {
  const prices = planAttempts(config, env, entry.selection)
    .filter((attempt) => attempt.configured)
    .map((attempt) => attempt.price);
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
