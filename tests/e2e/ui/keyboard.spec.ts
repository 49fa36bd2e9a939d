// Keyboard and assistive technology: where focus lands on load and after every action, the
// skip link, the phone drawer's focus trap, undoable deletes, "Copy code" names, and which
// parts of the page are live regions.
import { expect, type Page, test } from "@playwright/test";
import {
  composer,
  DESKTOP,
  DESKTOP_CHROME,
  lastAnswer,
  openChat,
  openLongChat,
  PHONE,
  SCREENSHOTS,
  send,
} from "./support";

test.use({ userAgent: DESKTOP_CHROME });

const history = (page: Page) => page.getByRole("navigation", { name: "Chat history" });
const activeInside = (page: Page, selector: string) =>
  page.evaluate((inside) => Boolean(document.activeElement?.closest(inside)), selector);

test("on a desktop the message box has focus as soon as the chat is ready", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openChat(page);
  await expect(composer(page)).toBeFocused();
  await page.keyboard.type("typed without a click");
  await expect(composer(page)).toHaveValue("typed without a click");
});

test("the skip link is the first stop and leads to the message box", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openChat(page);
  const skip = page.getByRole("link", { name: "Skip to the message box" });
  const first = await page.evaluate(
    () =>
      document.querySelector<HTMLElement>("a[href], button:not([disabled]), input, select, textarea, [tabindex='0']")
        ?.textContent,
  );
  expect(first).toBe("Skip to the message box");
  await skip.focus();
  // Visible while focused.
  const box = await skip.boundingBox();
  expect(box?.width).toBeGreaterThan(40);
  await page.keyboard.press("Enter");
  await expect(composer(page)).toBeFocused();
});

test("focus returns to the message box after Regenerate, Retry, edit-cancel and edit-send", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openChat(page);
  await send(page, "First question");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");

  await page.getByRole("button", { name: "Regenerate" }).focus();
  await page.keyboard.press("Enter");
  await expect(composer(page)).toBeFocused();
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");

  await page.getByRole("button", { name: "Edit" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Edit your message")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(composer(page)).toBeFocused();

  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(composer(page)).toBeFocused();

  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Edit your message").fill("Edited question");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter"); // "Send edited message"
  await expect(composer(page)).toBeFocused();
  await expect(lastAnswer(page)).toContainText("You asked: Edited question");

  await send(page, "Fail now [[upstream: status=500]]");
  await lastAnswer(page).getByRole("button", { name: "Retry" }).click();
  await expect(composer(page)).toBeFocused();
});

test("deleting a conversation is undoable for a few seconds, from the keyboard", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openChat(page);
  await send(page, "Keep me around");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  const item = history(page).getByRole("button", { name: "Keep me around", exact: true });

  await page.getByRole("button", { name: "Delete “Keep me around”" }).focus();
  await page.keyboard.press("Enter");
  await expect(item).toHaveCount(0);
  await expect(page.getByRole("status")).toContainText("Deleted “Keep me around”.");
  await expect(composer(page)).toBeFocused();
  // The Undo button is one Shift+Tab away from the message box.
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByRole("button", { name: "Undo" })).toBeFocused();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/undo-delete-${scheme}.png` });
  }
  await page.keyboard.press("Enter");
  await expect(item).toHaveAttribute("aria-current", "page");
  await expect(lastAnswer(page)).toContainText("You asked: Keep me around");
  await expect(page.getByRole("button", { name: "Undo" })).toHaveCount(0);

  // Left alone, the deletion stands: the offer goes away and a reload does not bring it back.
  await page.getByRole("button", { name: "Delete “Keep me around”" }).click();
  await expect(page.getByRole("button", { name: "Undo" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Undo" })).toHaveCount(0, { timeout: 12_000 });
  await page.reload();
  await expect(page.locator("form[data-ready]")).toBeVisible();
  await expect(item).toHaveCount(0);
});

test("the phone drawer keeps focus inside and gives it back to its button", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await openChat(page);
  await send(page, "Drawer test");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  const toggle = page.getByRole("button", { name: "Conversations", exact: true });
  const drawer = page.getByRole("dialog", { name: "Conversations" });

  await toggle.click();
  await expect(drawer).toBeVisible();
  await expect(page.getByRole("button", { name: "+ New chat" })).toBeFocused();
  // Tab and Shift+Tab go round inside the drawer, never to the chat behind it.
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    expect(await activeInside(page, "#sidebar")).toBe(true);
  }
  await page.getByRole("button", { name: "+ New chat" }).focus();
  await page.keyboard.press("Shift+Tab");
  expect(await activeInside(page, "#sidebar")).toBe(true);
  await expect(page.getByRole("button", { name: "+ New chat" })).not.toBeFocused();

  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(toggle).toBeFocused();

  await page.keyboard.press("Enter");
  await expect(drawer).toBeVisible();
  await page.getByRole("button", { name: "Close conversations" }).click();
  await expect(toggle).toBeFocused();

  // Choosing a conversation moves on to the chat's message box.
  await toggle.click();
  await history(page).getByRole("button", { name: "Drawer test", exact: true }).click();
  await expect(drawer).toBeHidden();
  await expect(composer(page)).toBeFocused();

  // Deleting inside the drawer keeps focus in the drawer, with its Undo there too.
  await toggle.click();
  await page.getByRole("button", { name: "Delete “Drawer test”" }).click();
  expect(await activeInside(page, "#sidebar")).toBe(true);
  await expect(drawer.getByRole("button", { name: "Undo" })).toBeVisible();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/drawer-phone-${scheme}.png` });
  }
  await drawer.getByRole("button", { name: "Undo" }).click();
  await expect(history(page).getByRole("button", { name: "Drawer test", exact: true })).toBeVisible();
});

test("each Copy code button is named by its language and position", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openChat(page);
  await send(page, "Two blocks\n\n```python\nprint(1)\n```");
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute("data-status", "done");
  const buttons = answer.getByRole("button", { name: /^Copy code/ });
  await expect(buttons).toHaveCount(2);
  await expect(buttons.nth(0)).toHaveAccessibleName("Copy code block 1 (python)");
  await expect(buttons.nth(1)).toHaveAccessibleName("Copy code block 2 (js)");
  await expect(answer.getByRole("region", { name: "Code block 2 (js)" })).toBeVisible();
});

test("in a long chat only the answer being written is a live region", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openLongChat(page, 25);
  const transcript = page.getByTestId("transcript");
  await expect(page.getByRole("article", { name: "Cognomega's answer" })).toHaveCount(25);
  await expect(transcript.locator("[aria-live], [role=alert], [role=status], [role=log]")).toHaveCount(0);

  await send(page, "Stream slowly [[upstream: token_delay=60;words=80]]");
  await expect(lastAnswer(page)).toContainText("word3");
  const live = transcript.locator("[aria-live]");
  await expect(live).toHaveCount(1);
  await expect(lastAnswer(page).locator("[aria-live=polite][aria-busy=true]")).toHaveCount(1);
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done", { timeout: 20_000 });
  await expect(lastAnswer(page).locator("[aria-live=polite][aria-busy=false]")).toHaveCount(1);

  // The next answer takes over: the previous one is quiet again.
  await send(page, "And another");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await expect(transcript.locator("[aria-live]")).toHaveCount(1);
  await expect(lastAnswer(page).locator("[aria-live]")).toHaveCount(1);
});
