// The dashboard for keyboard and phone users: focus on the page heading after navigation,
// signing in and adjusting; the accounts list sorted and filtered, with Balance on a phone;
// an unknown account said so under a heading.
import { expect, type Page, test } from "@playwright/test";
import { adminKey, BASE, grant } from "../fixtures";
import { adminSession, DESKTOP, DESKTOP_CHROME, PHONE, SCREENSHOTS } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

const heading = (page: Page) => page.getByRole("heading", { level: 1 });
const tag = () => `v${crypto.randomUUID().slice(0, 6)}`;

/** A guest account that has asked once (so the ledger and the account index know it). */
async function guestThatAsked(): Promise<string> {
  const issued = await fetch(`${BASE}/auth/guest`, { method: "POST" });
  const { token } = (await issued.json()) as { token: string };
  const asked = await fetch(`${BASE}/api/si/ask`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ prompt: "hello from a guest" }),
  });
  expect(asked.status).toBe(200);
  const credits = await fetch(`${BASE}/api/credits`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await credits.json()) as { account: string }).account;
}

/** Row accounts as the list shows them, once the index has caught up to `count` rows. */
async function rowsOf(page: Page, url: string, count: number): Promise<string[]> {
  const links = page.getByTestId("accounts-table").locator("tbody tr td:first-child a");
  await expect(async () => {
    await page.goto(url);
    await expect(links).toHaveCount(count, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  return links.allTextContents();
}

test("signing in, moving between pages and adjusting a balance each put focus on the page heading", async ({
  page,
}) => {
  const email = `${tag()}-focus@example.com`;
  await grant(email, 3);
  await page.setViewportSize(DESKTOP);
  await page.goto("/admin");
  // A refused key sends focus back to the field.
  await page.getByLabel("Admin key").fill("wrong");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toHaveText("That admin key is not valid.");
  await expect(page.getByLabel("Admin key")).toBeFocused();

  await page.getByLabel("Admin key").fill(adminKey());
  await page.keyboard.press("Enter");
  await expect(heading(page)).toHaveText("Overview");
  await expect(heading(page)).toBeFocused();

  await page.getByRole("link", { name: "System" }).click();
  await expect(heading(page)).toHaveText("System");
  await expect(heading(page)).toBeFocused();

  await page.getByRole("link", { name: "Accounts", exact: true }).click();
  await expect(heading(page)).toHaveText("Accounts");
  await expect(heading(page)).toBeFocused();
  await page.getByLabel(/Search by email/).fill(email);
  await page.keyboard.press("Enter");
  // A search stays on the page: focus stays in the search box.
  await expect(page.getByLabel(/Search by email/)).toBeFocused();
  await page.getByRole("link", { name: email }).click();
  await expect(heading(page)).toHaveText(email);
  await expect(heading(page)).toBeFocused();

  await page.getByLabel("Amount (credits)").fill("2");
  await page.getByLabel("Reason").fill("focus test");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toHaveText("Done: 3 → 5 credits.");
  // The page's data is read again after the change (a fresh form comes with it).
  await expect(page.getByTestId("account-balance")).toHaveText("5");
  await expect(heading(page)).toBeFocused();

  // A large change asks first, with focus on the question.
  await page.getByLabel("Amount (credits)").fill("5000");
  await page.getByLabel("Reason").fill("big");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("Confirm a large change")).toBeVisible();
  await expect(page.locator("[data-confirm]")).toBeFocused();
  await page.getByRole("link", { name: "Cancel" }).click();

  // An invalid amount: focus on the field in error.
  await page.getByLabel("Amount (credits)").fill("lots");
  await page.getByLabel("Reason").fill("typo");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByLabel("Amount (credits)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Amount (credits)")).toBeFocused();
});

test("the accounts list sorts by balance and last seen, and filters guests from emails", async ({ page, context }) => {
  const prefix = tag();
  const emails = ["a", "b", "c"].map((name) => `${prefix}-${name}@example.com`);
  // Granted in this order, so c was seen last.
  for (const [i, balance] of [5, 50, 20].entries()) await grant(emails[i] ?? "", balance);
  const guest = await guestThatAsked();
  await page.setViewportSize(DESKTOP);
  await adminSession(context);

  expect(await rowsOf(page, `/admin/accounts?q=${prefix}`, 3)).toEqual(emails);
  await page.getByRole("link", { name: "Balance" }).click();
  await expect(page).toHaveURL(/sort=balance/);
  await expect(page.getByRole("columnheader", { name: /Balance/ })).toHaveAttribute("aria-sort", "descending");
  const links = page.getByTestId("accounts-table").locator("tbody tr td:first-child a");
  await expect(links).toHaveText([emails[1] ?? "", emails[2] ?? "", emails[0] ?? ""]);
  await expect(page.getByTestId("account-row-balance")).toHaveText(["50", "20", "5"]);

  await page.getByRole("link", { name: /Last seen/ }).click();
  await expect(page).toHaveURL(/sort=last_seen/);
  await expect(links).toHaveText([emails[2] ?? "", emails[1] ?? "", emails[0] ?? ""]);

  // Guests only: the guest that asked is there, and no email account is.
  await page.getByLabel(/Search by email/).fill("");
  await page.getByLabel("Show").selectOption("guest");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/kind=guest/);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: guest })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  for (const text of await links.allTextContents()) expect(text).toMatch(/^guest:/);

  // Email accounts only.
  await page.getByLabel("Show").selectOption("email");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/kind=email/);
  await expect(links.first()).toBeVisible();
  for (const text of await links.allTextContents()) expect(text).not.toMatch(/^guest:/);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`/admin/accounts?q=${prefix}&sort=balance`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-accounts-sorted-${scheme}.png`, fullPage: true });
  }
});

test("on a phone the accounts list keeps Balance on screen", async ({ page, context }) => {
  const prefix = tag();
  const email = `${prefix}-a-rather-long-address-for-a-phone@example.com`;
  await grant(email, 42);
  await page.setViewportSize(PHONE);
  await adminSession(context);
  await rowsOf(page, `/admin/accounts?q=${prefix}`, 1);
  const header = page.getByRole("columnheader", { name: /Balance/ });
  const cell = page.getByTestId("account-row-balance");
  await expect(cell).toHaveText("42");
  for (const target of [header, cell]) {
    const box = await target.boundingBox();
    expect(box?.x).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-accounts-phone-${scheme}.png`, fullPage: true });
  }
});

test("an unknown account says so under a heading", async ({ page, context }) => {
  await page.setViewportSize(DESKTOP);
  await adminSession(context);
  const response = await page.goto("/admin/accounts/nobody-at-all");
  expect(response?.status()).toBe(404);
  await expect(heading(page)).toHaveText("No such account");
  await expect(page.getByRole("main")).toContainText("There is no account “nobody-at-all”");
  await expect(page.getByRole("main")).not.toContainText("That is not a valid email address");
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-unknown-account-${scheme}.png` });
  }

  // A well-formed guest id that was never seen: its page says so, and offers no grant.
  await page.goto("/admin/accounts/guest:neverseen1234");
  await expect(heading(page)).toHaveText("guest:neverseen1234");
  await expect(page.getByRole("note")).toHaveText(/No guest with this id has been seen/);
  await expect(page.getByRole("button", { name: "Apply" })).toHaveCount(0);

  // An email never used: said so, and credits can still be granted ahead of its first chat.
  await page.goto(`/admin/accounts/${tag()}-new@example.com`);
  await expect(page.getByRole("note")).toHaveText(/not known yet/);
  await expect(page.getByRole("button", { name: "Apply" })).toBeVisible();
});
