// A signed-in account's conversations follow it: what one browser says shows up in another
// signed in as the same account, with search, rename, export and an undoable delete.
import { readFile } from "node:fs/promises";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { adminKey, BASE, grant, uniqueEmail } from "../fixtures";
import { DESKTOP_CHROME, lastAnswer, openChat, SCREENSHOTS, send } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

async function newKey(email: string): Promise<string> {
  const response = await fetch(`${BASE}/api/admin/keys`, {
    method: "POST",
    headers: { "X-Admin-Key": adminKey(), "Content-Type": "application/json" },
    body: JSON.stringify({ email }),
  });
  return ((await response.json()) as { key: { secret: string } }).key.secret;
}

/** A browser of its own (another device), signed in with `secret`. */
async function device(browser: Browser, secret: string, email: string): Promise<Page> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME });
  const page = await context.newPage();
  await openChat(page);
  await page.locator("summary", { hasText: "Sign in with API key" }).click();
  await page.getByLabel("API key").fill(secret);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText(email)).toBeVisible();
  await expect(page.locator("form[data-ready]")).toBeVisible();
  return page;
}

const history = (page: Page) => page.getByRole("navigation", { name: "Chat history" });

test("a conversation started on one device appears on another signed in as the same account", async ({ browser }) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("traveller");
  await grant(email, 5);
  const laptop = await device(browser, await newKey(email), email);
  await send(laptop, "Plan a week in Lisbon");
  // Generous: the machine running the tests may be busy.
  await expect(lastAnswer(laptop)).toContainText("You asked: Plan a week in Lisbon", { timeout: 30_000 });
  await expect(lastAnswer(laptop)).toHaveAttribute("data-status", "done", { timeout: 30_000 });

  // Another browser, another key of the same account: the conversation is there.
  const phone = await device(browser, await newKey(email), email);
  await expect(async () => {
    await phone.reload();
    await expect(history(phone).getByRole("button", { name: "Plan a week in Lisbon", exact: true })).toBeVisible({
      timeout: 3_000,
    });
  }).toPass({ timeout: 30_000 });
  await expect(lastAnswer(phone)).toContainText("You asked: Plan a week in Lisbon", { timeout: 20_000 });

  // Search looks through the answers' text too; a miss says so.
  const search = phone.getByRole("searchbox", { name: "Search chats" });
  await search.fill("deterministic");
  await expect(history(phone).getByRole("button", { name: "Plan a week in Lisbon", exact: true })).toBeVisible();
  await search.fill("zanzibar");
  await expect(phone.getByText("No chat mentions that.")).toBeVisible();
  await search.fill("");

  // Rename on the phone; the laptop sees the new name.
  await history(phone).getByRole("button", { name: "Rename “Plan a week in Lisbon”" }).click();
  const field = phone.getByRole("textbox", { name: "New name for “Plan a week in Lisbon”" });
  await expect(field).toBeFocused();
  await field.fill("Lisbon trip");
  await field.press("Enter");
  await expect(history(phone).getByRole("button", { name: "Rename “Lisbon trip”" })).toBeFocused();
  for (const scheme of ["light", "dark"] as const) {
    await phone.emulateMedia({ colorScheme: scheme });
    await phone.screenshot({ path: `${SCREENSHOTS}/chat-account-history-${scheme}.png` });
  }
  await expect(async () => {
    await laptop.reload();
    await expect(history(laptop).getByRole("button", { name: "Lisbon trip", exact: true })).toBeVisible({
      timeout: 3_000,
    });
  }).toPass({ timeout: 30_000 });

  // Export as Markdown and as JSON.
  const [markdown] = await Promise.all([
    phone.waitForEvent("download"),
    phone.getByRole("button", { name: "Export this chat as Markdown" }).click(),
  ]);
  expect(markdown.suggestedFilename()).toBe("Lisbon-trip.md");
  const text = await readFile((await markdown.path()) ?? "", "utf8");
  expect(text).toContain("# Lisbon trip");
  expect(text).toContain("## You\n\nPlan a week in Lisbon");
  expect(text).toContain("You asked: Plan a week in Lisbon");
  const [json] = await Promise.all([
    phone.waitForEvent("download"),
    phone.getByRole("button", { name: "Export this chat as JSON" }).click(),
  ]);
  const exported = JSON.parse(await readFile((await json.path()) ?? "", "utf8"));
  expect(exported).toMatchObject({
    title: "Lisbon trip",
    turns: [{ role: "user", text: "Plan a week in Lisbon" }, {}],
  });

  // Delete, undo: still kept. Delete and let the undo window pass: gone from the other device too.
  await history(phone).getByRole("button", { name: "Delete “Lisbon trip”" }).click();
  await phone.getByRole("button", { name: "Undo" }).click();
  await expect(history(phone).getByRole("button", { name: "Lisbon trip", exact: true })).toBeVisible();
  await history(phone).getByRole("button", { name: "Delete “Lisbon trip”" }).click();
  await expect(phone.getByRole("button", { name: "Undo" })).toBeHidden({ timeout: 20_000 });
  await expect(async () => {
    await laptop.reload();
    await expect(laptop.locator("form[data-ready]")).toBeVisible();
    await expect(history(laptop).getByRole("button", { name: "Lisbon trip", exact: true })).toHaveCount(0);
  }).toPass({ timeout: 30_000 });
});

test("a guest's conversations stay in their browser", async ({ page, browser }) => {
  await openChat(page);
  await send(page, "Only on this browser");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await page.reload();
  await expect(history(page).getByRole("button", { name: "Only on this browser", exact: true })).toBeVisible();
  const other = await (await browser.newContext({ userAgent: DESKTOP_CHROME })).newPage();
  await openChat(other);
  await expect(history(other).getByRole("button", { name: "Only on this browser", exact: true })).toHaveCount(0);
});
