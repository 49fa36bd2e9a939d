import { describe, expect, it } from "vitest";
import { API_ROUTES } from "../../app/api-routes";
import { OPERATIONS } from "../../app/server/openapi/operations";
import { envelopeSchema } from "../../app/server/openapi/schemas";
import { call, callWith } from "./helpers";

interface Document {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
        parameters: Array<{ name: string; in: string }>;
      }
    >
  >;
}

const answered = (allow: string) => allow.split(", ").filter((method) => !["HEAD", "OPTIONS"].includes(method));

describe("GET /openapi.json", () => {
  it("describes every path and alias the route table serves, with every method it answers", async () => {
    const response = await call("/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    const doc = await response.json<Document>();
    expect(doc.openapi).toBe("3.1.0");
    for (const route of API_ROUTES.routes) {
      for (const path of route.paths) {
        const item = doc.paths[path.replace(/:([A-Za-z_]+)/g, "{$1}")];
        expect(item, path).toBeDefined();
        expect(Object.keys(item ?? {}).sort(), path).toEqual(
          answered(route.endpoint.allow)
            .map((m) => m.toLowerCase())
            .sort(),
        );
      }
    }
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("has an entry for every route and method, and none for a route that is gone", () => {
    const served = new Set(API_ROUTES.routes.map((route) => route.paths[0]));
    for (const route of API_ROUTES.routes) {
      for (const method of answered(route.endpoint.allow)) {
        expect(OPERATIONS[route.paths[0] ?? ""]?.[method as "GET"], `${method} ${route.paths[0]}`).toBeDefined();
      }
    }
    for (const path of Object.keys(OPERATIONS)) expect(served.has(path), path).toBe(true);
  });

  it("describes request bodies and queries with the schemas the routes validate with", async () => {
    const doc = await (await call("/openapi.json")).json<Document>();
    const chat = doc.paths["/v1/chat/completions"]?.post?.requestBody?.content["application/json"]?.schema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(chat.properties)).toEqual(
      expect.arrayContaining(["model", "messages", "tools", "stream_options", "n"]),
    );
    expect(chat.required).toEqual(["messages"]);
    const ask = doc.paths["/api/si/ask"]?.post?.requestBody?.content["application/json"]?.schema as {
      additionalProperties: boolean;
    };
    expect(ask.additionalProperties).toBe(false);
    const usage = doc.paths["/api/billing/usage"]?.get?.parameters.filter((p) => p.in === "query").map((p) => p.name);
    expect(usage).toEqual(expect.arrayContaining(["limit", "cursor", "since", "until", "kind"]));
    expect(doc.paths["/api/jobs/{id}"]?.get?.parameters).toContainEqual(
      expect.objectContaining({ name: "id", in: "path" }),
    );
  });

  it("answers even while the configuration is broken", async () => {
    expect((await callWith({ PROVIDERS: "{" }, "/openapi.json")).status).toBe(200);
  });

  it("documents the error envelope the API really sends", async () => {
    const response = await call("/api/nothing-here");
    expect(envelopeSchema.safeParse(await response.json()).success).toBe(true);
  });
});
