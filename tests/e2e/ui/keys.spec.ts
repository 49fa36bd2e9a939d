// Signing in to the chat with an API key, the keys page, and the dashboard's keys — in Chromium.
import { expect, type Page, test } from "@playwright/test";
import { adminKey, BASE, grant, uniqueEmail } from "../fixtures";
import { adminSession, DESKTOP_CHROME, lastAnswer, openChat, send } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

async function newKey(email: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${BASE}/api/admin/keys`, {
    method: "POST",
    headers: { "X-Admin-Key": adminKey(), "Content-Type": "application/json" },
    body: JSON.stringify({ email, ...extra }),
  });
  return ((await response.json()) as { key: { id: string; secret: string; prefix: string } }).key;
}

async function signIn(page: Page, secret: string) {
  await page.locator("summary", { hasText: "Sign in with API key" }).click();
  await page.getByLabel("API key").fill(secret);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("signs in with an API key, chats as that account, and signs out back to a guest", async ({ page, context }) => {
  const email = uniqueEmail("key-chat");
  await grant(email, 3);
  const key = await newKey(email);
  await openChat(page);
  await signIn(page, key.secret);
  await expect(page.getByText(email)).toBeVisible();
  await expect(page.getByTestId("balance")).toHaveText("3");
  // The browser holds a session, never the key.
  const session = (await context.cookies()).find((cookie) => cookie.name === "cg_token");
  expect(session?.httpOnly).toBe(true);
  expect(session?.value).not.toContain(key.secret);

  await send(page, "hello as an account");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await expect(page.getByTestId("balance")).not.toHaveText("3");
  const usage = await fetch(`${BASE}/api/billing/usage?kind=usage&email=${email}`, {
    headers: { "X-Admin-Key": adminKey() },
  });
  expect(((await usage.json()) as { records: Array<{ key_id: string }> }).records[0]?.key_id).toBe(key.id);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.locator("summary", { hasText: "Sign in with API key" })).toBeVisible();
  await expect(page.getByText(email)).toHaveCount(0);
  await expect(page.getByText("Guest", { exact: true })).toBeVisible();
});

test("says so when the key is not valid, and keeps the visitor a guest", async ({ page }) => {
  await openChat(page);
  await signIn(page, "cg_sk_not-a-real-key");
  await expect(page.getByRole("alert")).toContainText("not valid");
  await expect(page.getByLabel("API key")).toHaveAttribute("aria-invalid", "true");
});

test("the keys page lists, makes (secret shown once) and revokes the account's keys", async ({ page }) => {
  const email = uniqueEmail("keys-page");
  await grant(email, 1);
  const key = await newKey(email, { name: "first" });
  await openChat(page);
  await signIn(page, key.secret);
  await page.getByRole("link", { name: "Keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  const table = page.getByRole("region", { name: "API keys, table" });
  await expect(table).toContainText(key.prefix);

  await page.getByLabel("Name").fill("laptop");
  await page.getByLabel("Credit limit").fill("0.5");
  await page.getByRole("button", { name: "Make a key" }).click();
  const secret = page.getByTestId("new-key-secret");
  await expect(secret).toHaveText(/^cg_sk_[A-Za-z0-9_-]{94}$/);
  await expect(page.getByRole("button", { name: "Copy the new API key" })).toBeVisible();
  const made = (await secret.textContent()) ?? "";
  await expect(table.getByRole("row", { name: /laptop/ })).toContainText("0.5");

  await page.reload();
  await expect(page.getByTestId("new-key-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(made);

  const row = table.getByRole("row", { name: /laptop/ });
  await row.getByRole("button", { name: /Revoke/ }).click();
  await row.getByRole("button", { name: /Yes, revoke/ }).click();
  await expect(row).toContainText("revoked");
  const refused = await fetch(`${BASE}/api/credits`, { headers: { "X-Api-Key": made } });
  expect(refused.status).toBe(401);
});

test("the keys page sends a visitor who is not signed in back to the chat", async ({ page }) => {
  await page.goto("/keys");
  await expect(page).toHaveURL(`${BASE}/`);
});

test("the dashboard lists an account's keys, makes one (shown once) and revokes it", async ({ page, context }) => {
  const email = uniqueEmail("dash-keys");
  const existing = await newKey(email, { name: "ci" });
  await adminSession(context);
  await page.goto(`/admin/accounts/${encodeURIComponent(email)}`);
  const section = page.getByRole("region", { name: "API keys, table" });
  await expect(section).toContainText(existing.prefix);
  await page.getByLabel("Name").fill("dashboard-made");
  await page.getByRole("button", { name: "Make a key" }).click();
  await expect(page.getByTestId("new-key-secret")).toHaveText(/^cg_sk_/);
  const row = section.getByRole("row", { name: /dashboard-made/ });
  await row.getByRole("button", { name: /Revoke/ }).click();
  await row.getByRole("button", { name: /Yes, revoke/ }).click();
  await expect(row).toContainText("revoked");
  await expect(section.getByRole("row", { name: /ci/ })).toContainText("active");
});
