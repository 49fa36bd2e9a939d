// Attached files are read by the model: their content reaches it (the development model quotes
// each file's first line), a large one shows its input cost before anything is sent, and a file
// the server cannot read here is plainly shared by name only.
import { expect, type Page, test } from "@playwright/test";
import { grant } from "../fixtures";
import { composer, DESKTOP_CHROME, lastAnswer, openChat, SCREENSHOTS, send, useAccountEmail } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

test("a text file's content reaches the model, and the chat says it was read", async ({ page }) => {
  await openChat(page);
  await page.getByLabel(/Attach/).setInputFiles({
    name: "notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("Launch checklist: ship on Friday\nsecond line\n"),
  });
  await expect(page.getByTestId("file-turn")).toContainText("Attached notes.txt");
  await send(page, "What does my file say?");
  await expect(lastAnswer(page)).toContainText('Attachment notes.txt begins: "Launch checklist: ship on Friday"');
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await expect(page.getByTestId("file-shared")).toHaveText("The model read it.");
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SCREENSHOTS}/chat-attachment-read-${scheme}.png` });
  }
});

test("a large file shows what it will cost as input before it is sent", async ({ page }) => {
  // The hold covers the worst case (a token per byte): more than a guest's allowance.
  const email = `attacher-${Date.now()}@example.com`;
  await grant(email, 5);
  await openChat(page);
  await useAccountEmail(page, email);
  const rows = Array.from({ length: 2_000 }, (_, i) => `${i},row ${i},${i * 3}`).join("\n");
  await page.getByLabel(/Attach/).setInputFiles({
    name: "table.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`id,name,value\n${rows}\n`),
  });
  // About 8,000 tokens (the budget) at the local model's 0.05 credits per 1K: 0.4 credits.
  await expect(page.getByTestId("file-cost")).toHaveText(
    "Sent to the model with each message: about 8,000 tokens of input (≈ 0.4 credits).",
  );
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SCREENSHOTS}/chat-attachment-cost-${scheme}.png` });
  }
  await send(page, "How many rows?");
  await expect(lastAnswer(page)).toContainText('Attachment table.csv begins: "id,name,value"');
  await expect(page.getByTestId("file-shared")).toHaveText("The model read the first part of it.");
  // Once sent, the estimate gives way to what happened.
  await expect(page.getByTestId("file-cost")).toHaveCount(0);
});

test("a document that cannot be converted here is shared by its name only, and the chat says so", async ({ page }) => {
  await openChat(page);
  await page.getByLabel(/Attach/).setInputFiles({
    name: "report.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.7\n\u0000\u0001binary"),
  });
  await send(page, "Summarise the report");
  // Offline, Workers AI's conversion fails (at the latest after the server's 15 s conversion timeout).
  await expect(lastAnswer(page)).toContainText("Attachment report.pdf: only its name came", { timeout: 30_000 });
  await expect(page.getByTestId("file-shared")).toHaveText(
    "Only its name was shared with the model: document conversion is not available on this server.",
  );
});

/**
 * Holds every upload until the returned function is called, then lets it through (`answer`
 * unset) or answers it with `answer`: a slow or failing upload, on demand.
 */
async function holdUploads(page: Page, answer?: { status: number; body: unknown }): Promise<() => void> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/api/upload/direct**", async (route) => {
    await released;
    if (!answer) return route.continue();
    return route.fulfill({ status: answer.status, contentType: "application/json", body: JSON.stringify(answer.body) });
  });
  return release;
}

const planFile = (text: string) => ({ name: "plan.txt", mimeType: "text/plain", buffer: Buffer.from(text) });

test("a message sent while its file is still uploading waits for the file and goes with it", async ({ page }) => {
  await openChat(page);
  const finish = await holdUploads(page);
  await page.getByLabel(/Attach/).setInputFiles(planFile("Quarterly plan: hire two people\n"));
  await expect(page.getByText(/Uploading plan\.txt/)).toBeVisible();
  await send(page, "What is in my plan?");
  // Held, not sent: no answer yet, and the words stay in the box.
  await expect(page.locator("form[data-held]")).toBeVisible();
  await expect(page.getByTestId("held-for-upload")).toHaveText("Your message goes as soon as plan.txt has uploaded.");
  await expect(lastAnswer(page)).toHaveCount(0);
  await expect(composer(page)).toHaveValue("What is in my plan?");
  finish();
  await expect(lastAnswer(page)).toContainText('Attachment plan.txt begins: "Quarterly plan: hire two people"');
  await expect(page.getByTestId("file-shared")).toHaveText("The model read it.");
  await expect(composer(page)).toHaveValue("");
  await expect(page.getByTestId("held-for-upload")).toHaveCount(0);
  // One conversation holds the file, the question and its answer.
  await expect(page.getByRole("navigation", { name: "Chat history" }).getByRole("listitem")).toHaveCount(1);
});

test("a message waiting for an upload that fails stays in the box, unsent", async ({ page }) => {
  await openChat(page);
  const fail = await holdUploads(page, {
    status: 503,
    body: { ok: false, error: { code: "unavailable", message: "Storage is unavailable." } },
  });
  await page.getByLabel(/Attach/).setInputFiles(planFile("x\n"));
  await send(page, "What is in my plan?");
  await expect(page.locator("form[data-held]")).toBeVisible();
  fail();
  await expect(page.getByTestId("upload-failed")).toContainText("plan.txt was not uploaded");
  await expect(page.locator("form[data-held]")).toHaveCount(0);
  await expect(composer(page)).toHaveValue("What is in my plan?");
  await expect(lastAnswer(page)).toHaveCount(0);
});
