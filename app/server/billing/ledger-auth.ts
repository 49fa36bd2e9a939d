// Inside a ledger: is this caller who it says it is? A key must be one of this account's keys
// (by id and hash), not revoked and not expired, and — when the request also asserted an email
// — this account's; a token made from a key is only as good as that key. Account callers
// otherwise were verified by the Worker (a token, the admin key) or are trusted (`asserted`).

import { type KeyRow, keyRow, touchKey, usable } from "./key-store";
import { accountRow } from "./ledger-queries";
import type { AccountRef, Authenticated, Caller, Denied } from "./types";

const deny = (code: Denied["code"]): Denied => ({ status: "denied", code });

/** Normalizes the older RPC form (a bare AccountRef) into a Caller. */
export function callerOf(who: Caller | AccountRef): Caller {
  return "via" in who ? who : { via: "account", ref: who };
}

export function authenticate(sql: SqlStorage, who: Caller | AccountRef, now: number): Authenticated | Denied {
  const caller = callerOf(who);
  if (caller.via === "account") {
    if (!caller.tokenKeyId) return { status: "ok", ref: caller.ref, keyId: null, keyExpiresAt: null };
    const row = keyRow(sql, caller.tokenKeyId);
    if (!row || !usable(row, now)) return deny("invalid_token");
    return used(sql, row, caller.ref, now);
  }
  const row = keyRow(sql, caller.keyId);
  const account = accountRow(sql);
  if (!row || !account || row.hash !== caller.hash || !usable(row, now)) return deny("invalid_api_key");
  if (caller.asserted !== undefined && caller.asserted !== account.account) return deny("identity_not_verified");
  return used(sql, row, { account: account.account, kind: account.kind }, now);
}

function used(sql: SqlStorage, row: KeyRow, ref: AccountRef, now: number): Authenticated {
  touchKey(sql, row, now);
  return { status: "ok", ref, keyId: row.id, keyExpiresAt: row.expires_at };
}
