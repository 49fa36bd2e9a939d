// GET /openapi.json: an OpenAPI 3.1 description of the whole HTTP API, built from the route table
// (every path and alias, every method it answers) and the operations table (the schemas the
// routes validate with, as JSON Schema) — so it cannot drift from what is served. Built once per
// isolate.
import type { ApiRoute } from "../http/api-table";
import { openAiErrorSchema } from "../llm/v1/answers";
import { openAiErrorResponse } from "../llm/v1/errors";
import { type Method, OPERATIONS, type OperationDoc } from "./operations";
import { envelopeSchema, inputSchema, outputSchema } from "./schemas";

type Json = Record<string, unknown>;

const HEADER_DOCS: Record<string, string> = {
  "Idempotency-Key": "A retried request with the same key takes effect once and returns the first answer.",
  "X-Intelligence-Tier": "An intelligence tier: each provider's model for it replaces the default.",
};

const SECURITY: Record<OperationDoc["auth"], Json[]> = {
  none: [],
  identity: [{ bearer: [] }, { apiKey: [] }, { cookie: [] }, { userEmail: [] }],
  key: [{ bearer: [] }, { apiKey: [] }],
  admin: [{ adminKey: [] }],
};

/** `/api/jobs/:id` as OpenAPI writes it, with its path parameters. */
function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: converted, params };
}

function operationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]?.toUpperCase() + w.slice(1))].join("");
}

function queryParameters(doc: OperationDoc): Json[] {
  if (!doc.query) return [];
  const schema = inputSchema(doc.query) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function operation(method: Method, path: string, params: string[], doc: OperationDoc, openAi: boolean): Json {
  const errorRef = { $ref: openAi ? "#/components/schemas/OpenAiError" : "#/components/schemas/ErrorEnvelope" };
  const json = doc.success.schema ? { schema: outputSchema(doc.success.schema) } : {};
  return {
    operationId: operationId(method, path),
    summary: doc.summary,
    tags: [doc.tag],
    security: SECURITY[doc.auth],
    parameters: [
      ...params.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
      ...queryParameters(doc),
      ...(doc.headers ?? []).map((name) => ({
        name,
        in: "header",
        required: false,
        description: HEADER_DOCS[name],
        schema: { type: "string" },
      })),
    ],
    ...(doc.body
      ? { requestBody: { required: true, content: { "application/json": { schema: inputSchema(doc.body) } } } }
      : doc.binaryBody
        ? { requestBody: { required: true, content: { "application/octet-stream": { schema: {} } } } }
        : {}),
    responses: {
      [String(doc.success.status)]: {
        description: doc.success.description,
        content: doc.success.audio
          ? {
              "audio/mpeg": { schema: { type: "string", format: "binary" } },
              "audio/wav": { schema: { type: "string", format: "binary" } },
            }
          : {
              "application/json": json,
              ...(doc.success.stream ? { "text/event-stream": { schema: { type: "string" } } } : {}),
            },
      },
      "4XX": {
        description: "Refused: bad input, identity, credits, not found",
        content: { "application/json": { schema: errorRef } },
      },
      "5XX": {
        description: "Not available now (misconfigured, no provider)",
        content: { "application/json": { schema: errorRef } },
      },
    },
  };
}

export function openApiDocument(routes: readonly ApiRoute[]): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const docs = OPERATIONS[route.paths[0] ?? ""] ?? {};
    const methods = route.endpoint.allow.split(", ").filter((m): m is Method => m in docs);
    const openAi = route.errors === openAiErrorResponse;
    for (const raw of route.paths) {
      const { path, params } = openApiPath(raw);
      paths[path] = Object.fromEntries(
        methods.map((method) => [
          method.toLowerCase(),
          operation(method, raw, params, docs[method] as OperationDoc, openAi),
        ]),
      );
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Cognomega",
      version: "1",
      description:
        "An LLM gateway billed in credits: its own API (/api, /auth) and OpenAI's protocol (/v1). Aliases are listed as paths of their own.",
    },
    paths,
    components: {
      schemas: { ErrorEnvelope: outputSchema(envelopeSchema), OpenAiError: outputSchema(openAiErrorSchema) },
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An account API key (cg_sk_…), or a token from /auth/guest or /auth/token",
        },
        apiKey: { type: "apiKey", in: "header", name: "X-Api-Key", description: "An account API key (cg_sk_…)" },
        cookie: { type: "apiKey", in: "cookie", name: "cg_token", description: "The session token's cookie" },
        userEmail: {
          type: "apiKey",
          in: "header",
          name: "X-User-Email",
          description:
            "An email: as sent with IDENTITY_MODE=asserted, else with its proof (a key, a token, the admin key)",
        },
        adminKey: { type: "apiKey", in: "header", name: "X-Admin-Key" },
      },
    },
  };
}

let built: Json | undefined;

/** The document for `routes`, built on first use and kept for the isolate's life. */
export function cachedDocument(routes: readonly ApiRoute[]): Json {
  built ??= openApiDocument(routes);
  return built;
}
