// POST /auth/token (+ /api/auth/token, /api/v1/auth/token): an API key traded for a short-lived
// account token (RS256, the same JWKS), for browser apps that should not hold the key.
import { accountTokenFor } from "~/server/auth/account-token";
import { keyCaller } from "~/server/auth/identity";
import { endpoint } from "~/server/http/endpoint";
import { ApiError } from "~/server/http/errors";

export default endpoint({
  async POST({ request, scope }) {
    const caller = await keyCaller(request, scope);
    if (!caller) throw new ApiError(401, "api_key_required", "Send an API key as X-Api-Key or Authorization: Bearer.");
    const account = await accountTokenFor(scope, caller);
    return Response.json({
      ok: true,
      token: account.token,
      token_type: "Bearer",
      exp: account.exp,
      expires_in: Math.max(0, account.exp - Math.floor(Date.now() / 1000)),
      email: account.email,
      key_id: account.keyId,
    });
  },
});
