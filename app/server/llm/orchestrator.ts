// Walks the plan in order. A retryable failure falls back to the next provider at once; when
// the list is exhausted, the providers that failed retryably get one more try each, after their
// Retry-After (or a short backoff) if that still fits in the overall deadline. A request the
// provider rejects as malformed is not retried anywhere. Streams fall back only before the
// first token.
import type { Config, ProviderName } from "../config";
import { ApiError } from "../http/errors";
import type { PlannedAttempt } from "./plan";
import { entryFor, type ProviderEnv } from "./registry";
import { type ChatRequest, ClientGone, type Completion, type Provider, ProviderError, type StreamEvent } from "./types";

export interface AttemptReport {
  provider: ProviderName;
  model: string;
  outcome: "ok" | "skipped" | "failed";
  reason?: string;
  status?: number;
  ms?: number;
}

/** Which provider answered, with which model, and every attempt it took to get there. */
export interface Route {
  provider: ProviderName;
  model: string;
  /** True when the local development model answered. */
  local: boolean;
  attempts: AttemptReport[];
}

/** What a provider produced (a completion, or an opened stream), and the route it came by. */
export interface Routed<T> {
  route: Route;
  value: T;
}

const BACKOFF_MS = 250;

interface RunOptions {
  config: Config;
  env: ProviderEnv;
  plan: PlannedAttempt[];
  request: Omit<ChatRequest, "model" | "maxTokens">;
  /** The output cap for an attempt: what the hold pays for at that provider's price. */
  maxTokens: (attempt: PlannedAttempt) => number;
  /** Aborts everything when the client leaves. */
  signal: AbortSignal;
}

/** Runs `call` against each planned provider until one succeeds. */
async function walk<T>(
  options: RunOptions,
  call: (provider: Provider, request: ChatRequest, signal: AbortSignal) => Promise<T>,
) {
  const { config, env, plan } = options;
  const deadline = Date.now() + config.llm.deadlineMs;
  const attempts: AttemptReport[] = [];
  const retry: Array<{ attempt: PlannedAttempt; waitMs: number; said: boolean }> = [];

  const tryOne = async (attempt: PlannedAttempt): Promise<Routed<T> | ProviderError> => {
    const started = Date.now();
    const budget = Math.min(config.llm.attemptTimeoutMs, deadline - started);
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(Math.max(1, budget))]);
    try {
      const value = await call(
        entryFor(config, attempt.provider).create(config, env),
        { ...options.request, model: attempt.model, maxTokens: options.maxTokens(attempt) },
        signal,
      );
      attempts.push({ provider: attempt.provider, model: attempt.model, outcome: "ok", ms: Date.now() - started });
      return { route: { provider: attempt.provider, model: attempt.model, local: attempt.local, attempts }, value };
    } catch (thrown) {
      if (options.signal.aborted || thrown instanceof ClientGone) throw new ClientGone();
      const error =
        thrown instanceof ProviderError
          ? thrown
          : new ProviderError("retryable", `${attempt.provider} failed unexpectedly`);
      attempts.push({
        provider: attempt.provider,
        model: attempt.model,
        outcome: "failed",
        reason: error.message,
        status: error.status,
        ms: Date.now() - started,
      });
      if (error.kind === "request") {
        const status = error.status === 413 || error.status === 422 ? error.status : 400;
        throw new ApiError(status, "upstream_rejected_request", error.message, { provider: attempt.provider });
      }
      return error;
    }
  };

  for (const attempt of plan) {
    if (!attempt.configured) {
      attempts.push({ provider: attempt.provider, model: attempt.model, outcome: "skipped", reason: attempt.reason });
      continue;
    }
    if (Date.now() >= deadline) break;
    const result = await tryOne(attempt);
    if (!(result instanceof ProviderError)) return result;
    if (result.kind === "retryable") {
      retry.push({ attempt, waitMs: result.retryAfterMs ?? BACKOFF_MS, said: result.retryAfterMs !== undefined });
    }
  }

  for (const { attempt, waitMs } of retry) {
    // Only worth waiting when the retry can still finish inside the deadline.
    if (Date.now() + waitMs + Math.min(config.llm.attemptTimeoutMs, 1000) > deadline) continue;
    await sleep(waitMs, options.signal);
    const result = await tryOne(attempt);
    if (!(result instanceof ProviderError)) return result;
  }

  throw noProvider(attempts, retry);
}

/**
 * Nothing answered. When a provider said when to come back (Retry-After), the soonest of those
 * is passed on as `retry_after` (seconds) and a Retry-After header, for the client's countdown.
 */
function noProvider(attempts: AttemptReport[], retry: Array<{ waitMs: number; said: boolean }>): ApiError {
  const said = retry.filter((entry) => entry.said).map((entry) => entry.waitMs);
  const seconds = said.length ? Math.max(1, Math.ceil(Math.min(...said) / 1000)) : undefined;
  return new ApiError(
    503,
    "no_provider_available",
    "No language model provider could answer; try again shortly.",
    { providers: attempts, ...(seconds === undefined ? {} : { retry_after: seconds }) },
    seconds === undefined ? {} : { "Retry-After": String(seconds) },
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new ClientGone());
      },
      { once: true },
    );
  });
}

export function complete(options: RunOptions): Promise<Routed<Completion>> {
  return walk(options, (provider, request, signal) => provider.complete(request, signal));
}

export interface OpenedStream {
  /** Events already read while waiting for the first token. */
  head: StreamEvent[];
  rest: AsyncIterator<StreamEvent>;
  /** Aborts the upstream call (the client left, or we gave up). */
  abort(reason?: unknown): void;
}

/**
 * Opens a stream on the first provider that produces a token (or finishes) within its attempt
 * budget; after that the stream is committed to that provider.
 */
export function openStream(options: RunOptions): Promise<Routed<OpenedStream>> {
  return walk(options, async (provider, request, attemptSignal) => {
    // The committed stream must outlive the attempt timeout, so it gets its own controller.
    const controller = new AbortController();
    const onAbort = () => controller.abort(attemptSignal.reason);
    attemptSignal.addEventListener("abort", onAbort, { once: true });
    const iterator = provider.stream(request, controller.signal)[Symbol.asyncIterator]();
    const head: StreamEvent[] = [];
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        head.push(next.value);
        if (next.value.type !== "usage") break; // a token, a tool call's first piece, or the end
      }
    } catch (thrown) {
      controller.abort();
      throw thrown;
    } finally {
      attemptSignal.removeEventListener("abort", onAbort);
    }
    options.signal.addEventListener("abort", () => controller.abort(new ClientGone()), { once: true });
    return { head, rest: iterator, abort: (reason) => controller.abort(reason) };
  });
}
