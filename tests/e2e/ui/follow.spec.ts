// Following the conversation in a long (50-message) chat: sending brings the question into
// view, the streaming answer is followed while the reader is at the bottom and left alone once
// they scroll up (no jump when it ends), and "↓ Latest" takes them back.
import { expect, type Page, test } from "@playwright/test";
import {
  composer,
  DESKTOP,
  DESKTOP_CHROME,
  gapToEnd,
  lastAnswer,
  openLongChat,
  PHONE,
  SCREENSHOTS,
  send,
} from "./support";

test.use({ userAgent: DESKTOP_CHROME });

const latest = (page: Page) => page.getByRole("button", { name: "Latest" });
const scrollTop = (page: Page) => page.getByTestId("transcript").evaluate((element) => element.scrollTop);

for (const [name, viewport] of [
  ["desktop", DESKTOP],
  ["phone", PHONE],
] as const) {
  test(`a long chat follows the streaming answer until the reader scrolls up, and never jumps at its end (${name})`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await openLongChat(page, 25);
    await expect(page.getByRole("article", { name: "Your message" })).toHaveCount(25);
    // The chat opens at its newest message, with nothing to jump to.
    await expect.poll(() => gapToEnd(page)).toBeLessThan(2);
    await expect(latest(page)).toHaveCount(0);

    // Reading from the top, the way back is offered.
    await page.getByTestId("transcript").evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(latest(page)).toBeVisible();

    // Sending brings the new question into view, and the answer is followed as it streams.
    await send(page, "Follow me please [[upstream: token_delay=50;words=160]]");
    await expect(page.getByRole("article", { name: "Your message" }).last()).toBeInViewport();
    await expect(latest(page)).toHaveCount(0);
    await expect(lastAnswer(page)).toContainText("word40");
    await expect(lastAnswer(page)).toHaveAttribute("data-status", "streaming");
    await expect.poll(() => gapToEnd(page)).toBeLessThan(4);
    await expect(lastAnswer(page).getByText(/word\d+/)).toBeInViewport();

    // Scrolling up mid-stream is respected: the view stays put while words keep arriving.
    const box = await page.getByTestId("transcript").boundingBox();
    if (!box) throw new Error("the transcript is not on screen");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -700);
    await expect(latest(page)).toBeVisible();
    await page.waitForTimeout(400);
    const reading = await scrollTop(page);
    await expect(lastAnswer(page)).toContainText("word100");
    expect(Math.abs((await scrollTop(page)) - reading)).toBeLessThanOrEqual(1);

    // ...and when the answer ends, there is no jump to the bottom.
    await expect(lastAnswer(page)).toHaveAttribute("data-status", "done", { timeout: 30_000 });
    await page.waitForTimeout(300);
    expect(Math.abs((await scrollTop(page)) - reading)).toBeLessThanOrEqual(1);
    await expect(latest(page)).toBeVisible();
    if (name === "desktop") {
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(300); // colour transitions
        await page.screenshot({ path: `${SCREENSHOTS}/follow-latest-${scheme}.png` });
      }
    }

    // "↓ Latest" goes to the end and hands the keyboard back to the message box.
    await latest(page).click();
    await expect.poll(() => gapToEnd(page)).toBeLessThan(2);
    await expect(latest(page)).toHaveCount(0);
    await expect(lastAnswer(page).getByTestId("billing-line")).toBeInViewport();
    await expect(composer(page)).toBeFocused();
  });
}

test("scrolling back to the bottom during a stream resumes following", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openLongChat(page, 25);
  await send(page, "Again [[upstream: token_delay=50;words=200]]");
  await expect(lastAnswer(page)).toContainText("word20");
  await page.getByTestId("transcript").evaluate((element) => element.scrollBy({ top: -600 }));
  await expect(latest(page)).toBeVisible();
  await page.getByTestId("transcript").evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(latest(page)).toHaveCount(0);
  await expect(lastAnswer(page)).toContainText("word120");
  await expect.poll(() => gapToEnd(page)).toBeLessThan(4);
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await expect.poll(() => gapToEnd(page)).toBeLessThan(2);
});
