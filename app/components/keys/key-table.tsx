// An account's API keys as a table — prefix, name, created, last used, spent, limit, state — each
// active key with a Revoke button that asks to confirm before it posts.
import { useState } from "react";
import { useFetcher } from "react-router";
import type { KeyFormOutcome } from "~/routes/keys-form.server";
import type { publicKey } from "~/server/keys/manage";
import { WideRegion } from "../wide-region";

export type KeyRow = ReturnType<typeof publicKey>;

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" }) : "—";

function RevokeButton({ row }: { row: KeyRow }) {
  const fetcher = useFetcher<{ keyForm: KeyFormOutcome }>();
  const [asking, setAsking] = useState(false);
  const failed = fetcher.data?.keyForm.kind === "invalid" ? fetcher.data.keyForm.errors.form : undefined;
  if (!asking) {
    return (
      <button type="button" className="btn-quiet px-2 py-1 text-sm" onClick={() => setAsking(true)}>
        Revoke<span className="sr-only"> {row.prefix}</span>
      </button>
    );
  }
  return (
    <fetcher.Form
      method="post"
      className="flex flex-wrap items-center gap-2"
      role="group"
      aria-label={`Revoke ${row.prefix}?`}
    >
      <input type="hidden" name="intent" value="revoke-key" />
      <input type="hidden" name="id" value={row.id} />
      <span className="text-sm">It stops working at once.</span>
      <button type="submit" className="btn-danger px-2 py-1 text-sm" disabled={fetcher.state !== "idle"}>
        Yes, revoke {row.prefix}
      </button>
      <button type="button" className="btn-quiet px-2 py-1 text-sm" onClick={() => setAsking(false)}>
        Keep it
      </button>
      {failed && (
        <span role="alert" className="text-sm text-red-700 dark:text-red-300">
          {failed}
        </span>
      )}
    </fetcher.Form>
  );
}

export function KeyTable({ keys }: { keys: KeyRow[] }) {
  if (keys.length === 0) return <p className="muted text-sm">No API keys yet.</p>;
  return (
    <WideRegion label="API keys, table">
      <table className="w-full text-left text-sm">
        <thead className="muted text-xs">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Key
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Name
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Created
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Last used
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Spent
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Limit
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              State
            </th>
            <th scope="col" className="py-1 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((row) => (
            <tr key={row.id} className="border-t border-zinc-200 align-top dark:border-zinc-800" data-key-id={row.id}>
              <td className="py-1.5 pr-3 font-mono whitespace-nowrap">{row.prefix}…</td>
              <td className="py-1.5 pr-3 wrap-anywhere">{row.name ?? "—"}</td>
              <td className="py-1.5 pr-3 whitespace-nowrap">{when(row.created_at)}</td>
              <td className="py-1.5 pr-3 whitespace-nowrap">{when(row.last_used_at)}</td>
              <td className="py-1.5 pr-3 tabular-nums">{row.spent}</td>
              <td className="py-1.5 pr-3 tabular-nums">{row.credit_limit ?? "none"}</td>
              <td className="py-1.5 pr-3">{row.state}</td>
              <td className="py-1.5">{row.state === "active" && <RevokeButton row={row} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </WideRegion>
  );
}
