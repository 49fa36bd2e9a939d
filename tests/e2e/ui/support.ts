// Helpers shared by the browser specs: a desktop browser's user agent (headless Chromium's own
// is recognised as a bot), and the few page actions most specs repeat.
import { type BrowserContext, expect, type Page } from "@playwright/test";
import { adminKey, BASE } from "../fixtures";

export const DESKTOP_CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

export const SCREENSHOTS = "test-results/screenshots";

/** Opens the chat and waits until it is interactive (hydrated, history loaded). */
export async function openChat(page: Page, path = "/") {
  await page.goto(path);
  await expect(page.locator("form[data-ready]")).toBeVisible();
}

export function composer(page: Page) {
  return page.getByRole("textbox", { name: "Message Cognomega" });
}

export async function send(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

/** The newest answer in the open conversation. */
export function lastAnswer(page: Page) {
  return page.getByRole("article", { name: "Cognomega's answer" }).last();
}

export async function useAccountEmail(page: Page, email: string) {
  await page.getByText("Use my", { exact: false }).first().click();
  await page.getByLabel("Account email").fill(email);
  await page.getByRole("button", { name: "Use this email" }).click();
  await expect(page.getByRole("button", { name: "Use as guest" })).toBeVisible();
}

export async function adminSignIn(page: Page, next = "/admin") {
  await page.goto(next);
  await page.getByLabel("Admin key").fill(adminKey());
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Dashboard" })).toBeVisible();
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A stored conversation of `pairs` questions and answers, opened as the active chat. It is
 *  written before the page's own scripts run (once per tab), so the chat loads it as history. */
export async function openLongChat(page: Page, pairs: number, title = "A long conversation") {
  await page.addInitScript(
    ({ pairs, title }) => {
      if (sessionStorage.getItem("e2e:seeded")) return;
      sessionStorage.setItem("e2e:seeded", "1");
      const turns = [];
      for (let i = 1; i <= pairs; i++) {
        turns.push({ id: `u${i}`, role: "user", text: `Question ${i}: tell me about topic ${i}.` });
        const body = Array.from({ length: 4 }, (_, j) => `Paragraph ${j + 1} of answer ${i}, long enough to wrap.`);
        turns.push({ id: `a${i}`, role: "assistant", status: "done", text: body.join("\n\n") });
      }
      const conversation = { id: "long-chat", title, updatedAt: Date.now(), turns };
      localStorage.setItem("cg:conversations:v1", JSON.stringify([conversation]));
    },
    { pairs, title },
  );
  await openChat(page);
}

/** How far the conversation is from its end, in pixels (0 at the bottom). */
export function gapToEnd(page: Page): Promise<number> {
  return page
    .getByTestId("transcript")
    .evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
}

let sessionCookie: Promise<string> | undefined;

/** Signs in through the sign-in form's action once per test file and keeps the session cookie. */
function adminSessionCookie(): Promise<string> {
  sessionCookie ??= (async () => {
    const response = await fetch(`${BASE}/admin/sign-in`, {
      method: "POST",
      body: new URLSearchParams({ key: adminKey(), next: "/admin" }),
      redirect: "manual",
    });
    const value = /cg_admin=([^;]+)/.exec(response.headers.get("Set-Cookie") ?? "")?.[1];
    if (!value) throw new Error(`admin sign-in gave no session (HTTP ${response.status})`);
    return value;
  })();
  return sessionCookie;
}

/**
 * An admin session for `context` without typing the key each time (sign-in allows ten tries a
 * minute per address, and these tests share one): the cookie one real sign-in issued.
 */
export async function adminSession(context: BrowserContext) {
  const value = await adminSessionCookie();
  await context.addCookies([{ name: "cg_admin", value, url: BASE, httpOnly: true, sameSite: "Strict" }]);
}
