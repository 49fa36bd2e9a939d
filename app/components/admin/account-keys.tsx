// The dashboard's view of an email account's API keys: the list (revoke with a confirmation) and
// the form that makes one, its secret shown once.
import { type KeyRow, KeyTable } from "~/components/keys/key-table";
import { NewKeyForm } from "~/components/keys/new-key-form";

export function AccountKeys({ keys }: { keys: KeyRow[] }) {
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <section className="card flex flex-col gap-3" aria-labelledby="account-keys-title">
        <h2 id="account-keys-title" className="text-lg font-semibold">
          API keys
        </h2>
        <KeyTable keys={keys} />
      </section>
      <NewKeyForm />
    </div>
  );
}
