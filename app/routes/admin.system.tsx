// System: readiness as /ready reports it beside what recent asks found (provider health, so an
// outage of every provider does not read "ready"), the Workers AI binding, the published signing
// keys, and retention cleanup (always previewed as a dry run before the real run).
import { data } from "react-router";
import { z } from "zod";
import { CleanupPanel } from "~/components/admin/cleanup-panel";
import { allFailing, ProviderHealthTable } from "~/components/admin/provider-health";
import { SystemFacts } from "~/components/admin/system-facts";
import { cleanup, cleanupSchema } from "~/server/admin/cleanup";
import { readJwks } from "~/server/auth/keys";
import { scopeOf } from "~/server/context";
import { readiness } from "~/server/health";
import { textFields } from "~/server/http/json";
import { aiBound } from "~/server/llm/providers/workers-ai";
import { providerHealth } from "~/server/stats/overview";
import type { Route } from "./+types/admin.system";
import { fieldErrors } from "./forms.server";

const whole = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));

const cleanupForm = z.object({
  intent: z.enum(["preview", "run"]),
  kind: z.enum(["usage", "jobs", "both"], { error: "Choose what to clean up." }),
  older_than_days: whole(1, 3650, "A whole number of days from 1 to 3650."),
  limit: whole(1, 10_000, "A whole number from 1 to 10,000."),
});

export function meta() {
  return [{ title: "System · Cognomega admin" }];
}

export async function loader({ context }: Route.LoaderArgs) {
  const scope = scopeOf(context);
  const [ready, jwks, health, lastHour] = await Promise.all([
    readiness(scope),
    readJwks(scope.env.KEYS),
    providerHealth(scope.env.STATS),
    providerHealth(scope.env.STATS, Date.now(), 3_600_000),
  ]);
  return {
    ready,
    health,
    outage: allFailing(lastHour),
    aiBound: aiBound(scope.env),
    kids: jwks?.keys.map((key) => key.kid) ?? [],
    signingKid: scope.config.kid,
    providers: scope.config.preferredProviders,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const fields = textFields(await request.formData());
  const invalid = (error: z.ZodError) =>
    data({ kind: "invalid" as const, errors: fieldErrors(error), values: fields }, { status: 400 });
  const form = cleanupForm.safeParse(fields);
  if (!form.success) return invalid(form.error);
  const { intent, ...choice } = form.data;
  // The server module's own limits (days 1-3650, limit 1-10,000).
  const input = cleanupSchema.safeParse({ ...choice, dry_run: intent === "preview" });
  if (!input.success) return invalid(input.error);
  return { kind: intent, result: await cleanup(scopeOf(context).env, input.data), values: fields };
}

export default function AdminSystem({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <div className="flex flex-col gap-6">
      <h1 tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">
        System
      </h1>
      <SystemFacts {...loaderData} />
      <ProviderHealthTable rows={loaderData.health} title="Provider health (asks of the last 24 hours)" />
      <CleanupPanel outcome={actionData} />
    </div>
  );
}
