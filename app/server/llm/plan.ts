// Which provider/model pairs a request may use, in order: PREFERRED_PROVIDER, narrowed by the
// request's provider/model overrides, with the intelligence tier's models swapped in — each with
// its price (MODEL_PRICES, else CREDIT_PER_1K). A provider that cannot take what the request
// carries (tools, images) is skipped, saying why.
import type { Price } from "../billing/money";
import { type Config, type ProviderName, priceOf } from "../config";
import { ApiError, badRequest } from "../http/errors";
import { entryFor, providerStatuses } from "./registry";
import type { Capabilities, ChatMessage } from "./types";

export interface PlannedAttempt {
  provider: ProviderName;
  model: string;
  configured: boolean;
  reason?: string;
  local: boolean;
  /** Micro-credits per 1K input and output tokens for this provider and model. */
  price: Price;
}

/** What a request needs a provider to take, and the request parameter that needs it. */
export type Need = { capability: keyof Capabilities; param: string };

/** The capabilities a request needs beyond text: tools (or a tool turn), image parts. */
export function needsOf(input: { messages: ChatMessage[]; tools?: unknown }): Need[] {
  const needs: Need[] = [];
  if (Array.isArray(input.tools) && input.tools.length > 0) needs.push({ capability: "tools", param: "tools" });
  else {
    const turn = input.messages.findIndex((message) => message.role === "tool" || message.toolCalls?.length);
    if (turn >= 0) needs.push({ capability: "tools", param: `messages[${turn}]` });
  }
  const image = input.messages.findIndex(
    (message) => Array.isArray(message.content) && message.content.some((part) => part.type === "image_url"),
  );
  if (image >= 0) needs.push({ capability: "images", param: `messages[${image}].content` });
  return needs;
}

/** The models an operator has allowed for `provider`: its default, its PROVIDERS list, every tier's choice. */
export function allowedModels(config: Config, provider: ProviderName): string[] {
  const models = new Set([config.models[provider] ?? "", ...(config.providers[provider]?.models ?? [])]);
  for (const tier of Object.values(config.tiers)) {
    const model = tier[provider];
    if (model) models.add(model);
  }
  models.delete("");
  return [...models];
}

export function planAttempts(
  config: Config,
  env: Pick<Env, "AI">,
  options: { provider?: ProviderName; model?: string; tier?: string; needs?: Need[] },
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
  const priced = plan.map((attempt) => ({ ...attempt, price: priceOf(config, attempt.provider, attempt.model) }));
  return skipIncapable(config, priced, options.needs ?? []);
}

/** Marks the providers that cannot take what the request needs; none left able is a 400. */
function skipIncapable(config: Config, plan: PlannedAttempt[], needs: Need[]): PlannedAttempt[] {
  if (needs.length === 0) return plan;
  const lacks = (attempt: PlannedAttempt) =>
    needs.find((need) => !entryFor(config, attempt.provider).capabilities[need.capability]);
  const skipped = plan.map((attempt) => {
    const missing = attempt.configured ? lacks(attempt) : undefined;
    return missing
      ? { ...attempt, configured: false, reason: `${attempt.provider} cannot take ${missing.capability}` }
      : attempt;
  });
  if (plan.some((attempt) => attempt.configured) && !skipped.some((attempt) => attempt.configured)) {
    const need = plan.map((attempt) => (attempt.configured ? lacks(attempt) : undefined)).find(Boolean);
    const reasons = skipped.map((attempt) => `${attempt.provider}: ${attempt.reason}`).join("; ");
    throw new ApiError(
      400,
      "unsupported_by_providers",
      `${need?.param}: no provider here can take ${need?.capability} (${reasons}).`,
      { param: need?.param, providers: skipped.map(({ provider, reason }) => ({ provider, reason })) },
    );
  }
  return skipped;
}
