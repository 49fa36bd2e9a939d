// The chat page. The loader makes sure the visitor has a session and reads their balance; the
// action remembers (or forgets) the "use my account email" choice.
import { data } from "react-router";
import { ChatPage } from "~/components/chat/chat-page";
import { scopeOf } from "~/server/context";
import { textFields } from "~/server/http/json";
import type { Route } from "./+types/home";
import { chatPageData, emailCookie, emailSchema } from "./chat.server";
import { fieldErrors } from "./forms.server";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Cognomega" }, { name: "description", content: "Chat with Cognomega." }];
}

export function headers() {
  // The page carries the visitor's own email and balance. (The loader's Set-Cookie is kept.)
  return { "Cache-Control": "private, no-store" };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { cookie, page } = await chatPageData(request, scopeOf(context));
  return data(page, cookie ? { headers: { "Set-Cookie": cookie } } : undefined);
}

export async function action({ request, context }: Route.ActionArgs) {
  const fields = textFields(await request.formData());
  if (fields.intent === "forget-email") {
    return data({ ok: true }, { headers: { "Set-Cookie": await emailCookie(request, null) } });
  }
  if (fields.intent !== "use-email") return data({ ok: false, error: "Unknown request." }, { status: 400 });
  if (scopeOf(context).config.identityMode !== "asserted") {
    return data({ ok: false, error: "This service trusts verified identities only." }, { status: 403 });
  }
  const parsed = emailSchema.safeParse(fields);
  if (!parsed.success) return data({ ok: false, error: fieldErrors(parsed.error).email }, { status: 400 });
  return data({ ok: true }, { headers: { "Set-Cookie": await emailCookie(request, parsed.data.email) } });
}

export default function Home({ loaderData }: Route.ComponentProps) {
  return <ChatPage data={loaderData} />;
}
