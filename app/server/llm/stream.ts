// The streaming answer: `meta`, then `token` events as the provider sends them, then `done`
// with the bill — or `error` (also with the bill) when the provider stream breaks. A client that
// disconnects aborts the upstream call; what was delivered is billed either way. The bytes are a
// `StreamWire`'s: /api/si/ask's events by default, OpenAI's chunks for /v1 (v1/chunks.ts).

import { askEvent, billOf } from "~/shared/ask-events";
import { errorDetail, log } from "../log";
import { type AskContext, type AskOutcome, holdForAsk, openAskStream, settleAsk } from "./ask";
import type { OpenedStream, Route } from "./orchestrator";
import { mergeToolCalls } from "./tool-calls";
import { ClientGone, type StreamEvent, type TokenUsage, type ToolCall } from "./types";

const encoder = new TextEncoder();

const STREAM_HEADERS = { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store" };

/** How a streamed answer is written: the same relay and billing, another format on the wire. */
export interface StreamWire {
  /** The first bytes, once a provider has produced its first token. */
  opened(route: Route, requestId: string): string;
  /** A provider event as bytes ('' to send nothing). */
  event(event: StreamEvent): string;
  /** The end of a whole answer, with its bill. */
  finished(outcome: AskOutcome): string;
  /** The end of an answer cut short, with what it was billed. */
  failed(outcome: AskOutcome, message: string): string;
  /** A replayed Idempotency-Key: the stored answer in one go. */
  replayed(outcome: AskOutcome): string;
}

/** /api/si/ask's events (app/shared/ask-events.ts). */
export const ASK_EVENTS: StreamWire = {
  opened: (route, requestId) =>
    askEvent("meta", {
      provider: route.provider,
      model: route.model,
      local_upstream: route.local,
      request_id: requestId,
    }),
  event: (event) => (event.type === "delta" ? askEvent("token", { text: event.text }) : ""),
  finished: (outcome) => askEvent("done", { ...billOf(outcome), finish_reason: outcome.finish_reason }),
  failed: (outcome, message) =>
    askEvent("error", {
      code: "upstream_interrupted",
      message: `The answer was cut short: ${message}`,
      ...billOf(outcome),
    }),
  replayed: (outcome) =>
    [
      askEvent("meta", {
        provider: outcome.provider,
        model: outcome.model,
        request_id: outcome.request_id,
        replayed: true,
      }),
      askEvent("token", { text: outcome.text }),
      askEvent("done", { ...billOf(outcome), finish_reason: outcome.finish_reason }),
    ].join(""),
};

export async function askStream(ask: AskContext, wire: StreamWire = ASK_EVENTS): Promise<Response> {
  const held = await holdForAsk(ask);
  if ("replay" in held) return replayed(held.replay, wire);
  const { route, value: stream } = await openAskStream(held);

  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  let clientGone = false;
  const send = async (chunk: string) => {
    if (clientGone) return;
    try {
      await writer.write(encoder.encode(chunk));
    } catch {
      clientGone = true;
      stream.abort(new ClientGone());
    }
  };
  ask.signal.addEventListener("abort", () => {
    clientGone = true;
  });

  const relay = async () => {
    let text = "";
    let toolCalls: ToolCall[] = [];
    let usage: TokenUsage | null = null;
    let finishReason: string | null = null;
    let failure: string | null = null;
    const take = async (event: StreamEvent) => {
      if (event.type === "delta") text += event.text;
      else if (event.type === "tool_calls") toolCalls = mergeToolCalls(toolCalls, event.deltas);
      else if (event.type === "usage") usage = event.usage;
      else finishReason = event.reason;
      const bytes = wire.event(event);
      if (bytes) await send(bytes);
    };
    await send(wire.opened(route, ask.scope.requestId));
    try {
      for (const event of stream.head) await take(event);
      while (!clientGone) {
        const next = await nextWithin(stream, ask.scope.config.llm.attemptTimeoutMs);
        if (next.done) break;
        await take(next.value);
      }
    } catch (thrown) {
      if (!clientGone) failure = thrown instanceof Error ? thrown.message : "the provider stream failed";
    }
    if (clientGone) stream.abort(new ClientGone());
    const outcome = await settleAsk(held, {
      route,
      completion: { text, model: route.model, usage, finishReason, ...(toolCalls.length ? { toolCalls } : {}) },
      complete: !failure && !clientGone,
    });
    await send(failure ? wire.failed(outcome, failure) : wire.finished(outcome));
    if (!clientGone) await writer.close().catch(() => undefined);
  };
  ask.scope.ctx.waitUntil(relay().catch((error: unknown) => logRelayFailure(ask, error)));

  return new Response(readable, {
    headers: { ...STREAM_HEADERS, "X-Provider": route.provider, "X-Model": route.model },
  });
}

/** The next stream event, or a failure when the provider goes quiet for `idleMs`. */
async function nextWithin(stream: OpenedStream, idleMs: number): Promise<IteratorResult<StreamEvent>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stream.abort(new Error("idle"));
      reject(new Error(`the provider sent nothing for ${idleMs} ms`));
    }, idleMs);
  });
  try {
    return await Promise.race([stream.rest.next(), idle]);
  } finally {
    clearTimeout(timer);
  }
}

/** A replayed Idempotency-Key: the stored answer in one go. */
function replayed(outcome: AskOutcome, wire: StreamWire): Response {
  return new Response(wire.replayed(outcome), {
    headers: { ...STREAM_HEADERS, "X-Provider": outcome.provider, "X-Model": outcome.model },
  });
}

function logRelayFailure(ask: AskContext, error: unknown) {
  log("error", ask.scope.requestId, "stream relay failed", { error: errorDetail(error) });
}
