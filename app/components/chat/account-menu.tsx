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

interface FieldPanelProps {
  label: React.ReactNode;
  width: string;
  /** The form's `intent` (routes/home.tsx). */
  intent: string;
  /** The one field: its id (also its error and hint ids), visible label and input attributes. */
  field: { id: string; label: string } & React.InputHTMLAttributes<HTMLInputElement>;
  hint: string;
  submit: string;
  busy: string;
}

/** A header panel with one field, posted to the chat route; its error or hint under the field. */
function FieldPanel({ label, width, intent, field, hint, submit, busy: busyText }: FieldPanelProps) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  const error = fetcher.data?.ok === false ? fetcher.data.error : undefined;
  const { id, label: fieldLabel, className, ...input } = field;
  return (
    <Popover width={width} label={label}>
      <fetcher.Form method="post" action="/?index" className="flex flex-col gap-2" noValidate>
        <input type="hidden" name="intent" value={intent} />
        <label htmlFor={id} className="label">
          {fieldLabel}
        </label>
        <input
          id={id}
          required
          className={`field ${className ?? ""}`.trim()}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          {...input}
        />
        <FieldNote id={id} error={error} hint={hint} />
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? busyText : submit}
        </button>
      </fetcher.Form>
    </Popover>
  );
}

function KeySignIn() {
  return (
    <FieldPanel
      width="sm:w-80"
      label={
        <>
          Sign in<span className="sr-only sm:not-sr-only"> with API key</span>
        </>
      }
      intent="sign-in-key"
      field={{
        id: "api-key",
        label: "API key",
        name: "api_key",
        type: "password",
        autoComplete: "off",
        spellCheck: false,
        className: "font-mono",
      }}
      hint="The key (cg_sk_…) stays on the server: this browser only keeps a session."
      submit="Sign in"
      busy="Signing in…"
    />
  );
}

function EmailChoice() {
  return (
    <FieldPanel
      width="sm:w-72"
      label={
        <>
          Use my <span className="hidden sm:inline">account</span> email
        </>
      }
      intent="use-email"
      field={{ id: "account-email", label: "Account email", name: "email", type: "email", autoComplete: "email" }}
      hint="Your chats then use that account's credits instead of the guest allowance."
      submit="Use this email"
      busy="Saving…"
    />
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
