// The official `openai` npm SDK, pointed at the gateway as a user's program would point it:
// what the library returns, not the bytes on the wire.
import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { BASE } from "../fixtures";
import { balanceOf, bearerWith, cutAfter, guestBearer, V1_BASE } from "./v1-support";

const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: V1_BASE, maxRetries: 0 });

const weather = {
  type: "function" as const,
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

test("chat.completions.create answers, with usage and its cost in credits", async () => {
  const bearer = await bearerWith(5);
  const completion = await client(bearer.key).chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "What is Cognomega?" }],
  });
  expect(completion.object).toBe("chat.completion");
  expect(completion.choices[0]?.message.content).toContain("You asked: What is Cognomega?");
  expect(completion.choices[0]?.finish_reason).toBe("stop");
  const usage = completion.usage as OpenAI.CompletionUsage & { cost: number };
  expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  expect(usage.cost).toBeGreaterThan(0);
  expect(await balanceOf(bearer)).toBeCloseTo(5 - usage.cost, 6);
});

test("a stream yields the text in chunks and the usage last, with include_usage", async () => {
  const bearer = await bearerWith(5);
  const stream = await client(bearer.key).chat.completions.create({
    model: "auto",
    messages: [{ role: "user", content: "stream please" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  let usage: (OpenAI.CompletionUsage & { cost?: number }) | null | undefined;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    text += chunk.choices[0]?.delta.content ?? "";
    if (chunk.usage) usage = chunk.usage;
  }
  expect(chunks).toBeGreaterThan(5);
  expect(text).toContain("You asked: stream please");
  expect(usage?.completion_tokens).toBeGreaterThan(0);
  expect(usage?.cost).toBeGreaterThan(0);
});

test("a tool call round trip: the call comes back, the tool's result gets an answer", async () => {
  const bearer = await bearerWith(5);
  const openai = client(bearer.key);
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Lisbon" }];
  const first = await openai.chat.completions.create({ model: "auto", messages, tools: [weather] });
  const call = first.choices[0]?.message.tool_calls?.[0];
  expect(first.choices[0]?.finish_reason).toBe("tool_calls");
  expect(call?.type).toBe("function");
  if (call?.type !== "function") throw new Error("no function call");
  expect(call.function.name).toBe("get_weather");
  expect(JSON.parse(call.function.arguments)).toEqual({ city: "Lisbon" });

  messages.push(first.choices[0]?.message as OpenAI.ChatCompletionMessageParam);
  messages.push({ role: "tool", tool_call_id: call.id, content: "rain, 14 °C" });
  const second = await openai.chat.completions.create({ model: "auto", messages, tools: [weather] });
  expect(second.choices[0]?.message.content).toBe("The tool answered: rain, 14 °C");
});

test("the stream helper puts a streamed tool call back together", async () => {
  const bearer = await bearerWith(5);
  const runner = client(bearer.key).chat.completions.stream({
    model: "auto",
    messages: [{ role: "user", content: "Quito" }],
    tools: [weather],
  });
  const final = await runner.finalChatCompletion();
  const call = final.choices[0]?.message.tool_calls?.[0];
  expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({ city: "Quito" });
});

test("models.list lists what the gateway serves, and models.retrieve one of them", async () => {
  const bearer = await bearerWith(1);
  const openai = client(bearer.key);
  const ids: string[] = [];
  for await (const model of openai.models.list()) ids.push(model.id);
  expect(ids).toEqual(expect.arrayContaining(["auto", "smart", "openai/gpt-4o-mini", "openai/gpt-4o"]));
  const model = await openai.models.retrieve("openai/gpt-4o-mini");
  expect(model).toMatchObject({ id: "openai/gpt-4o-mini", owned_by: "openai" });
});

test("a guest token works as the key too", async () => {
  const completion = await client(await guestBearer()).chat.completions.create({
    model: "auto",
    messages: [{ role: "user", content: "hi as a guest" }],
  });
  expect(completion.choices[0]?.message.content).toContain("You asked: hi as a guest");
});

test("a revoked API key is an AuthenticationError (401 invalid_api_key)", async () => {
  const bearer = await bearerWith(5);
  const listed = await fetch(`${BASE}/api/keys`, {
    headers: { Authorization: `Bearer ${bearer.key}` },
  });
  const { keys } = (await listed.json()) as { keys: Array<{ id: string }> };
  const revoked = await fetch(`${BASE}/api/keys/${keys[0]?.id}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${bearer.key}` },
  });
  expect(revoked.status).toBe(200);
  const error = await client(bearer.key)
    .chat.completions.create({ model: "auto", messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("invalid_api_key");
});

test("a wrong key is an AuthenticationError (401)", async () => {
  const error = await client("not-a-key")
    .chat.completions.create({ model: "auto", messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
  expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("invalid_token");
});

test("no credits is a 402 insufficient_credits", async () => {
  const bearer = await bearerWith(0);
  const error = await new OpenAI({ apiKey: bearer.key, baseURL: V1_BASE, maxRetries: 3 }).chat.completions
    .create({ model: "auto", messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
  expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("insufficient_credits");
  expect((error as InstanceType<typeof OpenAI.APIError>).type).toBe("billing_error");
});

test("a stream cut after the first token raises the error mid-iteration, and what arrived is billed", async () => {
  const bearer = await bearerWith(5);
  const stream = await client(bearer.key).chat.completions.create({
    model: "auto",
    messages: [{ role: "user", content: `cut me ${cutAfter(3)}` }],
    stream: true,
  });
  let text = "";
  const error = await (async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  })().catch((e: unknown) => e);
  expect(text.length).toBeGreaterThan(0);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect((error as Error).message).toContain("cut short");
  expect(await balanceOf(bearer)).toBeLessThan(5);
});
