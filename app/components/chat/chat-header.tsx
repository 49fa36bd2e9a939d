// The top bar: the conversations toggle (phones), the balance for account users or the allowance
// left for guests, the account choice and the theme.
import type { Ref } from "react";
import { ThemeToggle } from "../theme-toggle";
import { AccountMenu } from "./account-menu";

/** Credits as people read them: at most four decimals (a guest's allowance is small). */
export function formatCredits(credits: number): string {
  return credits.toLocaleString("en", { maximumFractionDigits: 4 });
}

interface Props {
  email: string | null;
  /** Signed in with an API key (not an asserted email). */
  signedIn: boolean;
  emailSignIn: boolean;
  balance: number | null;
  /** A guest's remaining free allowance, once known. */
  allowance: number | null;
  sidebarOpen: boolean;
  /** "Buy credits" for a signed-in account when top-ups are on. */
  buyCredits: React.ReactNode;
  onToggleSidebar(): void;
  toggleRef: Ref<HTMLButtonElement>;
}

export function ChatHeader({
  email,
  signedIn,
  emailSignIn,
  balance,
  allowance,
  sidebarOpen,
  buyCredits,
  onToggleSidebar,
  toggleRef,
}: Props) {
  return (
    // Wraps rather than overflow on the narrowest phones.
    <header className="flex flex-wrap items-center gap-1.5 border-b border-zinc-200 px-2 py-2 sm:gap-2 sm:px-3 dark:border-zinc-800">
      <button
        ref={toggleRef}
        type="button"
        className="btn-quiet px-2 md:hidden"
        onClick={onToggleSidebar}
        aria-expanded={sidebarOpen}
        aria-controls="sidebar"
        aria-label="Conversations"
      >
        <span aria-hidden="true">☰</span>
      </button>
      <h1 className="text-base font-semibold tracking-tight sm:text-lg">Cognomega</h1>
      <span className="flex-1" />
      {email && balance !== null && (
        <p className="rounded-full bg-zinc-100 px-3 py-1 text-sm tabular-nums dark:bg-zinc-800" aria-live="polite">
          <span className="sr-only">Balance: </span>
          <span data-testid="balance">{balance}</span> credits
        </p>
      )}
      {!email && (
        <p
          className={`${allowance === null ? "hidden sm:block" : ""} rounded-full bg-zinc-100 px-2 py-1 text-sm whitespace-nowrap sm:px-3 tabular-nums dark:bg-zinc-800`}
        >
          <span className="hidden sm:inline">Guest</span>
          {allowance !== null && (
            <>
              <span className="hidden sm:inline"> · </span>
              <span className="sr-only">allowance: </span>
              <span data-testid="guest-allowance">{formatCredits(allowance)}</span>{" "}
              <span className="hidden sm:inline">{allowance === 1 ? "credit" : "credits"}</span> left
            </>
          )}
        </p>
      )}
      {signedIn && buyCredits}
      <AccountMenu email={email} signedIn={signedIn} emailSignIn={emailSignIn} />
      {/* On phones the theme choice sits in the conversations drawer, to leave room here. */}
      <span className="hidden md:contents">
        <ThemeToggle />
      </span>
    </header>
  );
}
