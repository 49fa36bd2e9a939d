// POST /auth/guest (+ /api/auth/guest, /api/v1/auth/guest): issue an RS256 guest token.
import { guestSignIn } from "~/server/auth/guest";
import { endpoint } from "~/server/http/endpoint";

export default endpoint({ POST: ({ request, scope }) => guestSignIn(request, scope) });
