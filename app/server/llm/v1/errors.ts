// Errors on /v1/* in OpenAI's shape — {"error":{"message","type","param","code"}} — so the
// openai SDKs, the AI SDK and the tools built on them read them as they read OpenAI's own. The
// status and the code are the gateway's (ApiError); `x-should-retry` tells the SDKs, which retry
// 409, 429 and 5xx on their own, when another try cannot help.
import type { ApiError } from "../../http/errors";

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null } & Record<string, unknown>;
}

function typeOf(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 402) return "billing_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return status === 503 ? "service_unavailable" : "api_error";
  return "invalid_request_error";
}

/** Whether the same request may succeed if sent again (the SDKs' retry loop obeys this). */
function worthRetrying(error: ApiError): boolean {
  if (error.status === 429 || error.status === 408) return true;
  if (error.status === 409) return error.code === "idempotency_in_progress";
  if (error.status === 503) return error.code !== "misconfigured";
  return error.status >= 500;
}

/** `messages.0.content.1` (a validation issue's path) as OpenAI writes it: `messages[0].content[1]`. */
export function paramOf(path: string): string | null {
  if (!path || path === "(body)") return null;
  return path
    .split(".")
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), "");
}

export function openAiError(error: ApiError): OpenAiErrorBody {
  const { param, issues, ...details } = error.details as { param?: unknown; issues?: Array<{ path: string }> };
  const path = issues?.[0]?.path ?? "";
  const named = typeof param === "string" ? param : paramOf(path);
  // A validation message starts with the field's path; here it is written as `param` is.
  const message =
    named && path && error.message.startsWith(`${path}: `)
      ? `${named}${error.message.slice(path.length)}`
      : error.message;
  return {
    error: {
      message,
      type: typeOf(error.status),
      param: named,
      code: error.code,
      // The gateway's facts beside OpenAI's four (balance and needed on a 402, the attempts on
      // a 503), as OpenRouter carries its own under `metadata`.
      ...(Object.keys(details).length > 0 ? { metadata: details } : {}),
    },
  };
}

/** The route table's error format for /v1 (app/api-routes.ts). */
export function openAiErrorResponse(error: ApiError, _requestId: string): Response {
  const headers = new Headers(error.headers);
  headers.set("x-should-retry", worthRetrying(error) ? "true" : "false");
  return Response.json(openAiError(error), { status: error.status, headers });
}
