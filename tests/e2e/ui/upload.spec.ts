// Files into the conversation: a real progress bar while bytes go up, the size limit checked
// before anything is sent, and the list of the user's uploads.
import { expect, test } from "@playwright/test";
import { DESKTOP_CHROME, openChat } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

const LIMIT = 2 * 1024 * 1024; // MAX_UPLOAD_BYTES in playwright.config.ts

test("an upload shows its progress, lands in the conversation and in the uploads list", async ({ page }) => {
  await openChat(page);
  // A slow uplink, so the progress bar has something to show.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 512 * 1024,
  });

  const seen = new Set<number>();
  const bar = page.getByRole("progressbar");
  await page.getByLabel(/Attach/).setInputFiles({
    name: "notes.bin",
    mimeType: "application/octet-stream",
    buffer: Buffer.alloc(1536 * 1024, 7),
  });
  await expect(bar).toBeVisible();
  await expect
    .poll(
      async () => {
        const value = await bar.getAttribute("value").catch(() => null);
        if (value !== null) seen.add(Number(value));
        return [...seen].some((v) => v > 0 && v < 100);
      },
      { intervals: [50], timeout: 15_000 },
    )
    .toBe(true);

  await expect(page.getByTestId("upload-done")).toContainText("notes.bin is uploaded and attached to this chat.");
  await expect(page.getByTestId("file-turn")).toContainText("Attached notes.bin (1.5 MB)");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });

  await page.getByText("Your uploads").click();
  await expect(page.getByTestId("uploads-list")).toContainText("notes.bin");
  await expect(page.getByTestId("uploads-list")).toContainText("1.5 MB");
});

test("a file over the size limit is refused before a byte is sent", async ({ page }) => {
  await openChat(page);
  const uploads: string[] = [];
  page.on("request", (request) => request.url().includes("/api/upload/direct") && uploads.push(request.url()));
  await page.getByLabel(/Attach/).setInputFiles({
    name: "too-big.bin",
    mimeType: "application/octet-stream",
    buffer: Buffer.alloc(LIMIT + 1, 1),
  });
  await expect(page.getByTestId("upload-refused")).toContainText(
    `too-big.bin is ${LIMIT + 1} bytes; uploads are limited to ${LIMIT} bytes. Choose a smaller file.`,
  );
  await expect(page.getByTestId("upload-refused")).toHaveAttribute("role", "alert");
  expect(uploads).toEqual([]);
  await expect(page.getByTestId("file-turn")).toHaveCount(0);
});
