// POST /api/tts as HTTP: caller, body and idempotency key in; the audio streamed out with the
// billing headers. The order is the ask's: validate, hold, call providers, bill — the settle (or
// release) follows the response.
import { requireCaller } from "../auth/identity";
import type { RequestScope } from "../context";
import { ApiError } from "../http/errors";
import { idempotencyKey } from "../http/idempotency";
import { readJson } from "../http/json";
import { trackAnswer } from "../in-flight";
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

const clientClosed = () => new ApiError(499, "client_closed", "The client went away.");

export function serveSpeech(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  return trackAnswer(readAloud(request, url, scope));
}

async function readAloud(request: Request, url: URL, scope: RequestScope): Promise<Response> {
  const { config, env } = scope;
  const caller = await requireCaller(request, url, scope);
  scope.timing?.mark("auth");
  const body = await readJson(request, speechSchema, { limit: speechBodyLimit(config) });
  const input = speechInput(body, config);
  scope.timing?.mark("body");
  const chain = speechChain(config, env, input.request.format);
  const first = chain.find((link) => link.configured);
  if (!first) {
    throw new ApiError(503, "tts_unavailable", "No text-to-speech provider is configured for this format.", {
      providers: chain.map(({ name, reason }) => ({ provider: name, outcome: "skipped", reason })),
    });
  }
  const call = { scope, caller, input, idempotencyKey: idempotencyKey(request) };
  const hold = await holdForSpeech(call, first);
  const speakNow = () => speak(config, env, chain, input.request, request.signal);

  if ("replay" in hold) {
    // Charged once already: the audio is produced again (it is not kept) and nothing is held.
    const spoken = await speakNow().catch((error: unknown) => {
      throw error instanceof ClientGone ? clientClosed() : error;
    });
    const replay: SpeechBill = { ...hold.replay, provider: spoken.provider, model: spoken.speech.model };
    return audioResponse(spoken, input.request.format, {
      ...speechBillHeaders(replay),
      "Idempotent-Replayed": "true",
    });
  }

  const { held } = hold;
  let spoken: Spoken;
  try {
    spoken = await speakNow();
  } catch (error) {
    if (error instanceof ClientGone) {
      // The text went upstream before the client left: it is charged, as an ask's prompt is.
      settleSpeech(held, { provider: first.name, model: first.model }, "client_closed");
      throw clientClosed();
    }
    releaseSpeech(held);
    throw error;
  }
  scope.timing?.mark("upstream");
  // Audio is flowing: the provider bills the whole text, so the reading is charged.
  const bill = settleSpeech(held, { provider: spoken.provider, model: spoken.speech.model }, "complete");
  return audioResponse(spoken, input.request.format, speechBillHeaders(bill));
}
