// Make an API key: an optional name, credit limit and lifetime. The new key's secret is shown
// once, here, with a copy button — it is stored nowhere and cannot be shown again.
import { useEffect, useRef } from "react";
import { useFetcher } from "react-router";
import { Field } from "~/components/admin/field";
import { CopyButton } from "~/components/chat/copy-button";
import type { KeyFormOutcome } from "~/routes/keys-form.server";

function NewSecret({ secret, prefix }: { secret: string; prefix: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div
      ref={box}
      tabIndex={-1}
      role="status"
      className="flex flex-col gap-2 rounded-md bg-emerald-50 p-3 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-50"
    >
      <p className="font-semibold">Your new key {prefix}… — copy it now: it is shown only this once.</p>
      <div className="flex items-center gap-2">
        <code
          data-testid="new-key-secret"
          className="min-w-0 flex-1 break-all rounded bg-white/70 p-1.5 text-xs dark:bg-black/30"
        >
          {secret}
        </code>
        <CopyButton text={secret} label="Copy the new API key" />
      </div>
    </div>
  );
}

export function NewKeyForm() {
  const fetcher = useFetcher<{ keyForm: KeyFormOutcome }>();
  const outcome = fetcher.data?.keyForm;
  const invalid = outcome?.kind === "invalid" ? outcome : undefined;
  const busy = fetcher.state !== "idle";
  return (
    <section className="card flex flex-col gap-3" aria-labelledby="new-key-title">
      <h2 id="new-key-title" className="text-lg font-semibold">
        New API key
      </h2>
      {outcome?.kind === "created" && outcome.key.secret && (
        <NewSecret secret={outcome.key.secret} prefix={outcome.key.prefix} />
      )}
      <fetcher.Form method="post" className="flex flex-col gap-3" noValidate>
        <input type="hidden" name="intent" value="create-key" />
        <Field
          id="key-name"
          label="Name"
          error={invalid?.errors.name}
          hint="What the key is for, e.g. “laptop” or “CI”."
        >
          <input name="name" maxLength={100} defaultValue={invalid?.values.name} className="field" />
        </Field>
        <Field
          id="key-limit"
          label="Credit limit"
          error={invalid?.errors.credit_limit}
          hint="The most this key may ever spend. Leave empty for no limit."
        >
          <input
            name="credit_limit"
            inputMode="decimal"
            defaultValue={invalid?.values.credit_limit}
            className="field"
          />
        </Field>
        <Field
          id="key-days"
          label="Expires after (days)"
          error={invalid?.errors.expires_in_days}
          hint="Leave empty for a key that does not expire."
        >
          <input
            name="expires_in_days"
            inputMode="numeric"
            defaultValue={invalid?.values.expires_in_days}
            className="field"
          />
        </Field>
        {invalid?.errors.form && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {invalid.errors.form}
          </p>
        )}
        <button type="submit" className="btn-primary self-start" disabled={busy}>
          {busy ? "Making it…" : "Make a key"}
        </button>
      </fetcher.Form>
    </section>
  );
}
