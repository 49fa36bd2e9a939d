// Who the chat runs as. Signed in with an API key: the account, a link to its keys and "Sign out"
// (back to a guest session). A guest: "Sign in with API key" — and, only where the service takes
// asserted emails at their word (`asserted` mode), "Use my account email". The server keeps the
// session in an HttpOnly cookie (routes/session.server.ts).
import { Link, useFetcher } from "react-router";

interface Props {
  email: string | null;
  /** Signed in with an API key (rather than an asserted email). */
  signedIn: boolean;
  emailSignIn: boolean;
}

interface ActionResult {
  ok: boolean;
  error?: string;
}

function closeOnEscape(event: React.KeyboardEvent<HTMLDetailsElement>) {
  if (event.key === "Escape") event.currentTarget.open = false;
}

/** A header button that opens a small panel: below the header on a phone, under the button above `sm`. */
function Popover({ label, width, children }: { label: React.ReactNode; width: string; children: React.ReactNode }) {
  return (
    <details className="relative" onKeyDown={closeOnEscape}>
      <summary className="btn-outline cursor-pointer list-none px-2 whitespace-nowrap sm:px-3">{label}</summary>
      <div
        className={`card fixed inset-x-2 top-14 z-40 shadow-lg sm:absolute sm:inset-x-auto sm:top-auto sm:right-0 sm:mt-2 ${width}`}
      >
        {children}
      </div>
    </details>
  );
}

/** Under a field: its error (announced) when there is one, else its hint; `id` names the field. */
function FieldNote({ id, error, hint }: { id: string; error: string | undefined; hint: string }) {
  return error ? (
    <p id={`${id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-300">
      {error}
    </p>
  ) : (
    <p id={`${id}-hint`} className="muted text-xs">
      {hint}
    </p>
  );
}

function KeySignIn() {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  const error = fetcher.data?.ok === false ? fetcher.data.error : undefined;
  return (
    <Popover
      width="sm:w-80"
      label={
        <>
          Sign in<span className="sr-only sm:not-sr-only"> with API key</span>
        </>
      }
    >
      <fetcher.Form method="post" action="/?index" className="flex flex-col gap-2" noValidate>
        <input type="hidden" name="intent" value="sign-in-key" />
        <label htmlFor="api-key" className="label">
          API key
        </label>
        <input
          id="api-key"
          name="api_key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          className="field font-mono"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "api-key-error" : "api-key-hint"}
        />
        <FieldNote
          id="api-key"
          error={error}
          hint="The key (cg_sk_…) stays on the server: this browser only keeps a session."
        />
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </fetcher.Form>
    </Popover>
  );
}

function EmailChoice() {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  const error = fetcher.data?.error;
  return (
    <Popover
      width="sm:w-72"
      label={
        <>
          Use my <span className="hidden sm:inline">account</span> email
        </>
      }
    >
      <fetcher.Form method="post" action="/?index" className="flex flex-col gap-2" noValidate>
        <input type="hidden" name="intent" value="use-email" />
        <label htmlFor="account-email" className="label">
          Account email
        </label>
        <input
          id="account-email"
          name="email"
          type="email"
          autoComplete="email"
          required
          className="field"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "account-email-error" : "account-email-hint"}
        />
        <FieldNote
          id="account-email"
          error={error}
          hint="Your chats then use that account's credits instead of the guest allowance."
        />
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? "Saving…" : "Use this email"}
        </button>
      </fetcher.Form>
    </Popover>
  );
}

export function AccountMenu({ email, signedIn, emailSignIn }: Props) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  if (email) {
    return (
      <fetcher.Form method="post" action="/?index" className="flex items-center gap-2">
        <span className="hidden max-w-48 truncate text-sm sm:inline" title={email}>
          {email}
        </span>
        {signedIn && (
          <Link to="/keys" className="btn-quiet px-2">
            Keys
          </Link>
        )}
        <input type="hidden" name="intent" value={signedIn ? "sign-out" : "forget-email"} />
        <button type="submit" className="btn-quiet" disabled={busy}>
          {signedIn ? "Sign out" : "Use as guest"}
        </button>
      </fetcher.Form>
    );
  }
  return (
    <>
      <KeySignIn />
      {emailSignIn && <EmailChoice />}
    </>
  );
}
