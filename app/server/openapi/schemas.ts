// Schemas only the description needs: the error envelope every non-/v1 route answers with, and
// zod → JSON Schema (2020-12, the dialect OpenAPI 3.1 uses) for what is sent and answered.
import { z } from "zod";

export const envelopeSchema = z.object({
  ok: z.literal(false),
  error: z.looseObject({ code: z.string(), message: z.string() }),
  request_id: z.string(),
});

function convert(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...out } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Record<string, unknown>;
  return out;
}

/** What a client sends: the schema's input (transforms and refinements are the server's own). */
export const inputSchema = (schema: z.ZodType) => convert(schema, "input");

/** What the server answers. */
export const outputSchema = (schema: z.ZodType) => convert(schema, "output");
