// Reading what a request carries, safely: bounded bodies, JSON that parses, query strings and
// forms as text fields, and a schema that holds — so services get typed input.
import type { z } from "zod";
import { ApiError, badRequest } from "./errors";

export const DEFAULT_JSON_LIMIT = 64 * 1024;

/** Reads at most `limit` bytes of the body; anything larger is a 413 without reading the rest. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return "";
  // A declared length within the limit: read it in one call (the framing holds it to that length).
  if (declared !== null && /^\d+$/.test(declared)) return decodeUtf8(new Uint8Array(await request.arrayBuffer()));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes);
}

/** One decoder for every body: decoding a whole buffer keeps no state between calls. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid UTF-8.");
  }
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, "payload_too_large", `The body is larger than ${limit} bytes.`, { limit });
}

/** Parses a JSON body against `schema`; an empty body counts as `{}` when `emptyAsObject`. */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { limit?: number; emptyAsObject?: boolean } = {},
): Promise<z.output<S>> {
  const text = await readBodyText(request, options.limit ?? DEFAULT_JSON_LIMIT);
  let value: unknown;
  if (!text.trim()) {
    if (!options.emptyAsObject) throw new ApiError(400, "invalid_json", "A JSON body is required.");
    value = {};
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "The body is not valid JSON.");
    }
  }
  return validate(schema, value);
}

/** Checks `value` against `schema`; failures become a 400 naming the fields. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 10).map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
  const first = issues[0];
  throw badRequest(first ? `${first.path}: ${first.message}` : "The request is not valid.", { issues });
}

/** A query string's or a form's text fields (the first value of each name; files are ignored). */
export function textFields(source: URLSearchParams | FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of source) if (typeof value === "string" && !(name in out)) out[name] = value;
  return out;
}

/** Parses the query string against `schema`; failures become a 400 naming the fields. */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  return validate(schema, textFields(url.searchParams));
}
