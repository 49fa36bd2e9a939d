// GET /api/credits (+ /credits, /api/v1/credits): the caller's balance.
import { requireIdentity } from "~/server/auth/identity";
import { balanceBody, readBalance, refOf } from "~/server/billing/ledger-client";
import { endpoint } from "~/server/http/endpoint";

export default endpoint({
  async GET({ request, url, scope }) {
    const identity = await requireIdentity(request, url, scope);
    const view = await readBalance(scope.env.LEDGER, refOf(identity));
    return Response.json({
      ok: true,
      ...balanceBody(view),
      email: identity.kind === "email" ? identity.account : undefined,
    });
  },
});
