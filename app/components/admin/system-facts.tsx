// Readiness, the AI binding and the published key ids, as an operator would check them.
import type { Readiness } from "~/server/health";

interface Props {
  ready: Readiness;
  aiBound: boolean;
  kids: string[];
  signingKid: string;
  providers: string[];
  /** Every provider the last hour's asks reached failed them all. */
  outage: boolean;
}

function Badge({ good, children }: { good: boolean; children: React.ReactNode }) {
  return (
    <span
      className={`rounded-full px-2 py-0.5 text-xs font-semibold ${
        good
          ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100"
          : "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100"
      }`}
    >
      {children}
    </span>
  );
}

export function SystemFacts({ ready, aiBound, kids, signingKid, providers, outage }: Props) {
  const serving = ready.ok && !outage;
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <section className="card" aria-labelledby="ready-title">
        <h2 id="ready-title" className="mb-2 flex items-center gap-2 font-semibold">
          Readiness <Badge good={serving}>{!ready.ok ? "not ready" : outage ? "providers failing" : "ready"}</Badge>
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="muted">Provider</dt>
          <dd data-testid="ready-provider">{ready.provider ?? "none"}</dd>
          <dt className="muted">Model</dt>
          <dd className="break-all">{ready.model ?? "none"}</dd>
          <dt className="muted">Order</dt>
          <dd>{providers.join(" → ")}</dd>
        </dl>
        {ready.ok && outage && (
          <p className="mt-2 text-sm text-red-800 dark:text-red-200" role="note">
            Configured, but every provider failed the last hour's asks: see provider health below.
          </p>
        )}
        {ready.local_upstream && (
          <p className="mt-2 text-sm text-amber-800 dark:text-amber-200">
            The local development upstream is answering (not a real LLM).
          </p>
        )}
        {ready.problems.length > 0 && (
          <ul className="mt-2 list-disc pl-5 text-sm text-red-800 dark:text-red-200">
            {ready.problems.map((problem) => (
              <li key={problem.name}>
                <code>{problem.name}</code>: {problem.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="ai-title">
        <h2 id="ai-title" className="mb-2 flex items-center gap-2 font-semibold">
          Workers AI <Badge good={aiBound}>{aiBound ? "bound" : "not bound"}</Badge>
        </h2>
        <p className="text-sm">
          {aiBound
            ? "The AI binding is attached to this Worker."
            : "Attach the AI binding in wrangler.toml and redeploy to use the cfai provider."}
        </p>
      </section>
      <section className="card" aria-labelledby="jwks-title">
        <h2 id="jwks-title" className="mb-2 font-semibold">
          Signing keys (JWKS)
        </h2>
        {kids.length ? (
          <ul className="flex flex-wrap gap-2 text-sm" data-testid="jwks-kids">
            {kids.map((kid) => (
              <li key={kid} className="rounded bg-zinc-100 px-2 py-0.5 font-mono dark:bg-zinc-800">
                {kid}
                {kid === signingKid ? " (signing)" : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-red-800 dark:text-red-200">No key is published in KEYS under “jwks”.</p>
        )}
      </section>
    </div>
  );
}
