// Shared by the admin dashboard's routes: the session gate, and turning a server module's
// ApiError into words on the page instead of a 500.
import { type RouterContextProvider, redirect } from "react-router";
import { adminSessionState } from "~/server/admin/session";
import { scopeOf } from "~/server/context";
import { ApiError } from "~/server/http/errors";

/** Redirects to the sign-in page unless the request carries a live admin session. */
export async function requireAdminSession({
  request,
  context,
  url,
}: {
  request: Request;
  context: Readonly<RouterContextProvider>;
  /** The page's URL (without React Router's data-request details). */
  url: URL;
}): Promise<void> {
  const state = await adminSessionState(request, scopeOf(context));
  if (state !== "signed-in") {
    throw redirect(`/admin/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
}

/** Only paths inside the dashboard are followed after sign-in (no open redirects). */
export function safeNext(raw: string | null): string {
  if (!raw || !/^\/admin(?:[/?]|$)/.test(raw) || raw.startsWith("//")) return "/admin";
  return raw;
}

export interface PageProblem {
  status: number;
  code: string;
  message: string;
}

/** Runs a server-module call; an ApiError comes back as a problem to show, anything else throws. */
export async function attempt<T>(
  run: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; problem: PageProblem }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (error instanceof ApiError) {
      return { ok: false, problem: { status: error.status, code: error.code, message: error.message } };
    }
    throw error;
  }
}
