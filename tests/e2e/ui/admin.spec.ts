// The admin dashboard: a session kept server-side, account work, the system panel, and the
// screenshots (chat and dashboard, light and dark) kept as test artifacts.
import { expect, test } from "@playwright/test";
import { BASE, grant, uniqueEmail } from "../fixtures";
import { adminSignIn, DESKTOP_CHROME, lastAnswer, openChat, SCREENSHOTS, send } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

/** One non-streamed ask on an account's credits, straight to the API. */
async function ask(email: string, prompt: string) {
  const response = await fetch(`${BASE}/api/si/ask`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-User-Email": email },
    body: JSON.stringify({ prompt }),
  });
  expect(response.status).toBe(200);
}

test("the admin key stays on the server: the browser holds only an HttpOnly session", async ({ page, context }) => {
  await page.goto("/admin/system");
  await expect(page).toHaveURL(/\/admin\/sign-in\?next=%2Fadmin%2Fsystem$/);
  await page.getByLabel("Admin key").fill("not-the-key");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That admin key is not valid.");

  await adminSignIn(page, "/admin/system");
  await expect(page).toHaveURL(`${BASE}/admin/system`);
  const session = (await context.cookies()).find((cookie) => cookie.name === "cg_admin");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
  expect(await page.evaluate(() => document.cookie)).not.toContain("cg_admin");
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toMatch(/adm_/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in$/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
});

test("the system panel shows readiness, the AI binding and key ids, and cleans up after a dry run", async ({
  page,
}) => {
  await adminSignIn(page, "/admin/system");
  await expect(page.getByTestId("ready-provider")).toHaveText("openai");
  await expect(page.getByText("The local development upstream is answering")).toBeVisible();
  await expect(page.getByRole("heading", { name: /Workers AI/ })).toBeVisible();
  await expect(page.getByTestId("jwks-kids")).toContainText("k1 (signing)");

  await page.getByLabel("Older than (days)").fill("0");
  await page.getByRole("button", { name: "Preview (dry run)" }).click();
  await expect(page.getByRole("alert")).toHaveText("A whole number of days from 1 to 3650.");
  await expect(page.getByLabel("Older than (days)")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Older than (days)").fill("30");
  await page.getByRole("button", { name: "Preview (dry run)" }).click();
  await expect(page.getByRole("status")).toContainText("Dry run: cutoff");
  await expect(page.getByTestId("cleanup-tally")).toContainText("would delete");
  await page.getByRole("button", { name: "Run this cleanup now" }).click();
  await expect(page.getByRole("status")).toContainText("Cleanup finished");
  await expect(page.getByTestId("cleanup-tally")).toContainText("deleted");
});

test("large balance changes ask for confirmation; bad amounts get field errors", async ({ page }) => {
  const email = uniqueEmail("large");
  await grant(email, 5);
  await adminSignIn(page, `/admin/accounts/${encodeURIComponent(email)}`);
  await page.getByLabel("Amount (credits)").fill("lots");
  await page.getByLabel("Reason").fill("typo");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("Enter a number such as 25, -2.5 or 100.")).toBeVisible();
  await expect(page.getByLabel("Amount (credits)")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Amount (credits)").fill("-10");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("alert")).toHaveText("A balance cannot go below zero.");

  await page.getByLabel("Set to").check();
  await page.getByLabel("Amount (credits)").fill("2500");
  await page.getByLabel("Reason").fill("annual plan");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("The balance goes from 5 to 2500 credits")).toBeVisible();
  await expect(page.getByTestId("account-balance")).toHaveText("5");
  await page.getByRole("button", { name: "Yes, apply it" }).click();
  await expect(page.getByRole("status")).toHaveText("Done: 5 → 2500 credits.");
  await expect(page.getByTestId("account-balance")).toHaveText("2500");
});

test("the usage table pages through an account's ledger", async ({ page }) => {
  const email = uniqueEmail("pages");
  await grant(email, 10);
  // 21 more ledger records than fit on one page of 20.
  for (let i = 0; i < 21; i++) await ask(email, `question ${i}`);
  await adminSignIn(page, `/admin/accounts/${encodeURIComponent(email)}`);
  const rows = page.getByTestId("usage-table").locator("tbody tr");
  await expect(rows).toHaveCount(20);
  await page.getByRole("link", { name: "Older →" }).click();
  // The oldest ask, and the grant before it.
  await expect(rows).toHaveCount(2);
  await expect(rows.last()).toContainText("adjustment");
  await page.getByRole("link", { name: "← Newer" }).click();
  await expect(rows).toHaveCount(20);
  await expect(page.getByRole("img", { name: /Daily credits and tokens/ })).toBeVisible();
});

test("screenshots: chat and dashboard, light and dark", async ({ page }) => {
  const email = uniqueEmail("shots");
  await grant(email, 12);
  for (const words of [40, 120, 300]) await ask(email, `Tell me more [[upstream: words=${words}]]`);
  await page.setViewportSize({ width: 1280, height: 860 });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openChat(page);
    if (scheme === "dark") await expect(page.locator("html")).toHaveClass(/dark/);
    else await expect(page.locator("html")).not.toHaveClass(/dark/);
    if (scheme === "light") {
      await send(page, "Show me **markdown** with a list and some code");
      await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
    }
    await page.screenshot({ path: `${SCREENSHOTS}/chat-${scheme}.png` });
  }

  // The theme toggle wins over the system setting and is remembered.
  await page.emulateMedia({ colorScheme: "light" });
  await page.getByRole("button", { name: /^Theme: / }).click(); // system → light
  await page.getByRole("button", { name: /^Theme: / }).click(); // light → dark
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/); // set before first paint
  await expect(page.locator("form[data-ready]")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Theme: / })).toHaveAttribute("data-theme-choice", "dark");
  await page.getByRole("button", { name: /^Theme: / }).click(); // dark → system
  await expect(page.locator("html")).not.toHaveClass(/dark/);

  await adminSignIn(page, `/admin/accounts/${encodeURIComponent(email)}`);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.reload();
    await expect(page.getByTestId("account-balance")).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-${scheme}.png`, fullPage: true });
  }
  await page.goto("/admin/system");
  await page.screenshot({ path: `${SCREENSHOTS}/dashboard-system-dark.png`, fullPage: true });
  await page.goto("/admin/accounts?q=shots-");
  await expect(page.getByRole("link", { name: email })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/dashboard-accounts-dark.png`, fullPage: true });
});
