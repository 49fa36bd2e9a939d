// What the /v1 end-to-end tests share: the gateway's base URL as an OpenAI client sees it, and a
// guest token (funded by the admin, or emptied) to use as the bearer key.
import { adminKey, BASE } from "../fixtures";

export const V1_BASE = `${BASE}/v1`;

export interface Bearer {
  key: string;
  account: string;
}

/** A guest token as the API key, with `credits` set on its account by the admin. */
export async function bearerWith(credits: number): Promise<Bearer> {
  const response = await fetch(`${BASE}/auth/guest`, { method: "POST" });
  if (!response.ok) throw new Error(`guest sign-in failed: ${response.status}`);
  const { token, sub } = (await response.json()) as { token: string; sub: string };
  const set = await fetch(`${BASE}/api/credits/adjust`, {
    method: "POST",
    headers: { "X-Admin-Key": adminKey(), "Content-Type": "application/json" },
    body: JSON.stringify({ email: sub, set: credits }),
  });
  if (!set.ok) throw new Error(`funding failed: ${set.status} ${await set.text()}`);
  return { key: token, account: sub };
}

export async function balanceOf(bearer: Bearer): Promise<number> {
  const response = await fetch(`${BASE}/api/credits`, { headers: { Authorization: `Bearer ${bearer.key}` } });
  return ((await response.json()) as { balance: number }).balance;
}

/** The development model's switch that cuts its stream after `n` chunks (dev/model-server.ts). */
export const cutAfter = (n: number) => `[[upstream: cut=${n}]]`;
