// The chat's keys page: an account signed in with one of its API keys lists, makes and revokes
// its keys. Anyone else is sent back to the chat (keys.server.ts).
import { data, Link } from "react-router";
import { KeyTable } from "~/components/keys/key-table";
import { NewKeyForm } from "~/components/keys/new-key-form";
import { ThemeToggle } from "~/components/theme-toggle";
import { scopeOf } from "~/server/context";
import type { Route } from "./+types/keys";
import { keysAction, keysPageData } from "./keys.server";

export function meta() {
  return [{ title: "API keys · Cognomega" }];
}

export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  return keysPageData(request, scopeOf(context));
}

export async function action({ request, context }: Route.ActionArgs) {
  const keyForm = await keysAction(request, scopeOf(context));
  return data({ keyForm }, { status: keyForm.kind === "invalid" ? 400 : 200 });
}

export default function Keys({ loaderData }: Route.ComponentProps) {
  const { email, keyId, balance, keys } = loaderData;
  return (
    <div className="mx-auto flex min-h-dvh max-w-5xl flex-col gap-6 p-4 sm:p-6">
      <header className="flex flex-wrap items-center gap-3">
        <Link to="/" className="muted text-sm underline">
          ← Back to the chat
        </Link>
        <span className="flex-1" />
        <ThemeToggle />
      </header>
      <main className="flex flex-col gap-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="muted text-sm wrap-anywhere">
            {email} · {balance} credits · signed in with {keys.find((key) => key.id === keyId)?.prefix ?? "a key"}…
          </p>
        </div>
        <section className="card flex flex-col gap-3" aria-labelledby="keys-title">
          <h2 id="keys-title" className="text-lg font-semibold">
            Your keys
          </h2>
          <p className="muted text-sm">
            A key works everywhere the API does (Authorization: Bearer cg_sk_… or X-Api-Key); a revoked key stops on its
            next request. Revoking the key you are signed in with signs you out.
          </p>
          <KeyTable keys={keys} />
        </section>
        <NewKeyForm />
      </main>
    </div>
  );
}
