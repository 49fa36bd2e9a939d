// Guest or "use my account email": the choice is kept server-side in a cookie, and the chat
// then sends it as X-User-Email. Where the service trusts verified identities only, it says so.
import { useFetcher } from "react-router";

interface Props {
  email: string | null;
  emailSignIn: boolean;
}

interface ActionResult {
  ok: boolean;
  error?: string;
}

export function AccountMenu({ email, emailSignIn }: Props) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";

  if (email) {
    return (
      <fetcher.Form method="post" action="/?index" className="flex items-center gap-2">
        <span className="hidden max-w-48 truncate text-sm sm:inline" title={email}>
          {email}
        </span>
        <input type="hidden" name="intent" value="forget-email" />
        <button type="submit" className="btn-quiet" disabled={busy}>
          Use as guest
        </button>
      </fetcher.Form>
    );
  }

  const error = fetcher.data?.error;
  return (
    <details
      className="relative"
      onKeyDown={(event) => {
        if (event.key === "Escape") event.currentTarget.open = false;
      }}
    >
      <summary className="btn-outline cursor-pointer list-none px-2 whitespace-nowrap sm:px-3">
        Use my <span className="hidden sm:inline">account</span> email
      </summary>
      <div className="card absolute right-0 z-40 mt-2 w-72 shadow-lg">
        {emailSignIn ? (
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
            {error ? (
              <p id="account-email-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
                {error}
              </p>
            ) : (
              <p id="account-email-hint" className="muted text-xs">
                Your chats then use that account's credits instead of the guest allowance.
              </p>
            )}
            <button type="submit" className="btn-primary" disabled={busy}>
              {busy ? "Saving…" : "Use this email"}
            </button>
          </fetcher.Form>
        ) : (
          <p className="text-sm">
            This service trusts verified identities only, so an email cannot be used without a signed token. You are
            chatting as a guest.
          </p>
        )}
      </div>
    </details>
  );
}
