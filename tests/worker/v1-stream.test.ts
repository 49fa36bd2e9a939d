import { describe, expect, it } from "vitest";
import { chatCompletionChunk } from "../../app/server/llm/v1/answers";
import { balanceOf, upstream, usageOf } from "./helpers";
import {
  completions,
  dataLines,
  funded,
  hello,
  sentUpstream,
  tagged,
  type UpstreamRequest,
  type V1Body,
  weatherTool,
} from "./v1-support";

type Chunk = V1Body;

describe("POST /v1/chat/completions with stream: true", () => {
  it("streams chunks, then the usage with its cost when include_usage is set, then [DONE]", async () => {
    const { email, headers } = await funded(10);
    const response = await completions(
      { messages: [{ role: "user", content: "stream this" }], stream: true, stream_options: { include_usage: true } },
      headers,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("X-Provider")).toBe("openai");
    const lines = await dataLines(response);
    expect(lines.at(-1)).toBe("[DONE]");
    const chunks = lines.slice(0, -1) as Chunk[];
    const id = chunks[0]?.id;
    expect(id).toMatch(/^chatcmpl-/);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id, object: "chat.completion.chunk", model: "gpt-4o-mini" });
      expect(chatCompletionChunk.safeParse(chunk).error).toBeUndefined();
    }
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    expect(text).toContain("You asked: stream this");
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(chunks.at(-2)?.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });

    const [record] = await usageOf(email, 1);
    expect(usageChunk?.usage).toMatchObject({
      prompt_tokens: record?.tokens_in,
      completion_tokens: record?.tokens_out,
      cost: record?.credits,
      estimated: false,
    });
    expect((await balanceOf(email)).held).toBe(0);
  });

  it("sends no usage chunk unless the client asks for it", async () => {
    const { headers } = await funded();
    const lines = await dataLines(await completions({ messages: hello, stream: true }, headers));
    expect(lines.at(-1)).toBe("[DONE]");
    expect((lines.slice(0, -1) as Chunk[]).every((chunk) => chunk.choices.length === 1 && !chunk.usage)).toBe(true);
  });

  it("passes tool-call deltas on exactly as the provider sent them", async () => {
    const { headers } = await funded();
    const response = await completions(
      { messages: [{ role: "user", content: "Oslo" }], tools: [weatherTool], stream: true },
      headers,
    );
    const chunks = (await dataLines(response)).filter((line) => line !== "[DONE]") as Chunk[];
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta?.tool_calls ?? []);
    expect(deltas).toEqual([
      {
        index: 0,
        id: expect.stringMatching(/^call_/),
        type: "function",
        function: { name: "get_weather", arguments: "" },
      },
      { index: 0, function: { arguments: '{"city":' } },
      { index: 0, function: { arguments: '"Oslo"}' } },
    ]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("falls back before the first byte", async () => {
    const { headers } = await funded();
    const vars = { PREFERRED_PROVIDER: "groq,openai", GROQ_API_KEY: "k", GROQ_BASE: upstream("status=500") };
    const response = await completions({ messages: hello, stream: true }, headers, vars);
    expect(response.headers.get("X-Provider")).toBe("openai");
    expect((await dataLines(response)).at(-1)).toBe("[DONE]");
  });

  it("ends a stream cut after the first byte with an error line, and bills what was delivered", async () => {
    const { email, headers } = await funded(10);
    const response = await completions(
      { messages: hello, stream: true, stream_options: { include_usage: true } },
      headers,
      { OPENAI_BASE: upstream("cut=3") },
    );
    expect(response.status).toBe(200);
    const lines = await dataLines(response);
    expect(lines).not.toContain("[DONE]");
    const last = lines.at(-1) as Chunk;
    expect(last.error).toMatchObject({ code: "upstream_interrupted", type: "api_error", param: null });
    expect(last.error?.message).toMatch(/cut short/);
    const delivered = (lines.slice(0, -1) as Chunk[]).filter((chunk) => chunk.choices[0]?.delta?.content).length;
    expect(delivered).toBe(3);
    const [record] = await usageOf(email, 1);
    expect(record).toMatchObject({ estimated: true });
    expect(record?.credits).toBe(last.usage.cost);
    expect(last.usage.cost).toBeGreaterThan(0);
    expect((await balanceOf(email)).held).toBe(0);
  });

  it("stops the upstream request when the client goes away, and bills only what was sent", async () => {
    const { email, headers } = await funded(10);
    const { tag, vars } = tagged("words=200;token_delay=40");
    const response = await completions({ messages: hello, stream: true }, headers, vars);
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    await reader.read();
    await reader.read();
    await reader.cancel();
    let sent: UpstreamRequest | undefined;
    for (let i = 0; i < 40 && !sent?.client_aborted; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      [sent] = await sentUpstream(tag);
    }
    expect(sent?.client_aborted).toBe(true);
    let record: Record<string, unknown> | undefined;
    for (let i = 0; i < 20 && !record; i++) {
      [record] = await usageOf(email, 1);
      if (!record) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(record).toMatchObject({ outcome: "partial" });
    expect(Number(record?.tokens_out)).toBeLessThan(200);
    expect((await balanceOf(email)).held).toBe(0);
  });

  it("replays an Idempotency-Key as a stream of the stored answer", async () => {
    const { headers } = await funded();
    const key = { ...headers, "Idempotency-Key": crypto.randomUUID() };
    const body = { messages: hello, stream: true, stream_options: { include_usage: true } };
    const first = await dataLines(await completions(body, key));
    const again = await dataLines(await completions(body, key));
    const textOf = (lines: typeof first) =>
      (lines.filter((l) => l !== "[DONE]") as Chunk[]).map((c) => c.choices[0]?.delta?.content ?? "").join("");
    expect(textOf(again)).toBe(textOf(first));
    expect((again.at(-2) as Chunk).usage).toEqual((first.at(-2) as Chunk).usage);
  });
});
