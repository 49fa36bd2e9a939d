import type { Route } from "./+types/home";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Cognomega" }, { name: "description", content: "Chat with Cognomega." }];
}

export default function Home() {
  return (
    <main className="mx-auto flex min-h-screen max-w-3xl flex-col items-center justify-center p-8">
      <h1 className="text-3xl font-semibold tracking-tight">Cognomega</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">Chat is loading…</p>
    </main>
  );
}
