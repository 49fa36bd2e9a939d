// Shared helpers for the /v1 tests: OpenAI-protocol requests through the real Worker, the
// OpenAI error shape, and the local upstream's log of what it was sent.
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { openAiErrorSchema } from "../../app/server/llm/v1/answers";
import { readSse } from "../../app/shared/sse";
import { adminHeaders, call, callWith, grant, postJson, uniqueEmail, upstream } from "./helpers";

export interface UpstreamRequest {
  tag: string | null;
  model: string | null;
  stream: boolean;
  params: Record<string, unknown>;
  images: number;
  roles: string[];
  client_aborted: boolean;
}

export async function sentUpstream(tag: string): Promise<UpstreamRequest[]> {
  const response = await fetch(`${env.UPSTREAM_URL}/__log?tag=${encodeURIComponent(tag)}`);
  return (await response.json<{ requests: UpstreamRequest[] }>()).requests;
}

/** An upstream base that tags every request, so a test can read back what the gateway sent. */
export function tagged(switches = "") {
  const tag = crypto.randomUUID();
  return { tag, vars: { OPENAI_BASE: upstream(`${switches};tag=${tag}`) } };
}

/** An account with `amount` credits and an API key for it, sent as OpenAI's clients send keys. */
export async function funded(amount = 10) {
  const email = uniqueEmail("v1");
  if (amount > 0) await grant(email, amount);
  const made = await postJson("/api/admin/keys", { email, name: "v1 tests" }, adminHeaders());
  if (made.status !== 201) throw new Error(`key creation failed: ${made.status} ${await made.text()}`);
  const { key } = await made.json<{ key: { secret: string } }>();
  return { email, key: key.secret, headers: { Authorization: `Bearer ${key.secret}` } };
}

export function completions(body: unknown, headers: Record<string, string> = {}, vars?: Record<string, unknown>) {
  const init = {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
  return vars ? callWith(vars, "/v1/chat/completions", init) : call("/v1/chat/completions", init);
}

export const hello = [{ role: "user", content: "hello" }];

/** Checks OpenAI's error shape and status; returns the error object. */
export async function expectOpenAiError(response: Response, status: number, code?: string) {
  const body = await response.json<{ error: Record<string, unknown> }>();
  expect({ status: response.status, body }).toMatchObject({
    status,
    body: {
      error: {
        message: expect.any(String),
        type: expect.any(String),
        code: code ?? expect.anything(),
      },
    },
  });
  expect(body.error).toHaveProperty("param");
  expect(body).not.toHaveProperty("ok");
  // The shape /openapi.json documents.
  expect(openAiErrorSchema.safeParse(body).error).toBeUndefined();
  return body.error as { message: string; type: string; param: string | null; code: string; metadata?: unknown };
}

/** A /v1 stream's `data:` payloads, parsed (`[DONE]` kept as the string). */
export async function dataLines(response: Response): Promise<Array<V1Body | "[DONE]">> {
  const out: Array<V1Body | "[DONE]"> = [];
  if (!response.body) return out;
  for await (const { data } of readSse(response.body)) out.push(data === "[DONE]" ? "[DONE]" : JSON.parse(data));
  return out;
}

export const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

export interface V1Message {
  role: string;
  content: string | null;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
}

/** A chat.completion or a chunk, loosely: the fields the tests read. */
export interface V1Body {
  id: string;
  object: string;
  model: string;
  choices: Array<{
    index: number;
    message: V1Message;
    delta: Partial<V1Message> & { tool_calls?: unknown[] };
    finish_reason: string | null;
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number };
  error?: { message: string; type: string; code: string; param: null };
}

export interface ReadyBody {
  ok: boolean;
  provider: string | null;
  providers: Array<Record<string, unknown>>;
}
