// The admin dashboard's frame: every page under /admin needs a live admin session (checked by
// the middleware before any loader or action runs); signing out revokes it.
import { Form, NavLink, Outlet, redirect } from "react-router";
import { useHeadingFocusOnNavigation } from "~/components/admin/use-heading-focus";
import { ThemeToggle } from "~/components/theme-toggle";
import { signOut } from "~/server/admin/session";
import { scopeOf } from "~/server/context";
import type { Route } from "./+types/admin";
import { requireAdminSession } from "./admin.server";

export const middleware: Route.MiddlewareFunction[] = [(args) => requireAdminSession(args)];

export function headers() {
  return { "Cache-Control": "private, no-store" };
}

export function meta() {
  return [{ title: "Cognomega admin" }];
}

/** Sign out: POST /admin. The session is revoked on the server, so a copied cookie ends too. */
export async function action({ request, context }: Route.ActionArgs) {
  throw redirect("/admin/sign-in", { headers: { "Set-Cookie": await signOut(request, scopeOf(context)) } });
}

const tab = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-1.5 text-sm font-medium ${
    isActive
      ? "bg-zinc-200 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100"
      : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-900"
  }`;

export default function AdminLayout() {
  useHeadingFocusOnNavigation();
  return (
    <div className="min-h-dvh bg-zinc-50 dark:bg-zinc-950">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-2 px-4 py-2">
          <p className="mr-2 font-semibold">Cognomega admin</p>
          <nav aria-label="Dashboard" className="flex gap-1">
            <NavLink to="/admin" end className={tab}>
              Overview
            </NavLink>
            <NavLink to="/admin/accounts" className={tab}>
              Accounts
            </NavLink>
            <NavLink to="/admin/system" className={tab}>
              System
            </NavLink>
          </nav>
          <span className="flex-1" />
          <a href="/" className="btn-quiet">
            Chat
          </a>
          <ThemeToggle />
          <Form method="post" action="/admin">
            <button type="submit" className="btn-outline">
              Sign out
            </button>
          </Form>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 outline-none">
        <Outlet />
      </main>
    </div>
  );
}
