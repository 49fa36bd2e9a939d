import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { modelList } from "../../app/server/llm/v1/answers";
import { call, callWith, onBehalfOf, upstream } from "./helpers";
import { completions, expectOpenAiError, funded, hello, type ReadyBody, sentUpstream } from "./v1-support";

// The admin key acting for an account: /v1/models needs an identity, as OpenAI's does.
const auth = onBehalfOf("models@example.com");
const tiers = { INTELLIGENCE_TIERS: JSON.stringify({ smart: { openai: "gpt-4o" } }) };

describe("GET /v1/models", () => {
  it("lists auto, the tiers and every configured provider's models, with prices in credits", async () => {
    const response = await callWith({ ...tiers, PREFERRED_PROVIDER: "groq,openai,cfai" }, "/v1/models", {
      headers: auth,
    });
    expect(response.status).toBe(200);
    const body = await response.json<{ object: string; data: Array<Record<string, unknown>> }>();
    expect(modelList.safeParse(body).error).toBeUndefined();
    expect(body.data.map((model) => [model.id, model.owned_by])).toEqual([
      ["auto", "cognomega"],
      ["smart", "cognomega"],
      ["openai/gpt-4o-mini", "openai"],
      ["openai/gpt-4o", "openai"],
      ["cfai/@cf/meta/llama-3.1-8b-instruct", "cfai"],
    ]);
    for (const model of body.data) {
      expect(model).toMatchObject({
        object: "model",
        pricing: { input: 0.05, output: 0.05, unit: "credits per 1K tokens" },
      });
    }
  });

  it("describes one model by any name a request may use, percent-encoded slashes included", async () => {
    for (const id of ["auto", "gpt-4o-mini", "openai/gpt-4o-mini"]) {
      const response = await call(`/v1/models/${encodeURIComponent(id)}`, { headers: auth });
      expect(await response.json()).toMatchObject({
        id,
        object: "model",
        owned_by: id === "auto" ? "cognomega" : "openai",
      });
    }
  });

  it("takes provider/model unencoded, as two path segments", async () => {
    const response = await call("/v1/models/openai/gpt-4o-mini", { headers: auth });
    expect(await response.json()).toMatchObject({ id: "openai/gpt-4o-mini", owned_by: "openai" });
  });

  it("answers 404 model_not_found for a model not served here", async () => {
    const response = await call("/v1/models/gpt-7", { headers: auth });
    const error = await expectOpenAiError(response, 404, "model_not_found");
    expect(error.type).toBe("not_found_error");
  });

  it("needs credentials, as OpenAI's does", async () => {
    await expectOpenAiError(await call("/v1/models"), 401, "unauthorized");
  });
});

describe("PROVIDERS: operator-named OpenAI-compatible providers", () => {
  const local = (switches: string) => ({
    base: upstream(switches),
    key_secret: "LOCAL_LLM_KEY",
    model: "local-echo",
    models: ["local-big"],
  });

  it("answers from a named provider listed in PREFERRED_PROVIDER, and in a tier", async () => {
    const { headers } = await funded();
    const tag = crypto.randomUUID();
    const vars = {
      PROVIDERS: JSON.stringify({ together: local(`tag=${tag}`) }),
      LOCAL_LLM_KEY: env.OPENAI_API_KEY,
      PREFERRED_PROVIDER: "together,openai",
      INTELLIGENCE_TIERS: JSON.stringify({ big: { together: "local-big" } }),
    };
    const plain = await completions({ messages: hello }, headers, vars);
    expect(plain.headers.get("X-Provider")).toBe("together");
    expect(plain.headers.get("X-Model")).toBe("local-echo");
    const tiered = await completions({ model: "big", messages: hello }, headers, vars);
    expect(tiered.headers.get("X-Model")).toBe("local-big");
    const pinned = await completions({ model: "together/local-big", messages: hello }, headers, vars);
    expect(pinned.headers.get("X-Provider")).toBe("together");
    expect((await sentUpstream(tag)).map((r) => r.model)).toEqual(["local-echo", "local-big", "local-big"]);

    const models = await (await callWith(vars, "/v1/models", { headers })).json<{ data: Array<{ id: string }> }>();
    expect(models.data.map((m) => m.id)).toContain("together/local-big");

    const ask = await callWith(vars, "/api/si/ask", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: "hi", provider: "together" }),
    });
    expect(ask.headers.get("X-Provider")).toBe("together");
  });

  it("skips a named provider whose key secret is not set, and /ready shows the chain", async () => {
    const vars = { PROVIDERS: JSON.stringify({ together: local("") }), PREFERRED_PROVIDER: "together,openai" };
    const ready = await (await callWith(vars, "/ready")).json<ReadyBody>();
    expect(ready).toMatchObject({ ok: true, provider: "openai" });
    expect(ready.providers).toEqual([
      { name: "together", model: "local-echo", configured: false, local: true, reason: "LOCAL_LLM_KEY is not set" },
      { name: "openai", model: "gpt-4o-mini", configured: true, local: true },
    ]);
    const { headers } = await funded();
    const response = await completions({ messages: hello }, headers, vars);
    expect(response.headers.get("X-Provider")).toBe("openai");
  });

  it("needs no key for a server that takes none (Ollama, vLLM, llama.cpp)", async () => {
    const { headers } = await funded();
    const { key_secret: _none, ...keyless } = local("");
    const vars = {
      PROVIDERS: JSON.stringify({ ollama: { ...keyless, base: `${env.UPSTREAM_URL}/v1` } }),
      PREFERRED_PROVIDER: "ollama",
    };
    const ready = await (await callWith(vars, "/ready")).json<ReadyBody>();
    expect(ready.providers[0]).toEqual({ name: "ollama", model: "local-echo", configured: true, local: true });
    // The test upstream insists on its key, so the keyless call is refused: proof no key was sent.
    const response = await completions({ messages: hello }, headers, vars);
    expect(response.status).toBe(503);
    expect(JSON.stringify(await response.json())).toContain("rejected our credentials (401)");
  });

  it.each([
    ["PROVIDERS that is not JSON", { PROVIDERS: "{" }, "PROVIDERS"],
    ["a PROVIDERS entry without a base", { PROVIDERS: '{"x":{"model":"m"}}' }, "PROVIDERS"],
    [
      "a PROVIDERS entry named like a built-in",
      { PROVIDERS: '{"groq":{"base":"https://a.test/v1","model":"m"}}' },
      "PROVIDERS",
    ],
    ["PREFERRED_PROVIDER naming an unknown provider", { PREFERRED_PROVIDER: "openai,mystery" }, "PREFERRED_PROVIDER"],
    ["a tier naming an unknown provider", { INTELLIGENCE_TIERS: '{"smart":{"mystery":"m"}}' }, "INTELLIGENCE_TIERS"],
    [
      "PREFERRED_PROVIDER naming a provider of a rejected PROVIDERS",
      { PROVIDERS: '{"x":{"base":"nope","model":"m"}}', PREFERRED_PROVIDER: "x,openai" },
      "PREFERRED_PROVIDER",
    ],
  ])("names %s on /ready", async (_, vars, name) => {
    const response = await callWith(vars, "/ready");
    expect(response.status).toBe(503);
    const body = await response.json<{ problems: Array<{ name: string }> }>();
    expect(body.problems.map((p) => p.name)).toContain(name);
  });
});
