// A graceful stop (issue 18). `npm start` runs the Worker under `wrangler dev`, which owns the
// port, so the stop is asked of the Worker itself: POST /__drain (with the DRAIN_SECRET that
// `npm start` generated) sets a module-level flag — from then on every new request is refused
// with 503 `shutting_down` — and answers once the work in flight (asks, their streams, settles
// and progress reports: in-flight.ts) has finished, or when LLM_DEADLINE_MS has passed. Then
// `npm start` stops the runtime. Deployed, DRAIN_SECRET is unset and the path is an ordinary 404:
// Cloudflare drains its own isolates.
import { loadConfig } from "./config";
import { applyCors } from "./http/cors";
import { ApiError, envelopeResponse } from "./http/errors";
import { requestIdFor } from "./http/pipeline";
import { inFlight } from "./in-flight";

/** True once a graceful stop has begun; the one check every request pays (workers/app.ts). */
export let draining = false;

/** How often the drain looks at the in-flight count (a timer keeps the drain request alive). */
const POLL_MS = 25;

export interface DrainReport {
  drained: boolean;
  /** Work still in flight when the drain answered (0 when drained). */
  in_flight: number;
  /** Work in flight when the drain began. */
  in_flight_at_start: number;
  waited_ms: number;
}

/** Refuses new requests from now on and waits up to `waitMs` for the work in flight to finish. */
export async function drain(waitMs: number): Promise<DrainReport> {
  draining = true;
  const started = Date.now();
  const atStart = inFlight();
  while (inFlight() > 0 && Date.now() - started < waitMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const left = inFlight();
  return { drained: left === 0, in_flight: left, in_flight_at_start: atStart, waited_ms: Date.now() - started };
}

/** For tests only: a drained isolate is normally stopped, never resumed. */
export function resumeAfterDrain(): void {
  draining = false;
}

/**
 * A request that arrived during the stop: 503 in the error envelope, with `Retry-After`. (No
 * `Connection: close`: workerd owns the connections and drops that header — checked with curl —
 * and closes them all when the runtime stops a moment later.) Its body is read first (and
 * dropped): `wrangler dev`'s proxy loses the connection when a Worker answers without reading it.
 */
export async function refuseWhileDraining(request: Request, env: Env): Promise<Response> {
  if (request.body) {
    try {
      const reader = request.body.getReader();
      while (!(await reader.read()).done) {}
    } catch {
      // Already gone: nothing left to read.
    }
  }
  const requestId = requestIdFor(request);
  const response = envelopeResponse(
    new ApiError(503, "shutting_down", "The server is stopping; retry in a moment.", {}, { "Retry-After": "5" }),
    requestId,
  );
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("X-Request-Id", requestId);
  applyCors(request, response.headers, loadConfig(env).allowedOrigins);
  return response;
}
