// Reading submitted forms for route actions: text fields only, checked by a zod schema.
import type { z } from "zod";

/** A form's text fields as a plain object (files and repeated names are ignored). */
export function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === "string" && !(name in out)) out[name] = value;
  return out;
}

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
