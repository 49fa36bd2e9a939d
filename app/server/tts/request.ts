// What a caller may ask to hear: validated at the edge, limited, and turned into speakable text.
import { z } from "zod";
import type { Config } from "../config";
import { ApiError, badRequest } from "../http/errors";
import { characterCount, speakableText } from "./speakable";
import { AUDIO_FORMATS, type SpeechRequest } from "./types";

export const speechSchema = z
  .object({
    text: z.string({ error: "must be a string" }),
    voice: z.string({ error: "must be a voice id" }).trim().min(1).max(64).optional(),
    format: z.enum(AUDIO_FORMATS).default("mp3"),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, "must be a two-letter language code such as en")
      .default("en"),
  })
  .strict();

export type SpeechBody = z.output<typeof speechSchema>;

/** Room for the longest allowed text in JSON, even if every character is a `\uXXXX` escape pair. */
export function speechBodyLimit(config: Config): number {
  return config.tts.maxChars * 12 + 4096;
}

export interface SpeechInput {
  request: SpeechRequest;
  /** What is billed: the characters actually sent to the provider. */
  characters: number;
}

/** Applies the limits and the voice allow-list, and strips the markdown. */
export function speechInput(body: SpeechBody, config: Config): SpeechInput {
  const { maxChars, cartesia } = config.tts;
  const length = characterCount(body.text);
  if (!body.text.trim()) throw badRequest("text: there is nothing to read aloud");
  if (length > maxChars) {
    throw new ApiError(
      413,
      "text_too_long",
      `The text is ${length} characters; at most ${maxChars} can be read aloud.`,
      {
        limit: maxChars,
        characters: length,
      },
    );
  }
  const voice = body.voice ?? cartesia.voice;
  if (voice !== cartesia.voice && !cartesia.voices.includes(voice)) {
    throw new ApiError(400, "voice_not_allowed", "That voice is not offered here.", {
      voices: [cartesia.voice, ...cartesia.voices],
    });
  }
  const text = speakableText(body.text);
  if (!text) {
    throw new ApiError(400, "nothing_to_speak", "Once code and markup are set aside, there are no words to read.");
  }
  return { request: { text, voice, format: body.format, language: body.language }, characters: characterCount(text) };
}
