// A message typed and sent the moment the page appears is never lost: before the page has
// hydrated, Enter holds the message and the chat sends it as soon as it is ready.
import { expect, test } from "@playwright/test";
import { composer, DESKTOP_CHROME, lastAnswer } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

test("typing and pressing Enter right after navigation always gets the answer, ten times in a row", async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The page's scripts arrive late, as on a slow connection, so every message below is typed
  // and sent before the chat has hydrated.
  await page.route("**/assets/*.js", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  let beforeHydration = 0;
  for (let i = 1; i <= 10; i++) {
    await page.goto("/", { waitUntil: "commit" });
    const box = composer(page);
    await box.pressSequentially(`early message ${i}`);
    if (await page.evaluate(() => !document.querySelector("form[data-ready]"))) beforeHydration += 1;
    await box.press("Enter");
    const answer = lastAnswer(page);
    await expect(answer).toContainText(`You asked: early message ${i}`, { timeout: 20_000 });
    await expect(answer).toHaveAttribute("data-status", "done");
    await expect(page.getByRole("article", { name: "Your message" }).last()).toHaveText(/early message \d+/);
    await expect(box).toHaveValue("");
  }
  // The race was really run: the messages went in before the page was ready.
  expect(beforeHydration).toBe(10);
});

test("with scripts at full speed, an immediate Enter is never lost either", async ({ page }) => {
  // Five page loads and answers: generous under a loaded machine.
  test.setTimeout(90_000);
  for (let i = 1; i <= 5; i++) {
    await page.goto("/", { waitUntil: "commit" });
    await composer(page).pressSequentially(`quick ${i}`);
    await composer(page).press("Enter");
    await expect(lastAnswer(page)).toContainText(`You asked: quick ${i}`, { timeout: 20_000 });
    await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  }
});

test("an Enter at the very moment the chat takes the message box over from the early script is not lost", async ({
  page,
}) => {
  // The moment the composer marks itself ready (the early script steps aside), a message typed
  // before hydration is in the box and Enter is pressed. Before the fix, React's handler still
  // saw the empty state of the server render there, and neither it nor the script sent anything.
  await page.addInitScript(() => {
    let ready = false;
    Object.defineProperty(window, "__cgComposerReady", {
      configurable: true,
      get: () => ready,
      set(value: boolean) {
        ready = value;
        const box = document.getElementById("composer") as HTMLTextAreaElement | null;
        if (!box) return;
        box.value = "at the hand-over";
        box.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
      },
    });
  });
  await page.goto("/");
  await expect(lastAnswer(page)).toContainText("You asked: at the hand-over", { timeout: 20_000 });
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await expect(page.getByRole("article", { name: "Your message" })).toHaveCount(1);
  await expect(composer(page)).toHaveValue("");
});

test("Shift+Enter before the page is ready still adds a line instead of sending", async ({ page }) => {
  await page.route("**/assets/*.js", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.goto("/", { waitUntil: "commit" });
  await composer(page).pressSequentially("line one");
  await composer(page).press("Shift+Enter");
  await composer(page).pressSequentially("line two");
  await expect(page.locator("form[data-ready]")).toBeVisible();
  await expect(composer(page)).toHaveValue("line one\nline two");
  await expect(page.getByRole("article", { name: "Your message" })).toHaveCount(0);
});
