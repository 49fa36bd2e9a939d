// What the /v1 end-to-end tests share: the gateway's base URL as an OpenAI client sees it, and an
// account API key (made by the admin, with the credits asked for) to use as the bearer key.
import { adminKey, BASE, grant, uniqueEmail } from "../fixtures";

export const V1_BASE = `${BASE}/v1`;

export interface Bearer {
  key: string;
  email: string;
}

/** A new account with `credits`, and an API key for it (cg_sk_…), as a user would be given. */
export async function bearerWith(credits: number): Promise<Bearer> {
  const email = uniqueEmail("v1");
  await grant(email, credits);
  const made = await fetch(`${BASE}/api/admin/keys`, {
    method: "POST",
    headers: { "X-Admin-Key": adminKey(), "Content-Type": "application/json" },
    body: JSON.stringify({ email, name: "e2e" }),
  });
  if (made.status !== 201) throw new Error(`key creation failed: ${made.status} ${await made.text()}`);
  const { key } = (await made.json()) as { key: { secret: string } };
  return { key: key.secret, email };
}

/** A guest token (from /auth/guest) as the bearer: the other kind of key /v1 takes. */
export async function guestBearer(): Promise<string> {
  const response = await fetch(`${BASE}/auth/guest`, { method: "POST" });
  if (!response.ok) throw new Error(`guest sign-in failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

export async function balanceOf(bearer: Bearer): Promise<number> {
  const response = await fetch(`${BASE}/api/credits`, { headers: { Authorization: `Bearer ${bearer.key}` } });
  return ((await response.json()) as { balance: number }).balance;
}

/** The development model's switch that cuts its stream after `n` chunks (dev/model-server.ts). */
export const cutAfter = (n: number) => `[[upstream: cut=${n}]]`;
