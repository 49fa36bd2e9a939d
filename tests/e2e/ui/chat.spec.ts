// A visitor on the chat page: streaming, stopping, history, keyboard use and safe markdown.
import { expect, test } from "@playwright/test";
import { composer, DESKTOP_CHROME, lastAnswer, openChat, SCREENSHOTS, send } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

test("a guest chats at once and sees the answer stream in, then its billing line", async ({ page, context }) => {
  await openChat(page);
  // The loader issued the guest session with the page: no extra round trip.
  const cookies = await context.cookies();
  expect(cookies.find((cookie) => cookie.name === "cg_token")?.httpOnly).toBe(true);
  await expect(page.getByRole("note")).toContainText("local development model");

  await send(page, "What is streaming? [[upstream: token_delay=60]]");
  const answer = lastAnswer(page);
  // Part of the answer is on screen while the rest is still coming.
  await expect(answer.getByText(/You asked: What is streaming\?/)).toBeVisible();
  await expect(answer).toHaveAttribute("data-status", "streaming");
  await expect(answer.locator("[aria-busy=true]")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();

  await expect(answer).toHaveAttribute("data-status", "done", { timeout: 20_000 });
  await expect(answer.getByTestId("billing-line")).toHaveText(
    /^openai · gpt-4o-mini · \d+ tokens \(\d+ in, \d+ out\) · [\d.]+ credits$/,
  );
  await expect(answer.locator("pre code")).toHaveText('console.log("hello from the local model");');
  // Guests see no balance in the header.
  await expect(page.getByTestId("balance")).toHaveCount(0);
});

test("Stop ends the answer mid-stream and keeps what arrived", async ({ page }) => {
  await openChat(page);
  await send(page, "Count slowly [[upstream: token_delay=80;words=200]]");
  const answer = lastAnswer(page);
  await expect(answer).toContainText("word5");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(answer).toHaveAttribute("data-status", "stopped");
  await expect(answer).toContainText("Stopped. Only the part that arrived is billed.");
  const kept = await answer.locator(".markdown").textContent();
  expect(kept).not.toContain("word200");
  // Nothing more arrives after the stop.
  await page.waitForTimeout(600);
  expect(await answer.locator(".markdown").textContent()).toBe(kept);
  await expect(composer(page)).toBeFocused();
});

test("Escape stops a streaming answer from the keyboard", async ({ page }) => {
  await openChat(page);
  await send(page, "Another slow one [[upstream: token_delay=80;words=200]]");
  await expect(lastAnswer(page)).toContainText("word3");
  await page.keyboard.press("Escape");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "stopped");
});

test("the conversation and its list survive a reload", async ({ page }) => {
  await openChat(page);
  await send(page, "Remember this question about tides");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await page.reload();
  await expect(page.locator("form[data-ready]")).toBeVisible();
  const history = page.getByRole("navigation", { name: "Chat history" });
  await expect(
    history.getByRole("button", { name: "Remember this question about tides", exact: true }),
  ).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("article", { name: "Your message" })).toContainText("Remember this question about tides");
  await expect(lastAnswer(page)).toContainText("You asked: Remember this question about tides");
  await expect(lastAnswer(page).getByTestId("billing-line")).toBeVisible();

  // A new chat starts empty; the old one is still in the list.
  await page.getByRole("button", { name: "+ New chat" }).click();
  await expect(page.getByText("What can I help with?")).toBeVisible();
  await history.getByRole("button", { name: "Remember this question about tides", exact: true }).click();
  await expect(lastAnswer(page)).toContainText("tides");
});

test("a message is written and sent with the keyboard alone", async ({ page }) => {
  await openChat(page);
  for (let i = 0; i < 30 && !(await composer(page).evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(composer(page)).toBeFocused();
  await page.keyboard.type("First line");
  await page.keyboard.press("Shift+Enter");
  await page.keyboard.type("second line");
  await expect(composer(page)).toHaveValue("First line\nsecond line");
  await page.keyboard.press("Enter");
  await expect(composer(page)).toHaveValue("");
  await expect(lastAnswer(page)).toContainText("You asked: First line");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
});

test("regenerate answers again, and the last prompt can be edited and resent", async ({ page }) => {
  await openChat(page);
  await send(page, "Original question");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await page.getByRole("button", { name: "Regenerate" }).click();
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await expect(page.getByRole("article", { name: "Cognomega's answer" })).toHaveCount(1);

  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Edit your message").fill("Edited question");
  await page.getByRole("button", { name: "Send edited message" }).click();
  await expect(lastAnswer(page)).toContainText("You asked: Edited question");
  await expect(page.getByRole("article", { name: "Your message" })).toHaveCount(1);
  await expect(page.getByRole("article", { name: "Your message" })).toContainText("Edited question");
});

test("markdown from the model renders, and HTML in it stays inert text", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const violations: string[] = [];
  page.on(
    "console",
    (message) => message.text().includes("Content Security Policy") && violations.push(message.text()),
  );
  await openChat(page);
  await send(
    page,
    'Render <script>window.__pwned = 1</script> and <img src=x onerror="window.__pwned = 2"> and [a link](javascript:window.__pwned=3) and <https://example.com/docs>',
  );
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute("data-status", "done");
  const markdown = answer.locator(".markdown");
  await expect(markdown).toContainText("<script>window.__pwned = 1</script>");
  await expect(markdown.locator("script, img, iframe")).toHaveCount(0);
  await expect(markdown.locator("strong").first()).toHaveText("local development model");
  await expect(markdown.locator('[href^="javascript:" i]')).toHaveCount(0);
  const safe = markdown.getByRole("link", { name: "https://example.com/docs" });
  await expect(safe).toHaveAttribute("rel", "noopener noreferrer");
  await expect(safe).toHaveAttribute("target", "_blank");
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

  await answer.getByRole("button", { name: "Copy code" }).click();
  await expect(answer.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('console.log("hello from the local model");');
  expect(violations).toEqual([]);
});

test("a provider outage says what happened and offers a retry", async ({ page }) => {
  await openChat(page);
  await send(page, "Are you there? [[upstream: status=500]]");
  const alert = lastAnswer(page).getByRole("alert");
  await expect(alert).toContainText("No model is available right now");
  await expect(alert).toContainText("No language model provider could answer");
  // No wait was asked for, so Retry is ready at once.
  await expect(lastAnswer(page).getByRole("button", { name: "Retry" })).toBeEnabled();
});

test("a browser with a bot-like user agent still gets a session when its scripts run", async ({ browser }) => {
  const context = await browser.newContext(); // headless Chromium's own user agent
  const page = await context.newPage();
  await openChat(page);
  await expect(composer(page)).not.toHaveAttribute("placeholder", /Starting your guest session/);
  await send(page, "hello from a headless browser");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await context.close();
});

test("on a phone the chat fits the screen and the history opens as a drawer", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openChat(page);
  await send(page, "Small screen question");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  const toggle = page.getByRole("button", { name: "Conversations", exact: true });
  await toggle.click();
  await expect(page.getByRole("navigation", { name: "Chat history" })).toBeVisible();
  await expect(page.getByRole("button", { name: "+ New chat" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("navigation", { name: "Chat history" })).toBeHidden();
  await toggle.click();
  await page.getByRole("button", { name: "Close conversations" }).click();
  await expect(page.getByRole("navigation", { name: "Chat history" })).toBeHidden();
  await page.screenshot({ path: `${SCREENSHOTS}/chat-phone.png` });
});
