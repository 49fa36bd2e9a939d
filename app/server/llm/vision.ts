// Whether the model an ask will go to can see images: attached images are sent as image parts
// only then (else by name). A provider's capabilities (registry.ts) say whether it takes image
// parts at all; the model's name says whether that model looks at them.
import type { Config, ProviderName } from "../config";
import { planAttempts } from "./plan";
import { entryFor } from "./registry";

/**
 * Models known to take image parts in OpenAI's message format: OpenAI's GPT-4o/4.1/5 and o-series
 * families, Llama 4, Llama 3.2 Vision, Gemma 3, Mistral Small 3.1, LLaVA. A model not named here
 * is sent an attached image's name instead — never a part it would refuse (a 400 is not retried).
 */
const VISION_MODEL =
  /(^|[/-])(gpt-4o|gpt-4\.1|gpt-5|o[134](-|$)|llama-4|llama-3\.2-\d+b-vision|gemma-3|mistral-small-3\.1|llava|vision)/i;

export function canSeeImages(model: string): boolean {
  return VISION_MODEL.test(model);
}

/** Can the first provider and model this ask would go to see images? */
export function askSeesImages(
  config: Config,
  env: Pick<Env, "AI">,
  options: { provider?: ProviderName; model?: string; tier?: string },
): boolean {
  const first = planAttempts(config, env, options).find((attempt) => attempt.configured);
  return Boolean(first && entryFor(config, first.provider).capabilities.images && canSeeImages(first.model));
}
