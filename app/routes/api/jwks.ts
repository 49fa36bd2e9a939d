// GET /.well-known/jwks.json: the public signing keys, from KV `KEYS`.
import { ensurePublished } from "~/server/auth/keys";
import { endpoint } from "~/server/http/endpoint";

export default endpoint({
  async GET({ scope }) {
    const set = await ensurePublished(scope.env.KEYS, scope.config).catch(() => ({ keys: [] }));
    return Response.json(set, {
      headers: { "Content-Type": "application/jwk-set+json", "Cache-Control": "public, max-age=300" },
    });
  },
});
