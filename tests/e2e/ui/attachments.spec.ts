// Attached files are read by the model: their content reaches it (the development model quotes
// each file's first line), a large one shows its input cost before anything is sent, and a file
// the server cannot read here is plainly shared by name only.
import { expect, test } from "@playwright/test";
import { grant } from "../fixtures";
import { DESKTOP_CHROME, lastAnswer, openChat, SCREENSHOTS, send, useAccountEmail } from "./support";

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

test.describe("a document the binding cannot convert offline", () => {
  // Offline, the Workers AI binding's conversion call goes to wrangler's remote proxy, which now and
  // then stalls the whole request (not our timeout) in a long run; a stalled attempt is retried.
  // The fallback itself is also covered inside workerd (tests/worker/attachments.test.ts).
  test.describe.configure({ retries: 2 });

  test("a document that cannot be converted here is shared by its name only, and the chat says so", async ({
    page,
  }) => {
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
});
