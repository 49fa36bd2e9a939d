// Talking to the API from the browser: identity headers, and every failure as a `Problem` in
// the envelope's own words.

export interface Problem {
  /** HTTP status; 0 when the network failed before any answer. */
  status: number;
  code: string;
  message: string;
  retryAfterSec?: number;
  /** When a retry makes sense again (Date.now() time), so the wait survives a reload. */
  retryAt?: number;
  balance?: number;
  needed?: number;
  requestId?: string;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

export function identityHeaders(email: string | null): Record<string, string> {
  return email ? { "X-User-Email": email } : {};
}

function retryAfter(response: Response, body: Record<string, unknown>): number | undefined {
  const header = Number(response.headers.get("Retry-After"));
  if (Number.isFinite(header) && header > 0) return header;
  return typeof body.retry_after === "number" ? body.retry_after : undefined;
}

const num = (value: unknown) => (typeof value === "number" ? value : undefined);

/** The problem an error response describes; a body that is not an envelope still gets words. */
export async function problemFrom(response: Response): Promise<Problem> {
  let envelope: { error?: Record<string, unknown>; request_id?: string } = {};
  try {
    envelope = await response.json();
  } catch {
    // Not JSON (a proxy's error page): fall back to the status below.
  }
  const error = envelope.error ?? {};
  const retryAfterSec = retryAfter(response, error);
  return {
    status: response.status,
    code: typeof error.code === "string" ? error.code : `http_${response.status}`,
    message: typeof error.message === "string" ? error.message : `The request failed (HTTP ${response.status}).`,
    retryAfterSec,
    retryAt: retryAfterSec ? Date.now() + retryAfterSec * 1000 : undefined,
    balance: num(error.balance),
    needed: num(error.needed),
    requestId: envelope.request_id,
  };
}

export const networkProblem = (): Problem => ({
  status: 0,
  code: "network",
  message: "Cognomega could not be reached.",
});

/** A random id that works outside secure contexts too (crypto.randomUUID does not). */
export function newId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) => b.toString(36).padStart(2, "0")).join("");
}
