// Form errors for route actions: a failed safeParse as one message per field. (The form's text
// fields come from textFields in ~/server/http/json, shared with query strings.)
import type { z } from "zod";

export type FieldErrors = Record<string, string | undefined>;

/** The first message for each field of a failed safeParse. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    out[field] ??= issue.message;
  }
  return out;
}
