// Retention cleanup: a dry run shows what would go, and only then can the real run be started
// with exactly the previewed settings.
import { Form, useNavigation } from "react-router";
import type { cleanup } from "~/server/admin/cleanup";
import { Field } from "./field";

type Result = Awaited<ReturnType<typeof cleanup>>;

type Outcome =
  | { kind: "invalid"; errors: Record<string, string | undefined>; values: Record<string, string> }
  | { kind: "preview" | "run"; result: Result; values: Record<string, string> };

function Tally({ result }: { result: Result }) {
  const verb = result.dry_run ? "would delete" : "deleted";
  const count = (t: { matched: number; deleted: number }) =>
    result.dry_run ? Math.min(t.matched, result.limit) : t.deleted;
  return (
    <ul className="list-disc pl-5 text-sm" data-testid="cleanup-tally">
      {result.usage && (
        <li>
          Usage records: {result.usage.matched} older than the cutoff across {result.usage.accounts} accounts; {verb}{" "}
          {count(result.usage)}.
        </li>
      )}
      {result.jobs && (
        <li>
          Finished jobs: {result.jobs.matched} older than the cutoff of {result.jobs.scanned} scanned; {verb}{" "}
          {count(result.jobs)}.
        </li>
      )}
    </ul>
  );
}

export function CleanupPanel({ outcome }: { outcome: Outcome | undefined }) {
  const busy = useNavigation().state === "submitting";
  const values = outcome?.values ?? {};
  const errors = outcome?.kind === "invalid" ? outcome.errors : {};
  return (
    <section className="card flex flex-col gap-4" aria-labelledby="cleanup-title">
      <div>
        <h2 id="cleanup-title" className="text-lg font-semibold">
          Cleanup
        </h2>
        <p className="muted text-sm">Prunes old usage records and finished jobs. Balances are never touched.</p>
      </div>
      <Form method="post" className="grid gap-3 sm:grid-cols-4 sm:items-start" noValidate>
        <Field id="cleanup-kind" label="What" error={errors.kind}>
          <select name="kind" defaultValue={values.kind ?? "both"} className="field">
            <option value="both">Usage and jobs</option>
            <option value="usage">Usage records</option>
            <option value="jobs">Finished jobs</option>
          </select>
        </Field>
        <Field id="cleanup-days" label="Older than (days)" error={errors.older_than_days}>
          <input
            name="older_than_days"
            inputMode="numeric"
            defaultValue={values.older_than_days ?? "30"}
            className="field"
          />
        </Field>
        <Field id="cleanup-limit" label="At most" error={errors.limit}>
          <input name="limit" inputMode="numeric" defaultValue={values.limit ?? "500"} className="field" />
        </Field>
        <button type="submit" name="intent" value="preview" className="btn-outline sm:mt-6" disabled={busy}>
          Preview (dry run)
        </button>
      </Form>
      {outcome && outcome.kind !== "invalid" && (
        <div
          role="status"
          className={`flex flex-col gap-2 rounded-md p-3 ${
            outcome.kind === "preview" ? "bg-zinc-100 dark:bg-zinc-800" : "bg-emerald-50 dark:bg-emerald-950"
          }`}
        >
          <p className="font-medium">
            {outcome.kind === "preview" ? "Dry run" : "Cleanup finished"}: cutoff {outcome.result.cutoff.slice(0, 10)}
          </p>
          <Tally result={outcome.result} />
          {outcome.kind === "preview" && (
            <Form method="post">
              {["kind", "older_than_days", "limit"].map((name) => (
                <input key={name} type="hidden" name={name} value={values[name] ?? ""} />
              ))}
              <button type="submit" name="intent" value="run" className="btn-danger" disabled={busy}>
                Run this cleanup now
              </button>
            </Form>
          )}
        </div>
      )}
    </section>
  );
}
