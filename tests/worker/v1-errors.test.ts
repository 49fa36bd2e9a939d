import { describe, expect, it } from "vitest";
import { APP_ORIGIN, call, callWith } from "./helpers";
import { completions, expectOpenAiError, funded, hello } from "./v1-support";

describe("/v1 errors, in OpenAI's shape", () => {
  it("answers 401 without credentials, and says retrying cannot help", async () => {
    const response = await completions({ messages: hello });
    const error = await expectOpenAiError(response, 401, "unauthorized");
    expect(error.type).toBe("authentication_error");
    expect(response.headers.get("x-should-retry")).toBe("false");
    expect(response.headers.get("X-Request-Id")).toBeTruthy();
  });

  it("answers 401 for a bearer that is not a valid token", async () => {
    const response = await completions({ messages: hello }, { Authorization: "Bearer not-a-token" });
    await expectOpenAiError(response, 401, "invalid_token");
  });

  it("answers 402 insufficient_credits with the balance beside it", async () => {
    const { headers } = await funded(0);
    const response = await completions({ messages: hello }, headers);
    const error = await expectOpenAiError(response, 402, "insufficient_credits");
    expect(response.headers.get("x-should-retry")).toBe("false");
    expect(error.metadata).toMatchObject({ balance: 0 });
  });

  it("answers 429 rate_limited with Retry-After when the account asks too often, worth retrying later", async () => {
    const { headers } = await funded();
    const limited = { ACCOUNT_RATE_LIMIT: "1" };
    expect((await completions({ messages: hello }, headers, limited)).status).toBe(200);
    const response = await completions({ messages: hello }, headers, limited);
    const error = await expectOpenAiError(response, 429, "rate_limited");
    expect(error.type).toBe("rate_limit_error");
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(response.headers.get("x-should-retry")).toBe("true");
  });

  it("answers 503 misconfigured while the configuration is broken, not worth retrying", async () => {
    const { headers } = await funded();
    const init = {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ messages: hello }),
    };
    const response = await callWith({ PROVIDERS: "{not json" }, "/v1/chat/completions", init);
    const error = await expectOpenAiError(response, 503, "misconfigured");
    expect(error.message).toContain("PROVIDERS");
    expect(response.headers.get("x-should-retry")).toBe("false");
  });

  it("answers an unknown /v1 path with 404 and a wrong method with 405, both in OpenAI's shape", async () => {
    await expectOpenAiError(await call("/v1/embeddings", { method: "POST" }), 404, "not_found");
    const wrong = await call("/v1/chat/completions");
    await expectOpenAiError(wrong, 405, "method_not_allowed");
    expect(wrong.headers.get("Allow")).toContain("POST");
  });

  it("answers a browser's preflight for the OpenAI SDK's headers", async () => {
    const response = await call("/v1/chat/completions", {
      method: "OPTIONS",
      headers: {
        Origin: APP_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, x-stainless-os",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("x-stainless-os");
  });

  describe("bad input is a 4xx naming the parameter, never a 500", () => {
    const image = (url: string) => ({ type: "image_url", image_url: { url } });
    const cases: Array<[string, unknown, number, string | null]> = [
      ["a body that is not JSON", "{nope", 400, null],
      ["an empty body", "", 400, null],
      ["an array for the body", "[]", 400, null],
      ["no messages", {}, 400, "messages"],
      ["an empty messages list", { messages: [] }, 400, "messages"],
      ["a message that is not an object", { messages: ["hi"] }, 400, "messages[0]"],
      ["an unknown role", { messages: [{ role: "robot", content: "x" }] }, 400, "messages[0].role"],
      [
        "the retired function role",
        { messages: [{ role: "function", name: "f", content: "x" }] },
        400,
        "messages[0].role",
      ],
      ["a number for content", { messages: [{ role: "user", content: 42 }] }, 400, "messages[0].content"],
      ["a null user content", { messages: [{ role: "user", content: null }] }, 400, "messages[0].content"],
      [
        "an audio part",
        { messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }] },
        400,
        "messages[0].content",
      ],
      [
        "an image part in a system turn",
        { messages: [{ role: "system", content: [image("https://x.test/a.png")] }] },
        400,
        "messages[0].content",
      ],
      [
        "an image URL that is neither http(s) nor data:image",
        { messages: [{ role: "user", content: [image("file:///etc/passwd")] }] },
        400,
        "messages[0].content[0].image_url.url",
      ],
      [
        "a tool turn without tool_call_id",
        { messages: [{ role: "tool", content: "x" }] },
        400,
        "messages[0].tool_call_id",
      ],
      [
        "a malformed tool call",
        { messages: [{ role: "assistant", tool_calls: [{ id: "a", type: "function" }] }] },
        400,
        "messages[0].tool_calls[0].function",
      ],
      ["n above 1", { messages: hello, n: 2 }, 400, "n"],
      ["a temperature above 2", { messages: hello, temperature: 3 }, 400, "temperature"],
      ["a string temperature", { messages: hello, temperature: "hot" }, 400, "temperature"],
      ["a fractional max_tokens", { messages: hello, max_tokens: 1.5 }, 400, "max_tokens"],
      ["a zero max_completion_tokens", { messages: hello, max_completion_tokens: 0 }, 400, "max_completion_tokens"],
      ["five stop sequences", { messages: hello, stop: ["a", "b", "c", "d", "e"] }, 400, "stop"],
      ["a string for stream", { messages: hello, stream: "yes" }, 400, "stream"],
      [
        "an unknown response_format",
        { messages: hello, response_format: { type: "xml" } },
        400,
        "response_format.type",
      ],
      ["a tool that is not a function", { messages: hello, tools: [{ type: "retrieval" }] }, 400, "tools[0].type"],
      [
        "a tool name with spaces",
        { messages: hello, tools: [{ type: "function", function: { name: "a b" } }] },
        400,
        "tools[0].function.name",
      ],
      ["an unknown tool_choice", { messages: hello, tool_choice: "sometimes" }, 400, "tool_choice"],
      ["a model name that is not a string", { messages: hello, model: 4 }, 400, "model"],
      [
        "a conversation over the size limit",
        { messages: [{ role: "user", content: "x".repeat(100_001) }] },
        413,
        "messages",
      ],
    ];

    it.each(cases)("%s", async (_, body, status, param) => {
      const { headers } = await funded();
      const response = await completions(body, headers);
      const error = await expectOpenAiError(response, status);
      expect(error.param).toBe(param);
      expect(error.type).toBe("invalid_request_error");
      expect(response.headers.get("x-should-retry")).toBe("false");
    });

    it("refuses a body over the size limit before reading it", async () => {
      const { headers } = await funded();
      const response = await completions("x".repeat(4 * 1024 * 1024 + 1), headers);
      await expectOpenAiError(response, 413, "payload_too_large");
    });

    it("refuses a malformed Idempotency-Key", async () => {
      const { headers } = await funded();
      const response = await completions({ messages: hello }, { ...headers, "Idempotency-Key": "bad key!" });
      await expectOpenAiError(response, 400, "invalid_request");
    });

    it("refuses an Idempotency-Key reused for another body, not worth retrying", async () => {
      const { headers } = await funded();
      const key = { ...headers, "Idempotency-Key": crypto.randomUUID() };
      expect((await completions({ messages: hello }, key)).status).toBe(200);
      const response = await completions({ messages: [{ role: "user", content: "other" }] }, key);
      await expectOpenAiError(response, 409, "idempotency_key_reused");
      expect(response.headers.get("x-should-retry")).toBe("false");
    });
  });
});
