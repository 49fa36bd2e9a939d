// The streaming answer, in any wire format (StreamFormat: /api/si/ask's events here, OpenAI's
// chunks for /v1). The hold is the same as a JSON ask's; while tokens flow, the ledger hears how
// much was delivered at least every second, so a hold whose settle never comes (a crash) is
// charged for what the client got. A client that disconnects
// aborts the upstream call; what was delivered is billed either way, after the response.

import { track, trackAnswer } from "../in-flight";
import { errorDetail, log } from "../log";
import { type AskContext, type AskOutcome, type HeldAsk, holdAndOpenStream } from "./ask";
import type { OpenedStream, Route } from "./orchestrator";
import { billAnswer, settleLater } from "./settle";
import { deliveredTokens } from "./tokens";
import { mergeToolCalls } from "./tool-calls";
import { ClientGone, type StreamEvent, type TokenUsage, type ToolCall, type ToolCallDelta } from "./types";

/** How an answer's stream looks on the wire. */
export interface StreamFormat {
  contentType: string;
  /** Response headers for an answer by `route` (e.g. X-Provider). */
  headers(route: { provider: string; model: string }): Record<string, string>;
  /** Written once the provider has produced its first event. */
  opening(route: Route, requestId: string): string;
  token(text: string): string;
  /** A provider's tool-call deltas, as it sent them (formats without tools write nothing). */
  toolCalls?(deltas: ToolCallDelta[]): string;
  done(outcome: AskOutcome): string;
  /** The provider stream broke after tokens were sent; the answer is billed for what was delivered. */
  cutShort(outcome: AskOutcome, message: string): string;
  /** A replayed Idempotency-Key: the stored answer as a whole stream. */
  replay(outcome: AskOutcome): string;
}

const encoder = new TextEncoder();
/** Progress reports are sent at most this often while tokens flow. */
export const PROGRESS_EVERY_MS = 1_000;

/**
 * Tells the ledger what a stream has delivered, at most every PROGRESS_EVERY_MS while tokens flow,
 * starting PROGRESS_EVERY_MS after the stream opened: what the ledger knows is never more than a
 * second behind, and a short answer — whose settle follows at once — costs no extra write.
 */
function progressReporter(held: HeldAsk, route: Route) {
  const price = held.plan.find((a) => a.provider === route.provider && a.model === route.model)?.price;
  let sentAt = Date.now();
  let inFlight = false;
  return (delivered: number) => {
    const now = Date.now();
    if (inFlight || now - sentAt < PROGRESS_EVERY_MS) return;
    sentAt = now;
    inFlight = true;
    const report = {
      provider: route.provider,
      model: route.model,
      priceIn: price?.in ?? 0,
      priceOut: price?.out ?? 0,
      delivered,
    };
    const sent = track(held.ledger.progress(held.holdId, report))
      .catch((error: unknown) =>
        log("error", held.ask.scope.requestId, "progress failed", { error: errorDetail(error) }),
      )
      .finally(() => {
        inFlight = false;
      });
    held.ask.scope.ctx.waitUntil(sent);
  };
}

export async function askStream(ask: AskContext, format: StreamFormat): Promise<Response> {
  const opened = await holdAndOpenStream(ask);
  if ("replay" in opened) {
    return new Response(format.replay(opened.replay), {
      headers: { "Content-Type": format.contentType, "Cache-Control": "no-store", ...format.headers(opened.replay) },
    });
  }
  const { held } = opened;
  const { route, value: stream } = opened.opened;
  ask.scope.timing?.mark("upstream");

  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  let clientGone = false;
  const send = async (chunk: string) => {
    if (clientGone || !chunk) return;
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
  const report = progressReporter(held, route);

  const relay = async () => {
    let text = "";
    let toolCalls: ToolCall[] = [];
    let chunks = 0;
    let usage: TokenUsage | null = null;
    let finishReason: string | null = null;
    let failure: string | null = null;
    /** An event's bytes for the wire ("" for events the client does not see). */
    const take = (event: StreamEvent): string => {
      if (event.type === "delta") {
        text += event.text;
        chunks += 1;
        return format.token(event.text);
      }
      if (event.type === "tool_calls") {
        toolCalls = mergeToolCalls(toolCalls, event.deltas);
        chunks += 1;
        return format.toolCalls?.(event.deltas) ?? "";
      }
      if (event.type === "usage") usage = event.usage;
      else finishReason = event.reason;
      return "";
    };
    // The opening and the events already read go out as one write: separate small writes can
    // wait on each other's acknowledgement (Nagle's algorithm) before the first token shows.
    await send(format.opening(route, ask.scope.requestId) + stream.head.map(take).join(""));
    if (chunks) report(deliveredTokens(text, chunks));
    try {
      while (!clientGone) {
        const next = await nextWithin(stream, ask.scope.config.llm.attemptTimeoutMs);
        if (next.done) break;
        const before = chunks;
        await send(take(next.value));
        if (chunks > before) report(deliveredTokens(text, chunks));
      }
    } catch (thrown) {
      if (!clientGone) failure = thrown instanceof Error ? thrown.message : "the provider stream failed";
    }
    if (clientGone) stream.abort(new ClientGone());
    const bill = billAnswer(held, {
      route,
      completion: { text, model: route.model, usage, finishReason, ...(toolCalls.length ? { toolCalls } : {}) },
      complete: !failure && !clientGone,
      chunks,
      clientGone,
    });
    settleLater(held, bill);
    if (failure) await send(format.cutShort(bill.outcome, `The answer was cut short: ${failure}`));
    else await send(format.done(bill.outcome));
    if (!clientGone) await writer.close().catch(() => undefined);
  };
  ask.scope.ctx.waitUntil(trackAnswer(relay().catch((error: unknown) => logRelayFailure(ask, error))));

  return new Response(readable, {
    headers: { "Content-Type": format.contentType, "Cache-Control": "no-store", ...format.headers(route) },
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

function logRelayFailure(ask: AskContext, error: unknown) {
  log("error", ask.scope.requestId, "stream relay failed", { error: errorDetail(error) });
}
