// The chat page. The loader makes sure the visitor has a session (guest, or an account signed in
// with an API key) and reads their balance; the action signs in with a key, signs out, and — in
// `asserted` mode only — remembers (or forgets) the "use my account email" choice.
import { createContext, data } from "react-router";
import { ChatPage } from "~/components/chat/chat-page";
import { scopeOf } from "~/server/context";
import { textFields } from "~/server/http/json";
import type { Route } from "./+types/home";
import { chatPageData, emailCookie, emailSchema } from "./chat.server";
import { fieldErrors } from "./forms.server";
import { signInWithKey, signOut } from "./session.server";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Cognomega" }, { name: "description", content: "Chat with Cognomega." }];
}

export function headers() {
  // The page carries the visitor's own email and balance. (The loader's Set-Cookie is kept.)
  return { "Cache-Control": "private, no-store" };
}

/** Set by the action: the loaders of the same request must not issue a session over its cookie. */
const actionRan = createContext(false);

export async function loader({ request, context }: Route.LoaderArgs) {
  const { cookie, page } = await chatPageData(request, scopeOf(context), { afterAction: context.get(actionRan) });
  return data(page, cookie ? { headers: { "Set-Cookie": cookie } } : undefined);
}

function withCookies(body: { ok: boolean; error?: string; email?: string }, cookies: string[], status = 200) {
  const headers = new Headers();
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return data(body, { status, headers });
}

export async function action({ request, context }: Route.ActionArgs) {
  const scope = scopeOf(context);
  context.set(actionRan, true);
  const fields = textFields(await request.formData());
  switch (fields.intent) {
    case "sign-in-key": {
      const result = await signInWithKey(request, scope, fields.api_key ?? "");
      if (!result.ok) return data({ ok: false, error: result.error }, { status: result.status });
      return withCookies({ ok: true, email: result.email }, result.cookies);
    }
    case "sign-out":
    case "forget-email":
      return withCookies({ ok: true }, await signOut(request));
    case "use-email": {
      if (scope.config.identityMode !== "asserted") {
        return data({ ok: false, error: "This service trusts verified identities only." }, { status: 403 });
      }
      const parsed = emailSchema.safeParse(fields);
      if (!parsed.success) return data({ ok: false, error: fieldErrors(parsed.error).email }, { status: 400 });
      return data({ ok: true }, { headers: { "Set-Cookie": await emailCookie(request, parsed.data.email) } });
    }
    default:
      return data({ ok: false, error: "Unknown request." }, { status: 400 });
  }
}

export default function Home({ loaderData }: Route.ComponentProps) {
  return <ChatPage data={loaderData} />;
}
