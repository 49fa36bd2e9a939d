// Every script, every length: right-to-left text reads right to left, long words and URLs wrap
// inside their bubbles, and wide code and tables scroll inside a focusable, named region with a
// visible hint — at desktop and phone sizes, with every element box inside the viewport.
import { expect, type Page, test } from "@playwright/test";
import { composer, DESKTOP, DESKTOP_CHROME, lastAnswer, openChat, PHONE, SCREENSHOTS, send } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

const direction = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((element) => getComputedStyle(element).direction);

/** Elements of the page whose box leaves the viewport sideways (ignoring content that scrolls
 *  inside its own region, and visually hidden text). */
function boxesOutsideViewport(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const width = document.documentElement.clientWidth;
    for (const element of document.body.querySelectorAll<HTMLElement>("*")) {
      if (element.closest(".wide-scroll, [role=region][tabindex], .sr-only")) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.left < -1 || box.right > width + 1) {
        out.push(
          `${element.tagName.toLowerCase()}.${element.className} (${Math.round(box.left)}–${Math.round(box.right)})`,
        );
      }
    }
    return out;
  });
}

const LONG_WORD = `Pneumonoultramicroscopicsilicovolcanoconiosis${"x".repeat(180)}`;
const LONG_URL = `https://example.com/${"very-long-path-segment/".repeat(10)}?query=${"abc".repeat(30)}`;

for (const [name, viewport] of [
  ["desktop", DESKTOP],
  ["phone", PHONE],
] as const) {
  test(`long words and URLs wrap inside the bubbles and nothing leaves the screen (${name})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openChat(page);
    await send(page, `${LONG_WORD} and ${LONG_URL}`);
    await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
    const bubble = page.getByRole("article", { name: "Your message" }).locator("p");
    const box = await bubble.boundingBox();
    expect(box?.x).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(viewport.width);
    expect(await boxesOutsideViewport(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
  });

  test(`wide code and tables scroll inside a named, focusable region with a visible hint (${name})`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await openChat(page);
    const header = Array.from({ length: 8 }, (_, i) => `Heading${i + 1}`);
    const table = [
      `|${header.join("|")}|`,
      `|${header.map(() => "-").join("|")}|`,
      `|${header.map((_, i) => `cell-${i + 1}-is-wide`).join("|")}|`,
    ].join("\n");
    const code = `\`\`\`python\nprint("${"wide code ".repeat(9)}")\n\`\`\``;
    const question = `Data:\n\n${table}\n\n${code}`;
    // The local model quotes up to 400 characters of the question.
    expect(question.length).toBeLessThan(400);
    await send(page, question);
    const answer = lastAnswer(page);
    await expect(answer).toHaveAttribute("data-status", "done");

    const tableRegion = answer.getByRole("region", { name: "Table 1" });
    await expect(tableRegion.locator("table")).toBeVisible();
    await expect(tableRegion).toHaveAttribute("tabindex", "0");
    await expect(answer.locator(".wide-table .wide-hint")).toBeVisible();
    const python = answer.getByRole("region", { name: "Code block 1 (python)" });
    await expect(python).toHaveAttribute("tabindex", "0");
    await expect(answer.locator(".code-block").first().locator(".wide-hint")).toBeVisible();

    // The keyboard scrolls a focused region.
    await tableRegion.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => tableRegion.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
    expect(await boxesOutsideViewport(page)).toEqual([]);
    if (name === "phone") {
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(300);
        await page.screenshot({ path: `${SCREENSHOTS}/wide-table-phone-${scheme}.png` });
      }
    }
  });
}

test("a short code block that fits is not a tab stop and shows no hint", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openChat(page);
  await send(page, "Short code please");
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute("data-status", "done");
  const region = answer.getByRole("region", { name: "Code block 1 (js)" });
  await expect(region).toBeVisible();
  await expect(region).not.toHaveAttribute("tabindex");
  await expect(answer.locator(".wide-hint")).toBeHidden();
});

test("Arabic and Hebrew are laid out right to left in prompts, answers, titles and the composer", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await openChat(page);
  await composer(page).fill("مرحبا، كيف حالك اليوم؟");
  expect(await direction(page, "#composer")).toBe("rtl");
  await composer(page).press("Enter");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  const prompt = page.getByRole("article", { name: "Your message" }).locator("p");
  expect(await prompt.evaluate((element) => getComputedStyle(element).direction)).toBe("rtl");
  // The question mark ends the sentence on the left, where Arabic ends.
  const marks = await prompt.evaluate((element) => {
    const text = element.firstChild as Text;
    const range = document.createRange();
    range.setStart(text, text.length - 1);
    range.setEnd(text, text.length);
    const mark = range.getBoundingClientRect();
    const all = element.getBoundingClientRect();
    return { mark: mark.left - all.left, width: all.width };
  });
  expect(marks.mark).toBeLessThan(marks.width / 2);
  const title = page.getByRole("navigation", { name: "Chat history" }).getByRole("button").first();
  expect(await title.evaluate((element) => getComputedStyle(element).direction)).toBe("rtl");

  // An answer's Hebrew paragraph reads right to left; its English paragraph stays left to right.
  await send(page, "Translate this\n\nשלום עולם, מה שלומך?");
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute("data-status", "done");
  // In the mixed message each line takes its own direction: the Hebrew line's question mark
  // stands at its left end, before the line's first letter.
  const mixed = page.getByRole("article", { name: "Your message" }).last().locator("p");
  const order = await mixed.evaluate((element) => {
    const text = element.firstChild as Text;
    const leftOf = (index: number) => {
      const range = document.createRange();
      range.setStart(text, index);
      range.setEnd(text, index + 1);
      return range.getBoundingClientRect().left;
    };
    return { mark: leftOf(text.length - 1), firstLetter: leftOf(text.data.indexOf("ש")) };
  });
  expect(order.mark).toBeLessThan(order.firstLetter);
  const hebrew = answer.locator(".markdown p", { hasText: "שלום עולם" });
  expect(await hebrew.evaluate((element) => getComputedStyle(element).direction)).toBe("rtl");
  const english = answer.locator(".markdown p", { hasText: "You asked" });
  expect(await english.evaluate((element) => getComputedStyle(element).direction)).toBe("ltr");
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENSHOTS}/rtl-${scheme}.png` });
  }
});
