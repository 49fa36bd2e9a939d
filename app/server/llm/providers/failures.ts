// Turning what a provider answered (or failed to answer) into a ProviderError.
import { ClientGone, ProviderError } from "../types";

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function failureFromStatus(
  provider: string,
  status: number,
  detail: string,
  retryAfter?: number,
): ProviderError {
  const said = detail ? `: ${detail}` : "";
  if (status === 408 || status === 409 || status === 429 || status >= 500) {
    return new ProviderError("retryable", `${provider} answered ${status}${said}`, status, retryAfter);
  }
  if (status === 400 || status === 413 || status === 422) {
    return new ProviderError("request", `${provider} rejected the request${said}`, status);
  }
  if (status === 401 || status === 403) {
    return new ProviderError("unavailable", `${provider} rejected our credentials (${status})`, status);
  }
  return new ProviderError("unavailable", `${provider} answered ${status}${said}`, status);
}

/** A thrown fetch/stream error: the client leaving, a timeout, or a broken connection. */
export function failureFromThrown(provider: string, thrown: unknown, signal: AbortSignal): Error {
  if (thrown instanceof ProviderError || thrown instanceof ClientGone) return thrown;
  if (signal.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    if (reason?.name === "TimeoutError") return new ProviderError("retryable", `${provider} timed out`);
    return new ClientGone();
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ProviderError("retryable", `${provider} connection failed (${message.slice(0, 120)})`);
}

/** A provider's own error message, shortened and stripped of anything that looks like a key. */
export function providerDetail(raw: string): string {
  let message = raw;
  try {
    const parsed = JSON.parse(raw) as { error?: { message?: unknown } | string; message?: unknown };
    const candidate = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof candidate === "string") message = candidate;
  } catch {
    // not JSON: use the text as it is
  }
  return message
    .replace(/\b(sk|gsk|key|api)[-_][A-Za-z0-9_-]{8,}/gi, "[redacted]")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}
