// Tools on /v1: passed to OpenAI-compatible providers as sent, their calls returned exactly as the
// provider made them, and providers that cannot take tools skipped (a 400 when none is left).
import { describe, expect, it } from "vitest";
import {
  completions,
  expectOpenAiError,
  funded,
  hello,
  sentUpstream,
  tagged,
  type V1Body,
  weatherTool,
} from "./v1-support";

describe("POST /v1/chat/completions with tools", () => {
  it("returns the provider's tool calls, then answers from the tool's result", async () => {
    const { headers } = await funded();
    const ask = [{ role: "user", content: "Paris" }];
    const first = await completions({ messages: ask, tools: [weatherTool], tool_choice: "auto" }, headers);
    expect(first.status).toBe(200);
    const called = await first.json<V1Body>();
    const [choice] = called.choices;
    if (!choice) throw new Error("no choice in the answer");
    const { message } = choice;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ]);
    expect(called.usage.completion_tokens).toBeGreaterThan(0);

    const second = await completions(
      {
        messages: [
          ...ask,
          message,
          { role: "tool", tool_call_id: message.tool_calls?.[0]?.id, content: "sunny, 21 °C" },
        ],
        tools: [weatherTool],
      },
      headers,
    );
    const answered = await second.json<V1Body>();
    expect(answered.choices[0]).toMatchObject({
      finish_reason: "stop",
      message: { role: "assistant", content: "The tool answered: sunny, 21 °C" },
    });
  });

  it("passes tools, tool_choice, parallel_tool_calls and max_tokens on as sent", async () => {
    const { headers } = await funded();
    const { tag, vars } = tagged();
    const clock = { type: "function", function: { name: "get_time", parameters: { type: "object" } } };
    const forced = { type: "function", function: { name: "get_time" } };
    const response = await completions(
      {
        messages: [{ role: "user", content: "now?" }],
        tools: [weatherTool, clock],
        tool_choice: forced,
        parallel_tool_calls: false,
        max_tokens: 40,
      },
      headers,
      vars,
    );
    expect(response.status).toBe(200);
    const [sent] = await sentUpstream(tag);
    expect(sent?.params).toMatchObject({
      tools: [weatherTool, clock],
      tool_choice: forced,
      parallel_tool_calls: false,
      max_tokens: 40,
    });
    // The provider obeyed the forced choice, and its call comes back as it made it.
    const body = await response.json<V1Body>();
    expect(body.choices[0]?.message.tool_calls?.map((call) => call.function.name)).toEqual(["get_time"]);
  });

  it("sends no tool_choice or parallel_tool_calls without tools", async () => {
    const { headers } = await funded();
    const { tag, vars } = tagged();
    const response = await completions(
      { messages: hello, tool_choice: "none", parallel_tool_calls: true },
      headers,
      vars,
    );
    expect(response.status).toBe(200);
    const [sent] = await sentUpstream(tag);
    expect(sent?.params).not.toHaveProperty("tool_choice");
    expect(sent?.params).not.toHaveProperty("parallel_tool_calls");
    expect(sent?.params).not.toHaveProperty("tools");
  });

  it("skips a provider that cannot take tools, saying why", async () => {
    const { headers } = await funded();
    const response = await completions({ messages: hello, tools: [weatherTool] }, headers, {
      PREFERRED_PROVIDER: "cfai,openai",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Provider")).toBe("openai");
  });

  it("answers 400 naming tools when no provider left can take them", async () => {
    const { headers } = await funded();
    const response = await completions({ messages: hello, tools: [weatherTool] }, headers, {
      PREFERRED_PROVIDER: "cfai",
    });
    const error = await expectOpenAiError(response, 400, "unsupported_by_providers");
    expect(error.param).toBe("tools");
    expect(error.message).toContain("cfai cannot take tools");
  });
});
