// POST /api/tts as HTTP: identity, body and idempotency key in; the audio streamed out with the
// billing headers. The order is the ask's: validate, hold, call providers, settle (or release).
import { requireIdentity } from "../auth/identity";
import { refOf } from "../billing/ledger-client";
import type { RequestScope } from "../context";
import { ApiError } from "../http/errors";
import { idempotencyKey } from "../http/idempotency";
import { readJson } from "../http/json";
import { ClientGone } from "../llm/types";
import { holdForSpeech, releaseSpeech, type SpeechBill, settleSpeech, speechBillHeaders } from "./billing";
import { type Spoken, speak, speechChain } from "./chain";
import { speechBodyLimit, speechInput, speechSchema } from "./request";
import { AUDIO_TYPES, type AudioFormat } from "./types";

function audioResponse(spoken: Spoken, format: AudioFormat, headers: Record<string, string>): Response {
  return new Response(spoken.speech.body, {
    headers: {
      "Content-Type": AUDIO_TYPES[format],
      "Content-Disposition": `inline; filename="speech.${format}"`,
      ...headers,
    },
  });
}

export async function serveSpeech(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  const { config, env } = scope;
  const identity = await requireIdentity(request, url, scope);
  const body = await readJson(request, speechSchema, { limit: speechBodyLimit(config) });
  const input = speechInput(body, config);
  const chain = speechChain(config, env, input.request.format);
  if (!chain.some((link) => link.configured)) {
    throw new ApiError(503, "tts_unavailable", "No text-to-speech provider is configured for this format.", {
      providers: chain.map(({ name, reason }) => ({ provider: name, outcome: "skipped", reason })),
    });
  }
  const who = { scope, account: refOf(identity), idempotencyKey: idempotencyKey(request) };
  const hold = await holdForSpeech(who, input);
  const call = () =>
    speak(config, env, chain, input.request, request.signal).catch((error: unknown) => {
      if (error instanceof ClientGone) throw new ApiError(499, "client_closed", "The client went away.");
      throw error;
    });

  if ("replay" in hold) {
    // Charged once already: the audio is produced again (it is not kept) and nothing is held.
    const spoken = await call();
    const replay: SpeechBill = { ...hold.replay, provider: spoken.provider, model: spoken.speech.model };
    return audioResponse(spoken, input.request.format, {
      ...speechBillHeaders(replay),
      "Idempotent-Replayed": "true",
    });
  }

  let spoken: Spoken;
  try {
    spoken = await call();
  } catch (error) {
    await releaseSpeech(hold.held);
    throw error;
  }
  // Audio is flowing: the provider bills the whole text, so the reading is charged now.
  const bill = await settleSpeech(who, hold.held, {
    provider: spoken.provider,
    model: spoken.speech.model,
    characters: input.characters,
  }).catch(async (error: unknown) => {
    await spoken.speech.body.cancel().catch(() => undefined);
    throw error;
  });
  return audioResponse(spoken, input.request.format, speechBillHeaders(bill));
}
