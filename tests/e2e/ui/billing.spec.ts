// Credits from the dashboard to the chat: an admin grants credits, the user sees them and
// watches them go down; an account without credits is told what to do.
import { expect, test } from "@playwright/test";
import { uniqueEmail } from "../fixtures";
import { adminSignIn, DESKTOP_CHROME, lastAnswer, openChat, send, useAccountEmail } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

test("an admin grants credits to an email and that user's balance shows in the chat", async ({ page, browser }) => {
  const email = uniqueEmail("granted");
  const admin = page;
  await adminSignIn(admin, "/admin/accounts");
  await admin.getByLabel(/Search by email/).fill(email);
  await admin.getByRole("button", { name: "Search" }).click();
  await admin.getByRole("link", { name: `Open ${email} anyway` }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(email);
  await admin.getByLabel("Amount (credits)").fill("40");
  await admin.getByLabel("Reason").fill("e2e welcome grant");
  await admin.getByRole("button", { name: "Apply" }).click();
  await expect(admin.getByRole("status")).toHaveText("Done: 0 → 40 credits.");
  await expect(admin.getByTestId("account-balance")).toHaveText("40");
  await expect(admin.getByTestId("usage-table")).toContainText("e2e welcome grant");

  // The user, in their own browser.
  const chat = await (await browser.newContext({ userAgent: DESKTOP_CHROME })).newPage();
  await openChat(chat);
  await useAccountEmail(chat, email);
  await expect(chat.getByTestId("balance")).toHaveText("40");

  await send(chat, "Spend a little");
  await expect(lastAnswer(chat)).toHaveAttribute("data-status", "done");
  const line = (await lastAnswer(chat).getByTestId("billing-line").textContent()) ?? "";
  const used = Number(line.match(/· ([\d.]+) credits$/)?.[1]);
  expect(used).toBeGreaterThan(0);
  await expect(chat.getByTestId("balance")).toHaveText(String(Number((40 - used).toFixed(6))));

  // The dashboard shows the same spend in the account's ledger.
  await admin.reload();
  await expect(admin.getByTestId("usage-table")).toContainText("openai · gpt-4o-mini");
  await expect(admin.getByTestId("account-balance")).toHaveText(String(Number((40 - used).toFixed(6))));
});

test("an account without credits is told it is out of credits and what to do", async ({ page }) => {
  const email = uniqueEmail("broke");
  await openChat(page);
  await useAccountEmail(page, email);
  await expect(page.getByTestId("balance")).toHaveText("0");
  await send(page, "Will this work?");
  const alert = lastAnswer(page).getByRole("alert");
  await expect(alert).toContainText("Out of credits");
  await expect(alert).toContainText("Not enough credits for this request");
  await expect(alert).toContainText(`Ask an admin to add credits to ${email}`);
  await expect(alert).toHaveAttribute("data-problem", "insufficient_credits");
});

test("a bad email is refused with a field error, and a user can go back to being a guest", async ({ page }) => {
  await openChat(page);
  await page.getByText("Use my", { exact: false }).first().click();
  await page.getByLabel("Account email").fill("not-an-email");
  await page.getByRole("button", { name: "Use this email" }).click();
  await expect(page.getByRole("alert")).toHaveText("Enter an email address like name@example.com.");
  await expect(page.getByLabel("Account email")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Account email").fill(uniqueEmail("switch"));
  await page.getByRole("button", { name: "Use this email" }).click();
  await expect(page.getByTestId("balance")).toHaveText("0");
  await page.getByRole("button", { name: "Use as guest" }).click();
  await expect(page.getByText("Use my", { exact: false }).first()).toBeVisible();
  await expect(page.getByTestId("balance")).toHaveCount(0);
});
