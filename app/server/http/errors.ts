// The one error type every API failure is expressed as, and the one envelope it becomes.
import { errorDetail, log } from "../log";

export interface ErrorBody {
  ok: false;
  error: { code: string; message: string } & Record<string, unknown>;
  request_id: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra, non-secret facts for the client (e.g. `balance`, `providers`). */
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new ApiError(400, "invalid_request", message, details);
export const unauthorized = (message = "Sign in or send an identity to use this endpoint.") =>
  new ApiError(401, "unauthorized", message);
export const forbidden = (message: string) => new ApiError(403, "forbidden", message);
export const notFound = (message = "No such resource.") => new ApiError(404, "not_found", message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new ApiError(409, "conflict", message, details);

export function methodNotAllowed(method: string, allowed: string[]): ApiError {
  return new ApiError(
    405,
    "method_not_allowed",
    `${method} is not supported here; use ${allowed.join(", ")}.`,
    {},
    { Allow: allowed.join(", ") },
  );
}

export function envelope(error: ApiError, requestId: string): ErrorBody {
  return { ok: false, error: { ...error.details, code: error.code, message: error.message }, request_id: requestId };
}

/** The error as the envelope, with its status and headers. */
export function envelopeResponse(error: ApiError, requestId: string): Response {
  return Response.json(envelope(error, requestId), { status: error.status, headers: error.headers });
}

/** Anything thrown as an ApiError; an unexpected one is logged and never shows its internals. */
export function toApiError(thrown: unknown, requestId: string): ApiError {
  return thrown instanceof ApiError ? thrown : internalError(thrown, requestId);
}

function internalError(thrown: unknown, requestId: string): ApiError {
  log("error", requestId, "unhandled", { error: errorDetail(thrown) });
  return new ApiError(
    500,
    "internal_error",
    "Something went wrong on our side. Quote the request id if you report it.",
  );
}
