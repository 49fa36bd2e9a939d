// Trading an API key for a short-lived account token: POST /auth/token (for browser apps that
// should not hold the key) and the chat's "Sign in with API key" (the token goes into the
// HttpOnly session cookie). The key's ledger vouches for it in one round trip.

import { ledgerFor } from "../billing/ledger-client";
import type { RequestScope } from "../context";
import { denied, type KeyCaller } from "./identity";
import { requireSigningKey } from "./keys";
import { type AccountToken, issueAccountToken } from "./tokens";

export async function accountTokenFor(scope: RequestScope, caller: KeyCaller): Promise<AccountToken> {
  const { env, config } = scope;
  const [auth, key] = await Promise.all([
    ledgerFor(env.LEDGER, caller).authenticate(caller),
    requireSigningKey(env.KEYS, config),
  ]);
  if (auth.status === "denied") throw denied(auth.code);
  if (!auth.keyId) throw denied("invalid_api_key");
  return issueAccountToken(key, config, {
    email: auth.ref.account,
    keyId: auth.keyId,
    keyExpiresAt: auth.keyExpiresAt,
  });
}
