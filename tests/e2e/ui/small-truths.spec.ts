// Small truths on the chat page: a guest's allowance left, Enter on touch screens, and a
// provider's Retry-After shown as a countdown that opens Retry only when it ends.
import { expect, test } from "@playwright/test";
import { composer, DESKTOP, DESKTOP_CHROME, lastAnswer, openChat, PHONE, SCREENSHOTS, send } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

test("a guest sees the allowance left, and it goes down by what each answer cost", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openChat(page);
  const allowance = page.getByTestId("guest-allowance");
  await expect(allowance).toHaveText("1");
  await expect(page.getByRole("banner")).toContainText(/Guest · (allowance: )?1 credit left/);

  await send(page, "What does this cost?");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  const line = await lastAnswer(page).getByTestId("billing-line").textContent();
  const cost = Number(/([\d.]+) credits$/.exec(line ?? "")?.[1]);
  expect(cost).toBeGreaterThan(0);
  await expect.poll(async () => Number(await allowance.textContent())).toBeCloseTo(1 - cost, 4);

  // The same figure GET /api/credits gives for this guest.
  const body = await page.evaluate(async () => (await fetch("/api/credits")).json());
  expect(body.kind).toBe("guest");
  expect(Number(await allowance.textContent())).toBeCloseTo(body.available, 4);
});

test("on a touch screen Enter adds a line, the Send button sends, and the hint says so", async ({ browser }) => {
  const context = await browser.newContext({
    userAgent: DESKTOP_CHROME,
    viewport: PHONE,
    hasTouch: true,
    isMobile: true,
  });
  const page = await context.newPage();
  await openChat(page);
  expect(await page.evaluate(() => matchMedia("(pointer: coarse)").matches)).toBe(true);
  await expect(page.getByTestId("composer-hint")).toHaveText("The Send button sends; Enter adds a new line.");
  await expect(page.getByTestId("composer-hint")).toBeVisible();
  // No keyboard pops up unasked on a phone.
  await expect(composer(page)).not.toBeFocused();

  await composer(page).tap();
  await page.keyboard.type("First line");
  await page.keyboard.press("Enter");
  await page.keyboard.type("second line");
  await expect(composer(page)).toHaveValue("First line\nsecond line");
  await expect(page.getByRole("article", { name: "Your message" })).toHaveCount(0);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/touch-composer-${scheme}.png` });
  }

  await page.getByRole("button", { name: "Send" }).tap();
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await expect(lastAnswer(page)).toContainText("You asked: First line");
  await expect(composer(page)).toHaveValue("");
  await context.close();
});

test("a provider's retry_after of 30 s is a countdown, and Retry opens only when it ends", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await page.clock.install();
  await openChat(page);
  // The gateway's 503 with the wait the provider asked for (its envelope, as the API sends it
  // once the orchestrator passes the upstream's Retry-After on).
  await page.route("**/api/si/ask", (route) =>
    route.fulfill({
      status: 503,
      headers: { "Content-Type": "application/json", "Retry-After": "30" },
      body: JSON.stringify({
        ok: false,
        error: {
          code: "no_provider_available",
          message: "No language model provider could answer; try again shortly.",
          retry_after: 30,
        },
        request_id: "test-retry-after",
      }),
    }),
  );
  await send(page, "Busy upstream");
  const answer = lastAnswer(page);
  await expect(answer.getByRole("alert")).toContainText("No model is available right now");
  await expect(answer.getByRole("alert")).toContainText("Retry opens when the countdown ends.");
  const retry = answer.getByRole("button", { name: /^Retry/ });
  await expect(retry).toHaveText("Retry in 30 s");
  await expect(retry).toBeDisabled();

  // (The page's clock also runs on in real time between steps, hence the ranges.)
  await page.clock.fastForward(20_000);
  await expect(retry).toHaveText(/^Retry in (10|9|8) s$/);
  await expect(retry).toBeDisabled();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.clock.runFor(300);
    await page.screenshot({ path: `${SCREENSHOTS}/retry-countdown-${scheme}.png` });
  }
  await page.clock.fastForward(11_000);
  await expect(retry).toHaveText("Retry");
  await expect(retry).toBeEnabled();

  await page.unroute("**/api/si/ask");
  await retry.click();
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await expect(lastAnswer(page)).toContainText("You asked: Busy upstream");
});
