// The accessibility sweep: axe-core on every page and state of the chat and the dashboard, in
// light and dark, at desktop and phone sizes. Any finding fails the test (the bar is zero
// serious or critical ones; the moderate and minor ones are kept at zero too).
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { grant, uniqueEmail } from "../fixtures";
import { adminSession, DESKTOP_CHROME, lastAnswer, openChat, send } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;
const SCHEMES = ["light", "dark"] as const;

/** Runs axe on the page as it is now; fails with each serious or critical finding named. */
async function expectAccessible(page: Page, state: string) {
  // Let transitions and the theme class settle before colours are measured.
  await page.waitForTimeout(150);
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const described = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  if (process.env.AXE_LOG)
    for (const v of results.violations)
      console.log(`AXE ${state}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(described, `axe findings in state "${state}"`).toEqual([]);
  return results;
}

async function setScheme(page: Page, scheme: (typeof SCHEMES)[number]) {
  await page.emulateMedia({ colorScheme: scheme });
}

for (const viewport of VIEWPORTS) {
  for (const scheme of SCHEMES) {
    test(`the chat has no serious axe findings when empty, streaming, answered, failed or with the drawer open (${viewport.name}, ${scheme})`, async ({
      page,
    }) => {
      await page.setViewportSize(viewport);
      await setScheme(page, scheme);
      await openChat(page);
      await expectAccessible(page, "chat empty");

      await send(page, "Tell me a long story [[upstream: token_delay=120;words=120]]");
      await expect(lastAnswer(page)).toContainText("word3");
      await expectAccessible(page, "chat streaming");
      await page.getByRole("button", { name: "Stop" }).click();
      await expect(lastAnswer(page)).toHaveAttribute("data-status", "stopped");

      // An answer with a table and code wider than a phone.
      await send(
        page,
        "A table\n\n|Heading one|Heading two|Heading three|Heading four|\n|-|-|-|-|\n|a-wide-cell-value|a-wide-cell-value|a-wide-cell-value|a-wide-cell-value|",
      );
      await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
      await expectAccessible(page, "chat answered");

      await send(page, "Are you there? [[upstream: status=500]]");
      await expect(lastAnswer(page).getByRole("alert")).toBeVisible();
      await expectAccessible(page, "chat error");

      if (viewport.name === "phone") {
        await page.getByRole("button", { name: "Conversations", exact: true }).click();
        await expect(page.getByRole("navigation", { name: "Chat history" })).toBeVisible();
        await expectAccessible(page, "drawer open");
      }
    });

    test(`the dashboard has no serious axe findings on sign-in, the overview, accounts, an account, system and an unknown account (${viewport.name}, ${scheme})`, async ({
      page,
      context,
    }) => {
      // Six pages, each analysed: more than the default time under load.
      test.setTimeout(90_000);
      const email = uniqueEmail("axe");
      await grant(email, 7);
      await page.setViewportSize(viewport);
      await setScheme(page, scheme);
      await page.goto("/admin/sign-in");
      await expectAccessible(page, "admin sign-in");

      await adminSession(context);
      await page.goto("/admin");
      await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
      await expectAccessible(page, "admin overview");

      await page.goto("/admin/accounts");
      await expect(page.getByRole("heading", { name: "Accounts", level: 1 })).toBeVisible();
      await expectAccessible(page, "admin accounts");

      await page.goto(`/admin/accounts/${encodeURIComponent(email)}`);
      await expect(page.getByTestId("account-balance")).toHaveText("7");
      await expectAccessible(page, "admin account");

      await page.goto("/admin/system");
      await expect(page.getByRole("heading", { name: "System", level: 1 })).toBeVisible();
      await expectAccessible(page, "admin system");

      await page.goto("/admin/accounts/nobody-at-all");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectAccessible(page, "admin unknown account");
    });
  }
}
