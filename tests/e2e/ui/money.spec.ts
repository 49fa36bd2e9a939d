// Money in the browser: "Buy credits" opens the Payment Link naming the account (and a payment
// made through it credits that account), prices in the tier picker and the cost line, the quiet
// low-balance notice, the operator overview and the CSV downloads.
import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import Stripe from "stripe";
import { E2E_STRIPE_SECRET } from "../../../playwright.config";
import { adminKey, BASE, grant, uniqueEmail } from "../fixtures";
import { adminSession, DESKTOP_CHROME, lastAnswer, openChat, send, useAccountEmail } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

async function signInWithNewKey(page: Page, email: string) {
  const response = await fetch(`${BASE}/api/admin/keys`, {
    method: "POST",
    headers: { "X-Admin-Key": adminKey(), "Content-Type": "application/json" },
    body: JSON.stringify({ email }),
  });
  const { key } = (await response.json()) as { key: { secret: string } };
  await page.locator("summary", { hasText: "Sign in with API key" }).click();
  await page.getByLabel("API key").fill(key.secret);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("balance")).toBeVisible();
}

/** Stripe's delivery of a paid checkout, signed as Stripe signs it. */
async function paidCheckout(clientReferenceId: string, email: string, cents: number) {
  const payload = JSON.stringify({
    id: `evt_${crypto.randomUUID().replace(/-/g, "")}`,
    object: "event",
    type: "checkout.session.completed",
    data: {
      object: {
        id: `cs_test_${crypto.randomUUID().replace(/-/g, "")}`,
        object: "checkout.session",
        amount_total: cents,
        currency: "usd",
        payment_status: "paid",
        client_reference_id: clientReferenceId,
        customer_details: { email },
      },
    },
  });
  const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: E2E_STRIPE_SECRET });
  return fetch(`${BASE}/api/billing/stripe/webhook`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": header },
    body: payload,
  });
}

test("Buy credits opens the Payment Link naming the account, and a payment through it credits that account", async ({
  page,
  context,
}) => {
  // Stripe's checkout page cannot be reached from here: a stand-in answers for it.
  await context.route("https://buy.stripe.com/**", (route) =>
    route.fulfill({ contentType: "text/html", body: "<title>Stripe Checkout stand-in</title>" }),
  );
  const email = uniqueEmail("buyer");
  await grant(email, 2);
  await openChat(page);
  await expect(page.getByRole("link", { name: "Buy credits" })).toHaveCount(0);
  await signInWithNewKey(page, email);
  const link = page.getByRole("banner").getByRole("link", { name: "Buy credits" });
  await expect(link).toHaveAttribute("target", "_blank");
  const href = new URL((await link.getAttribute("href")) ?? "");
  expect(href.origin + href.pathname).toBe("https://buy.stripe.com/test_cognomega");
  expect(href.searchParams.get("prefilled_email")).toBe(email);
  const reference = href.searchParams.get("client_reference_id") ?? "";
  expect(reference).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // Clicking opens the link in a new tab.
  const [popup] = await Promise.all([page.waitForEvent("popup"), link.click()]);
  await expect(popup).toHaveTitle("Stripe Checkout stand-in");
  expect(popup.url()).toBe(href.toString());
  await popup.close();

  // Paid with another email on the card: the account the link named is credited (CREDITS_PER_USD 100).
  const paid = await paidCheckout(reference, uniqueEmail("card"), 500);
  expect(paid.status).toBe(200);
  await page.reload();
  await expect(page.getByTestId("balance")).toHaveText("502");
});

test("the tier picker and each answer's cost line show prices", async ({ page }) => {
  await openChat(page);
  const picker = page.getByRole("combobox");
  await expect(picker.locator("option").first()).toHaveText("Standard · 0.05 / 0.05 per 1K");
  await expect(picker.locator("option", { hasText: "smart" })).toHaveText("smart · 0.05 / 0.05 per 1K");
  await send(page, "what does this cost?");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await expect(lastAnswer(page).getByTestId("billing-prices")).toHaveText("at 0.05 in / 0.05 out per 1K tokens");
});

test("an account under LOW_BALANCE_THRESHOLD sees a quiet notice; above it, none", async ({ page }) => {
  const low = uniqueEmail("low");
  await grant(low, 0.2);
  await openChat(page);
  await useAccountEmail(page, low);
  await expect(page.getByTestId("low-balance")).toHaveText("Your balance is below 0.5 credits.");
  const rich = uniqueEmail("rich");
  await grant(rich, 3);
  await page.getByRole("button", { name: "Use as guest" }).click();
  await useAccountEmail(page, rich);
  await expect(page.getByTestId("balance")).toHaveText("3");
  await expect(page.getByTestId("low-balance")).toHaveCount(0);
});

test("the dashboard opens on the overview: spend, chart, top accounts, provider health and a CSV download", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("overview");
  await grant(email, 5);
  for (const prompt of ["first", "second"]) {
    const asked = await fetch(`${BASE}/api/si/ask`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-User-Email": email },
      body: JSON.stringify({ prompt }),
    });
    expect(asked.status).toBe(200);
  }
  await adminSession(context);
  const top = page.getByTestId("top-accounts");
  // The figures are written just after each answer; the page is read again until they are in.
  // (Other tests' accounts may outspend this one, so the top ten is checked for rows, not for it.)
  await expect(async () => {
    await page.goto("/admin");
    await expect(top.getByRole("link").first()).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByTestId("period-today")).toContainText("Credits spent");
  await expect(page.getByRole("img", { name: /Daily credits and tokens/ })).toBeVisible();
  await expect(page.getByTestId("provider-health").getByRole("rowheader", { name: "openai" })).toBeVisible();

  // The every-account export walks the account index, refreshed a few seconds after a change
  // (OPS.md: "may lag"): download again until the new account is in it.
  await expect(async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    const text = readFileSync((await download.path()) ?? "", "utf8");
    const rows = text.split("\r\n").filter(Boolean);
    expect(rows[0]).toBe(
      "time,account,key_id,kind,provider,model,tokens_in,tokens_out,credits,balance_after,request_id",
    );
    expect(rows.filter((row) => row.includes(`,${email},`) && row.includes(",usage,"))).toHaveLength(2);
  }).toPass({ timeout: 30_000 });
});

test("the account page downloads that account's records as CSV", async ({ page, context }) => {
  const email = uniqueEmail("csv-account");
  await grant(email, 4);
  await adminSession(context);
  await page.goto(`/admin/accounts/${encodeURIComponent(email)}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`usage-${email}.csv`);
  const rows = readFileSync((await download.path()) ?? "", "utf8")
    .split("\r\n")
    .filter(Boolean);
  expect(rows).toHaveLength(2);
  expect(rows[1]).toContain(`,${email},,adjustment,,,,,4,4,`);
});

test("the CSV download needs the admin session", async ({ page }) => {
  await page.goto("/admin/usage.csv");
  await expect(page).toHaveURL(/\/admin\/sign-in\?next=%2Fadmin%2Fusage\.csv$/);
});
