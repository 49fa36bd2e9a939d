// Adjust a balance by a delta or to a set value, with a reason; large changes ask to confirm.
import { type RefObject, useEffect, useRef } from "react";
import { Form, Link, useNavigation } from "react-router";
import type { AdjustOutcome } from "~/routes/adjust.server";
import { Field } from "./field";
import { focusPageHeading } from "./use-heading-focus";

interface Props {
  outcome: AdjustOutcome | undefined;
  balance: number;
  idempotencyKey: string;
}

/**
 * Where focus goes once the server has answered: the page heading after a change (the status
 * line says what happened), the question when a large change needs confirming, the first
 * field in error otherwise.
 */
function useFocusAfter(outcome: AdjustOutcome | undefined, box: RefObject<HTMLElement | null>) {
  useEffect(() => {
    if (outcome?.kind === "applied") focusPageHeading();
    else if (outcome?.kind === "confirm") box.current?.querySelector<HTMLElement>("[data-confirm]")?.focus();
    else if (outcome?.kind === "invalid") {
      box.current?.querySelector<HTMLElement>("[aria-invalid=true], [data-form-error]")?.focus();
    }
  }, [outcome, box]);
}

function Confirm({ outcome }: { outcome: Extract<AdjustOutcome, { kind: "confirm" }> }) {
  const { values, previous, next } = outcome;
  return (
    <Form method="post" className="flex flex-col gap-3" aria-labelledby="confirm-title">
      <div
        data-confirm
        tabIndex={-1}
        role="alert"
        className="rounded-md bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
      >
        <p id="confirm-title" className="font-semibold">
          Confirm a large change
        </p>
        <p>
          The balance goes from <strong>{previous}</strong> to <strong>{Number(next.toFixed(6))}</strong> credits
          (reason: “{values.reason}”).
        </p>
      </div>
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="confirmed" value="yes" />
      <div className="flex gap-2">
        <button type="submit" className="btn-danger">
          Yes, apply it
        </button>
        <Link to="." className="btn-quiet">
          Cancel
        </Link>
      </div>
    </Form>
  );
}

export function AdjustForm({ outcome, balance, idempotencyKey }: Props) {
  const busy = useNavigation().state === "submitting";
  const box = useRef<HTMLElement>(null);
  useFocusAfter(outcome, box);
  const invalid = outcome?.kind === "invalid" ? outcome : undefined;
  const values = invalid?.values;
  return (
    <section ref={box} className="card flex flex-col gap-3 self-start" aria-labelledby="adjust-title">
      <h2 id="adjust-title" className="text-lg font-semibold">
        Adjust balance
      </h2>
      {outcome?.kind === "applied" && (
        <p
          role="status"
          className="rounded-md bg-emerald-50 p-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
        >
          Done: {outcome.previous} → {outcome.balance} credits.
        </p>
      )}
      {outcome?.kind === "confirm" ? (
        <Confirm outcome={outcome} />
      ) : (
        <Form method="post" className="flex flex-col gap-3" noValidate>
          <input type="hidden" name="key" value={values?.key || idempotencyKey} />
          <fieldset>
            <legend className="label">Change</legend>
            <div className="flex gap-4 text-sm">
              <label className="flex items-center gap-1.5">
                <input type="radio" name="mode" value="delta" defaultChecked={(values?.mode ?? "delta") === "delta"} />
                Add or remove
              </label>
              <label className="flex items-center gap-1.5">
                <input type="radio" name="mode" value="set" defaultChecked={values?.mode === "set"} />
                Set to
              </label>
            </div>
          </fieldset>
          <Field
            id="adjust-amount"
            label="Amount (credits)"
            error={invalid?.errors.amount ?? invalid?.errors.mode}
            hint={`Now ${balance}. Use a minus sign to remove.`}
          >
            <input name="amount" inputMode="decimal" defaultValue={values?.amount} className="field" />
          </Field>
          <Field
            id="adjust-reason"
            label="Reason"
            error={invalid?.errors.reason}
            hint="Kept in the ledger with the change."
          >
            <input name="reason" defaultValue={values?.reason} maxLength={500} className="field" />
          </Field>
          {invalid?.errors.form && (
            <p role="alert" tabIndex={-1} data-form-error className="text-sm text-red-700 dark:text-red-300">
              {invalid.errors.form}
            </p>
          )}
          <button type="submit" className="btn-primary" disabled={busy}>
            {busy ? "Applying…" : "Apply"}
          </button>
        </Form>
      )}
    </section>
  );
}
