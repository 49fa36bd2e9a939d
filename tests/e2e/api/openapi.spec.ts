// /openapi.json as a client's tooling reads it: a valid OpenAPI 3.1 document, checked by a real
// validator (the OpenAPI Initiative's schemas), describing /v1 and the runbook's routes.
import { expect, test } from "@playwright/test";
import { Validator } from "@seriousme/openapi-schema-validator";

test("GET /openapi.json is a valid OpenAPI 3.1 document describing the whole API", async ({ request }) => {
  const response = await request.get("/openapi.json");
  expect(response.status()).toBe(200);
  const document = await response.json();
  const validator = new Validator();
  const result = await validator.validate(document);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe("3.1");
  for (const path of [
    "/v1/chat/completions",
    "/v1/models",
    "/v1/models/{id}",
    "/api/si/ask",
    "/auth/guest",
    "/ready",
  ]) {
    expect(Object.keys(document.paths)).toContain(path);
  }
});
