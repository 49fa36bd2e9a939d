// The top bar: the conversations toggle (phones), the balance for account users, the account
// choice and the theme.
import { ThemeToggle } from "../theme-toggle";
import { AccountMenu } from "./account-menu";

interface Props {
  email: string | null;
  emailSignIn: boolean;
  balance: number | null;
  sidebarOpen: boolean;
  onToggleSidebar(): void;
}

export function ChatHeader({ email, emailSignIn, balance, sidebarOpen, onToggleSidebar }: Props) {
  return (
    <header className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <button
        type="button"
        className="btn-quiet md:hidden"
        onClick={onToggleSidebar}
        aria-expanded={sidebarOpen}
        aria-controls="sidebar"
        aria-label="Conversations"
      >
        <span aria-hidden="true">☰</span>
      </button>
      <h1 className="text-lg font-semibold tracking-tight">Cognomega</h1>
      <span className="flex-1" />
      {email && balance !== null && (
        <p className="rounded-full bg-zinc-100 px-3 py-1 text-sm tabular-nums dark:bg-zinc-800" aria-live="polite">
          <span className="sr-only">Balance: </span>
          <span data-testid="balance">{balance}</span> credits
        </p>
      )}
      {!email && <span className="muted hidden text-sm sm:inline">Guest</span>}
      <AccountMenu email={email} emailSignIn={emailSignIn} />
      <ThemeToggle />
    </header>
  );
}
