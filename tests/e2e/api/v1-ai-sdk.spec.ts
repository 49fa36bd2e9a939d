// The Vercel AI SDK (`ai` + `@ai-sdk/openai-compatible`), pointed at the gateway as an app would
// point it: what the library returns, not the bytes on the wire.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { expect, test } from "@playwright/test";
import { APICallError, generateText, stepCountIs, streamText, tool } from "ai";
import { z } from "zod";
import { balanceOf, bearerWith, cutAfter, V1_BASE } from "./v1-support";

const gateway = (apiKey: string) =>
  createOpenAICompatible({ name: "cognomega", baseURL: V1_BASE, apiKey, includeUsage: true });

test("generateText answers, with the usage", async () => {
  const bearer = await bearerWith(5);
  const result = await generateText({ model: gateway(bearer.key)("gpt-4o-mini"), prompt: "Hello from the AI SDK" });
  expect(result.text).toContain("You asked: Hello from the AI SDK");
  expect(result.finishReason).toBe("stop");
  expect(result.usage.inputTokens).toBeGreaterThan(0);
  expect(result.usage.outputTokens).toBeGreaterThan(0);
  const body = result.response.body as { usage: { cost: number } };
  expect(body.usage.cost).toBeGreaterThan(0);
  expect(await balanceOf(bearer)).toBeCloseTo(5 - body.usage.cost, 6);
});

test("streamText streams the text and reports the usage at the end", async () => {
  const bearer = await bearerWith(5);
  const result = streamText({ model: gateway(bearer.key)("auto"), prompt: "stream through the AI SDK" });
  const parts: string[] = [];
  for await (const part of result.textStream) parts.push(part);
  expect(parts.length).toBeGreaterThan(5);
  expect(parts.join("")).toContain("You asked: stream through the AI SDK");
  const usage = await result.usage;
  expect(usage.outputTokens).toBeGreaterThan(0);
  expect(usage.totalTokens).toBe((usage.inputTokens ?? 0) + (usage.outputTokens ?? 0));
});

test("a tool round trip: the SDK runs the tool and the model answers from its result", async () => {
  const bearer = await bearerWith(5);
  const seen: string[] = [];
  const result = await generateText({
    model: gateway(bearer.key)("gpt-4o-mini"),
    prompt: "Nairobi",
    tools: {
      get_weather: tool({
        description: "The weather in a city",
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          seen.push(city);
          return `dry, 24 °C in ${city}`;
        },
      }),
    },
    stopWhen: stepCountIs(3),
  });
  expect(seen).toEqual(["Nairobi"]);
  expect(result.steps[0]?.finishReason).toBe("tool-calls");
  expect(result.text).toContain("dry, 24 °C in Nairobi");
});

test("a streamed tool call comes back whole", async () => {
  const bearer = await bearerWith(5);
  const result = streamText({
    model: gateway(bearer.key)("gpt-4o-mini"),
    prompt: "Lima",
    tools: { get_weather: tool({ inputSchema: z.object({ city: z.string() }) }) },
  });
  const calls = await result.toolCalls;
  expect(calls.map((call) => [call.toolName, call.input])).toEqual([["get_weather", { city: "Lima" }]]);
});

test("a wrong key is an APICallError with status 401", async () => {
  const error = await generateText({ model: gateway("not-a-key")("auto"), prompt: "hi", maxRetries: 0 }).catch(
    (e: unknown) => e,
  );
  expect(APICallError.isInstance(error)).toBe(true);
  expect((error as APICallError).statusCode).toBe(401);
  expect((error as APICallError).isRetryable).toBe(false);
});

test("no credits is an APICallError with status 402 and the gateway's message", async () => {
  const bearer = await bearerWith(0);
  const error = await generateText({ model: gateway(bearer.key)("auto"), prompt: "hi" }).catch((e: unknown) => e);
  expect(APICallError.isInstance(error)).toBe(true);
  expect((error as APICallError).statusCode).toBe(402);
  expect((error as APICallError).message).toMatch(/Not enough credits/);
});

test("a stream cut after the first token ends with an error part, and what arrived is billed", async () => {
  const bearer = await bearerWith(5);
  const errors: unknown[] = [];
  const result = streamText({
    model: gateway(bearer.key)("auto"),
    prompt: `cut me ${cutAfter(3)}`,
    onError: ({ error }) => {
      errors.push(error);
    },
  });
  let text = "";
  for await (const part of result.fullStream) if (part.type === "text-delta") text += part.text;
  expect(text.length).toBeGreaterThan(0);
  expect(JSON.stringify(errors)).toContain("cut short");
  expect(await result.finishReason).toBe("error");
  expect(await balanceOf(bearer)).toBeLessThan(5);
});
