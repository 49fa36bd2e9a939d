// How the pages are served: a nonce-based Content-Security-Policy that the page still hydrates
// under, the other hardening headers, and the tier picker's header.
import { expect, test } from "@playwright/test";
import { composer, DESKTOP_CHROME, lastAnswer, openChat, send } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

test("the chat page is served under a nonce-based CSP and still hydrates", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/");
  const headers = response?.headers() ?? {};
  const policy = headers["content-security-policy"] ?? "";
  const nonce = policy.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
  expect(nonce).toBeTruthy();
  expect(policy).toContain("script-src 'self' 'nonce-");
  expect(policy).toContain("https://challenges.cloudflare.com");
  for (const directive of [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "frame-src https://challenges.cloudflare.com",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ]) {
    expect(policy.split("; ")).toContain(directive);
  }
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBeTruthy();

  // Every inline script carries this response's nonce (the browser hides it from attributes).
  const scripts = await page
    .locator("script:not([src])")
    .evaluateAll((nodes) => nodes.map((node) => (node as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(new Set(scripts)).toEqual(new Set([nonce]));

  await expect(page.locator("form[data-ready]")).toBeVisible();
  await send(page, "Does the page work under its policy?");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  expect(violations).toEqual([]);
});

test("the admin pages are served under the same policy", async ({ request }) => {
  const response = await request.get("/admin/sign-in");
  expect(response.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the tier picker offers the operator's tiers and sends the choice as X-Intelligence-Tier", async ({ page }) => {
  await openChat(page);
  const picker = page.getByRole("combobox", { name: "Tier" });
  // Each with its price (credits per 1K input / output tokens).
  await expect(picker.locator("option")).toHaveText(["Standard · 0.05 / 0.05 per 1K", "smart · 0.05 / 0.05 per 1K"]);
  await picker.selectOption("smart");
  const asked = page.waitForRequest((request) => request.url().endsWith("/api/si/ask"));
  await send(page, "Think carefully, please.");
  expect((await asked).headers()["x-intelligence-tier"]).toBe("smart");
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  // The tier maps the local provider to gpt-4o, and the answer says so.
  await expect(lastAnswer(page)).toContainText("openai · gpt-4o ·");
});

test("a remembered tier the service no longer offers is not sent", async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem("cg:tier", "fast"));
  await openChat(page);
  await expect(page.getByRole("combobox", { name: "Tier" })).toHaveValue("");
  const asked = page.waitForRequest((request) => request.url().endsWith("/api/si/ask"));
  await composer(page).fill("Which tier am I on?");
  await composer(page).press("Enter");
  const request = await asked;
  expect(request.headers()["x-intelligence-tier"]).toBeUndefined();
  expect(request.postDataJSON()).toMatchObject({
    stream: true,
    messages: [{ role: "user", content: "Which tier am I on?" }],
  });
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
});
