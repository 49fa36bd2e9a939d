import { describe, expect, it } from "vitest";
import { chatCompletionObject } from "../../app/server/llm/v1/answers";
import { balanceOf, call, usageOf } from "./helpers";
import { completions, expectOpenAiError, funded, hello, sentUpstream, tagged, type V1Body } from "./v1-support";

const PRICE_PER_1K = 0.05;
const credits = (tokens: number) => Number(((tokens * PRICE_PER_1K) / 1000).toFixed(6));

describe("POST /v1/chat/completions", () => {
  it("answers with a chat.completion whose usage carries the cost, billed like /api/si/ask", async () => {
    const { email, headers } = await funded(10);
    const response = await completions(
      { model: "gpt-4o-mini", messages: [{ role: "user", content: "What is it?" }] },
      headers,
    );
    expect(response.status).toBe(200);
    const body = await response.json<V1Body>();
    expect(body).toMatchObject({
      id: `chatcmpl-${response.headers.get("X-Request-Id")}`,
      object: "chat.completion",
      created: expect.any(Number),
      model: "gpt-4o-mini",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: expect.stringContaining("What is it?") },
          finish_reason: "stop",
        },
      ],
    });
    expect(chatCompletionObject.safeParse(body).error).toBeUndefined();
    const { prompt_tokens, completion_tokens, total_tokens, cost } = body.usage;
    expect(total_tokens).toBe(prompt_tokens + completion_tokens);
    expect(cost).toBe(credits(total_tokens));
    expect(response.headers.get("X-Provider")).toBe("openai");
    expect(response.headers.get("X-Model")).toBe("gpt-4o-mini");
    expect(Number(response.headers.get("X-Tokens-In"))).toBe(prompt_tokens);
    expect(Number(response.headers.get("X-Tokens-Out"))).toBe(completion_tokens);
    expect(Number(response.headers.get("X-Credits-Used"))).toBe(cost);
    expect(Number(response.headers.get("X-Credits-Balance"))).toBeCloseTo(10 - cost, 6);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const [record] = await usageOf(email, 1);
    expect(record).toMatchObject({ provider: "openai", tokens_in: prompt_tokens, tokens_out: completion_tokens });
    expect(record?.credits).toBe(cost);
    expect((await balanceOf(email)).held).toBe(0);
  });

  it("takes a guest token as the bearer, without a balance header", async () => {
    const guest = await call("/auth/guest", { method: "POST", headers: { "CF-Connecting-IP": crypto.randomUUID() } });
    const { token } = await guest.json<{ token: string }>();
    const response = await completions({ messages: hello }, { Authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Credits-Used")).not.toBeNull();
    expect(response.headers.get("X-Credits-Balance")).toBeNull();
  });

  it("passes OpenAI's parameters on, ignores fields it does not know, and sends developer turns as system", async () => {
    const { headers } = await funded();
    const { tag, vars } = tagged();
    const response = await completions(
      {
        model: "auto",
        messages: [
          { role: "developer", content: "Be brief." },
          {
            role: "user",
            content: [
              { type: "text", text: "first" },
              { type: "text", text: "second" },
            ],
          },
        ],
        temperature: 0.2,
        top_p: 0.9,
        stop: ["never-in-the-reply"],
        seed: 7,
        user: "end-user-1",
        response_format: { type: "text" },
        max_completion_tokens: 50,
        n: 1,
        logit_bias: { "50256": -100 },
        some_future_field: { nested: true },
      },
      headers,
      vars,
    );
    expect(response.status).toBe(200);
    const [sent] = await sentUpstream(tag);
    expect(sent?.roles).toEqual(["system", "user"]);
    expect(sent?.params).toMatchObject({
      model: "gpt-4o-mini",
      temperature: 0.2,
      top_p: 0.9,
      stop: ["never-in-the-reply"],
      seed: 7,
      user: "end-user-1",
      response_format: { type: "text" },
      max_tokens: 50,
    });
    expect(sent?.params).not.toHaveProperty("logit_bias");
    expect(sent?.params).not.toHaveProperty("some_future_field");
    expect(sent?.params).not.toHaveProperty("n");
    const body = await response.json<{ choices: Array<{ message: { content: string } }> }>();
    expect(body.choices[0]?.message.content).toContain("You asked: first\nsecond");
  });

  it("passes image parts to a provider that takes them", async () => {
    const { headers } = await funded();
    const { tag, vars } = tagged();
    const image = { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } };
    const response = await completions(
      { messages: [{ role: "user", content: [{ type: "text", text: "what is this?" }, image] }] },
      headers,
      vars,
    );
    expect(response.status).toBe(200);
    expect((await sentUpstream(tag))[0]?.images).toBe(1);
    const body = await response.json<{ choices: Array<{ message: { content: string } }> }>();
    expect(body.choices[0]?.message.content).toContain("You sent 1 image.");
  });

  it("refuses image parts, naming the parameter, when no provider here takes images", async () => {
    const { headers } = await funded();
    const image = { type: "image_url", image_url: { url: "https://example.com/cat.png" } };
    const response = await completions(
      {
        messages: [
          { role: "user", content: "hi" },
          { role: "user", content: [image] },
        ],
      },
      headers,
      { PREFERRED_PROVIDER: "cfai" },
    );
    const error = await expectOpenAiError(response, 400, "unsupported_by_providers");
    expect(error.param).toBe("messages[1].content");
    expect(error.message).toContain("cfai cannot take images");
  });

  it("caps the output to what the balance pays for, finishing with length", async () => {
    const { email, headers } = await funded(credits(80));
    const { tag, vars } = tagged();
    const response = await completions(
      { messages: [{ role: "user", content: "please answer at length" }], max_completion_tokens: 500 },
      headers,
      vars,
    );
    expect(response.status).toBe(200);
    const body = await response.json<V1Body>();
    const sentMax = (await sentUpstream(tag))[0]?.params.max_tokens as number;
    expect(sentMax).toBeGreaterThan(0);
    expect(sentMax).toBeLessThan(80);
    expect(body.choices[0]?.finish_reason).toBe("length");
    expect(body.usage.completion_tokens).toBeLessThanOrEqual(sentMax);
    expect(body.usage.cost).toBeLessThanOrEqual(credits(80));
    expect((await balanceOf(email)).balance).toBeGreaterThanOrEqual(0);
  });

  it("replays an Idempotency-Key with the first answer, charged once", async () => {
    const { email, headers } = await funded();
    const key = { ...headers, "Idempotency-Key": crypto.randomUUID() };
    const first = await (await completions({ messages: hello }, key)).json<{ id: string }>();
    const again = await (await completions({ messages: hello }, key)).json<{ id: string }>();
    expect(again.id).toBe(first.id);
    expect(await usageOf(email, 5)).toHaveLength(1);
  });

  describe("model names", () => {
    const tiers = { INTELLIGENCE_TIERS: JSON.stringify({ smart: { openai: "gpt-4o" } }) };

    it.each([
      ["omitted", undefined, "gpt-4o-mini"],
      ["auto", "auto", "gpt-4o-mini"],
      ["a tier name", "smart", "gpt-4o"],
      ["provider/model", "openai/gpt-4o", "gpt-4o"],
      ["provider/tier", "openai/smart", "gpt-4o"],
      ["a model id served here", "gpt-4o", "gpt-4o"],
    ])("resolves %s", async (_, model, upstreamModel) => {
      const { headers } = await funded();
      const { tag, vars } = tagged();
      const response = await completions({ model, messages: hello }, headers, { ...vars, ...tiers });
      expect(response.status).toBe(200);
      expect(response.headers.get("X-Model")).toBe(upstreamModel);
      expect((await sentUpstream(tag))[0]?.model).toBe(upstreamModel);
    });

    it("pins a provider with provider/model: no fallback to another", async () => {
      const { headers } = await funded();
      const vars = { PREFERRED_PROVIDER: "openai,groq", GROQ_API_KEY: "k", GROQ_BASE: "http://127.0.0.1:9/v1" };
      const response = await completions({ model: "groq/llama-3.1-8b-instant", messages: hello }, headers, vars);
      const error = await expectOpenAiError(response, 503, "no_provider_available");
      expect(response.headers.get("x-should-retry")).toBe("true");
      expect(JSON.stringify(error.metadata)).toContain("groq");
      expect(JSON.stringify(error.metadata)).not.toContain('"openai"');
    });

    it.each([
      ["an unknown model", "gpt-7"],
      ["a provider that is not configured", "groq/llama-3.1-8b-instant"],
      ["a model the provider is not allowed", "openai/gpt-7"],
    ])("answers 404 model_not_found for %s", async (_, model) => {
      const { headers } = await funded();
      const response = await completions({ model, messages: hello }, headers);
      const error = await expectOpenAiError(response, 404, "model_not_found");
      expect(error.param).toBe("model");
      expect(response.headers.get("x-should-retry")).toBe("false");
    });
  });
});
