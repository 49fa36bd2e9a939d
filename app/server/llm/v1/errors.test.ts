import { describe, expect, it } from "vitest";
import { ApiError } from "../../http/errors";
import { openAiErrorResponse, paramOf } from "./errors";

// Every status /v1 can answer with, mapped to OpenAI's `type` and the SDKs' retry hint. The
// worker tests reach most of these through real requests; statuses no /v1 request can provoke
// today (502, 408, a 409 still in progress) are checked here, so the mapping cannot rot.
describe("openAiErrorResponse", () => {
  it.each([
    [400, "invalid_request", "invalid_request_error", "false"],
    [401, "unauthorized", "authentication_error", "false"],
    [402, "insufficient_credits", "billing_error", "false"],
    [403, "forbidden", "permission_error", "false"],
    [404, "model_not_found", "not_found_error", "false"],
    [408, "timeout", "invalid_request_error", "true"],
    [409, "idempotency_in_progress", "invalid_request_error", "true"],
    [409, "idempotency_key_reused", "invalid_request_error", "false"],
    [429, "rate_limited", "rate_limit_error", "true"],
    [500, "internal", "api_error", "true"],
    [502, "upstream_failed", "api_error", "true"],
    [503, "no_provider_available", "service_unavailable", "true"],
    [503, "misconfigured", "service_unavailable", "false"],
  ])("%i %s is a %s with x-should-retry: %s", async (status, code, type, retry) => {
    const response = openAiErrorResponse(new ApiError(status, code, "it went wrong", {}, { "Retry-After": "3" }), "r1");
    expect(response.status).toBe(status);
    expect(response.headers.get("x-should-retry")).toBe(retry);
    expect(response.headers.get("Retry-After")).toBe("3");
    expect(await response.json()).toEqual({ error: { message: "it went wrong", type, param: null, code } });
  });

  it("names the field as OpenAI writes it, in param and in the message", async () => {
    const error = new ApiError(400, "invalid_request", "messages.0.content.1: Invalid input", {
      issues: [{ path: "messages.0.content.1" }],
    });
    const body = await openAiErrorResponse(error, "r1").json();
    expect(body).toEqual({
      error: {
        message: "messages[0].content[1]: Invalid input",
        type: "invalid_request_error",
        param: "messages[0].content[1]",
        code: "invalid_request",
      },
    });
  });

  it("keeps the gateway's facts under metadata", async () => {
    const error = new ApiError(402, "insufficient_credits", "Not enough credits.", { balance: 0, needed: 0.2 });
    const body = await openAiErrorResponse(error, "r1").json<{ error: Record<string, unknown> }>();
    expect(body.error.metadata).toEqual({ balance: 0, needed: 0.2 });
  });
});

describe("paramOf", () => {
  it.each([
    ["", null],
    ["(body)", null],
    ["model", "model"],
    ["messages.0.role", "messages[0].role"],
    ["tools.2.function.name", "tools[2].function.name"],
  ])("%j is %j", (path, param) => {
    expect(paramOf(path)).toBe(param);
  });
});
