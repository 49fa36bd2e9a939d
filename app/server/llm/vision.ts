// Which models can see images, and what a model that cannot is sent instead of an image part.
import type { ChatMessage, ContentPart } from "./types";

/**
 * Models known to take image parts in OpenAI's message format: OpenAI's GPT-4o/4.1/5 and o-series
 * families, Groq's Llama 4 and vision models, Workers AI's Llama 3.2 Vision, Llama 4 Scout, Gemma 3
 * and Mistral Small 3.1. A model not named here is sent the image's name instead (never a part it
 * would refuse, which would fail the whole ask rather than fall back).
 */
const VISION_MODEL =
  /(^|[/-])(gpt-4o|gpt-4\.1|gpt-5|o[134](-|$)|llama-4|llama-3\.2-\d+b-vision|gemma-3|mistral-small-3\.1|llava|vision)/i;

export function canSeeImages(model: string): boolean {
  return VISION_MODEL.test(model);
}

function withoutImage(part: ContentPart): ContentPart {
  if (part.type !== "image_url") return part;
  return {
    type: "text",
    text: "(An image was attached here; this model cannot see images, so only its name is shared.)",
  };
}

/** The conversation as a model that cannot see images is sent it: every image part as words. */
export function forModel(messages: ChatMessage[], vision: boolean): ChatMessage[] {
  if (vision || messages.every((message) => typeof message.content === "string")) return messages;
  return messages.map((message) =>
    typeof message.content === "string"
      ? message
      : {
          ...message,
          content: message.content
            .map(withoutImage)
            .map((part) => (part.type === "text" ? part.text : ""))
            .join("\n\n"),
        },
  );
}
