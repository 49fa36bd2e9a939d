// The chat's keys page (/keys), server side: for an account signed in with an API key, its keys
// and the forms that make and revoke them. Anyone else is sent back to the chat.
import { redirect } from "react-router";
import type { RequestScope } from "~/server/context";
import { ApiError } from "~/server/http/errors";
import { textFields } from "~/server/http/json";
import { listKeys } from "~/server/keys/manage";
import { requireAccountVisitor } from "./chat.server";
import { keyFormAction } from "./keys-form.server";

async function signedIn(request: Request, scope: RequestScope) {
  try {
    return await requireAccountVisitor(request, scope);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw redirect("/");
    throw error;
  }
}

/** The keys page's data: the account, its balance, and its keys (never a secret). */
export async function keysPageData(request: Request, scope: RequestScope) {
  const { visitor, balance } = await signedIn(request, scope);
  const listed = await listKeys(scope.env.LEDGER, visitor.caller);
  return { email: visitor.email, keyId: visitor.keyId, balance, keys: listed.keys };
}

/** Makes (`intent=create-key`: name, credit_limit, expires_in_days) or revokes (`intent=revoke-key`: id) a key. */
export async function keysAction(request: Request, scope: RequestScope) {
  const { visitor } = await signedIn(request, scope);
  return keyFormAction(scope.env.LEDGER, visitor.caller, textFields(await request.formData()));
}
