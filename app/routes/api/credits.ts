// GET /api/credits (+ /credits, /api/v1/credits): the caller's balance.
import { denied, requireCaller } from "~/server/auth/identity";
import { balanceBody, carrying, ledgerFor } from "~/server/billing/ledger-client";
import { endpoint } from "~/server/http/endpoint";

export default endpoint({
  async GET({ request, url, scope }) {
    const caller = await requireCaller(request, url, scope);
    scope.timing?.mark("auth");
    // One round trip: the ledger checks a key (or a key's session) and reads the balance.
    const ledger = ledgerFor(scope.env.LEDGER, caller);
    const read = await carrying(ledger, async (settles) => await ledger.read(caller, settles));
    scope.timing?.mark("ledger");
    if (read.status === "denied") throw denied(read.code);
    const { view, keyId } = read;
    return Response.json({
      ok: true,
      ...balanceBody(view),
      email: view.kind === "email" ? view.account : undefined,
      ...(keyId ? { key_id: keyId } : {}),
    });
  },
});
