// Admin sign-in: the key is checked here once and never stored in the browser; what the browser
// keeps is a signed session cookie (see app/server/admin/session.ts).
import { useEffect } from "react";
import { data, Form, redirect, useNavigation } from "react-router";
import { z } from "zod";
import { Field } from "~/components/admin/field";
import { ThemeToggle } from "~/components/theme-toggle";
import { adminSessionState, signIn } from "~/server/admin/session";
import { scopeOf } from "~/server/context";
import { textFields } from "~/server/http/json";
import type { Route } from "./+types/admin.sign-in";
import { attempt, safeNext } from "./admin.server";
import { fieldErrors } from "./forms.server";

const signInForm = z.object({
  key: z.string().min(1, "Enter the admin key.").max(1024, "That is longer than any admin key."),
  next: z.string().max(2048).optional(),
});

export function meta() {
  return [{ title: "Sign in · Cognomega admin" }];
}

export async function loader({ request, context, url }: Route.LoaderArgs) {
  const state = await adminSessionState(request, scopeOf(context));
  const next = safeNext(url.searchParams.get("next"));
  if (state === "signed-in") throw redirect(next);
  return { disabled: state === "disabled", next };
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = scopeOf(context);
  const parsed = signInForm.safeParse(textFields(await request.formData()));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
  // Wrong keys are counted per address with the API's (ADMIN_AUTH_RATE_LIMIT a minute): past
  // it, 429 for every key from there until the window has passed.
  const signedIn = await attempt(() => signIn(request, scope, parsed.data.key));
  if (!signedIn.ok) return data({ errors: { key: signedIn.problem.message } }, { status: signedIn.problem.status });
  const result = signedIn.value;
  if (result.ok) throw redirect(safeNext(parsed.data.next ?? null), { headers: { "Set-Cookie": result.cookie } });
  if (result.reason === "disabled") return data({ errors: { key: "Admin is disabled here." } }, { status: 503 });
  return data({ errors: { key: "That admin key is not valid." } }, { status: 401 });
}

export default function AdminSignIn({ loaderData, actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === "submitting";
  const error = actionData?.errors.key;
  // A refused key: back to the field, with its error read out (each refusal, even the same one).
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new actionData is the trigger
  useEffect(() => {
    if (error) document.getElementById("admin-key")?.focus();
  }, [error, actionData]);
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 p-4">
      <div className="card w-full max-w-sm shadow-sm">
        <div className="mb-4 flex items-center justify-between">
          <h1 className="text-xl font-semibold">Cognomega admin</h1>
          <ThemeToggle />
        </div>
        {loaderData.disabled ? (
          <p role="alert">
            Admin is disabled on this deployment: <code>ADMIN_API_KEY</code> is not set. Set it as a secret (
            <code>wrangler secret put ADMIN_API_KEY</code>) to use the dashboard.
          </p>
        ) : (
          <Form method="post" className="flex flex-col gap-4">
            <input type="hidden" name="next" value={loaderData.next} />
            <Field
              id="admin-key"
              label="Admin key"
              error={error}
              hint="Kept on the server: your browser only holds an 8-hour session."
            >
              <input name="key" type="password" autoComplete="current-password" required className="field" />
            </Field>
            <button type="submit" className="btn-primary" disabled={busy}>
              {busy ? "Signing in…" : "Sign in"}
            </button>
          </Form>
        )}
      </div>
      <a href="/" className="muted text-sm underline">
        Back to the chat
      </a>
    </main>
  );
}
