// Answers read aloud: the button plays the answer (through the Cartesia stand-in of the local
// model server), pauses, resumes and stops it, shows what it cost, works from the keyboard, and
// lets only one answer speak at a time.
import { expect, type Locator, type Page, test } from "@playwright/test";
import { grant, uniqueEmail } from "../fixtures";
import { DESKTOP_CHROME, lastAnswer, openChat, send, useAccountEmail } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

/** The answer's <audio> element, as the page sees it. */
function audioState(answer: Locator) {
  return answer.getByTestId("read-aloud-audio").evaluate((element) => {
    const audio = element as HTMLAudioElement;
    return { paused: audio.paused, time: audio.currentTime, ended: audio.ended, src: audio.src };
  });
}

async function isPlaying(answer: Locator) {
  const before = await audioState(answer);
  if (before.paused) return false;
  await answer.page().waitForTimeout(250);
  const after = await audioState(answer);
  return !after.paused && after.time > before.time;
}

async function answered(page: Page, question: string) {
  await send(page, question);
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute("data-status", "done");
  return answer;
}

test("Read aloud plays an answer, pauses, resumes and stops it, then shows its cost", async ({ page }) => {
  await openChat(page);
  const answer = await answered(page, "Tell me about tides");
  const toggle = answer.getByTestId("read-aloud");
  await expect(toggle).toHaveText("Read aloud");
  await toggle.click();

  await expect.poll(() => isPlaying(answer), { timeout: 15_000 }).toBe(true);
  await expect(toggle).toHaveText("Pause");
  await expect(answer.getByRole("status")).toHaveText(/^Read aloud · [\d.]+ credits$/);

  await toggle.click();
  await expect(toggle).toHaveText("Resume");
  const paused = await audioState(answer);
  expect(paused.paused).toBe(true);
  await page.waitForTimeout(300);
  expect((await audioState(answer)).time).toBe(paused.time);

  await toggle.click();
  await expect.poll(() => isPlaying(answer)).toBe(true);

  await answer.getByRole("button", { name: "Stop reading" }).click();
  await expect(toggle).toHaveText("Read aloud");
  await expect(toggle).toBeFocused();
  expect(await audioState(answer)).toMatchObject({ paused: true, src: "" });
  // Stopping does not take the cost away: it was paid when the audio started.
  await expect(answer.getByRole("status")).toHaveText(/^Read aloud · [\d.]+ credits$/);
});

test("the clip plays to its end, and playing it again costs nothing more", async ({ page }) => {
  await openChat(page);
  const answer = await answered(page, "Short one");
  const toggle = answer.getByTestId("read-aloud");
  const readings: string[] = [];
  page.on("request", (request) => request.url().endsWith("/api/tts") && readings.push(request.url()));
  await toggle.click();
  await expect.poll(() => isPlaying(answer), { timeout: 15_000 }).toBe(true);
  const cost = await answer.getByRole("status").textContent();
  // The stand-in's clip is at most 4 s long.
  await expect(toggle).toHaveText("Read aloud", { timeout: 10_000 });
  expect((await audioState(answer)).ended).toBe(true);

  await toggle.click();
  await expect.poll(() => isPlaying(answer)).toBe(true);
  expect(readings).toHaveLength(1);
  await expect(answer.getByRole("status")).toHaveText(cost ?? "");
});

test("a browser without Media Source Extensions plays the clip once it has arrived", async ({ page }) => {
  await page.addInitScript(() => Reflect.deleteProperty(window, "MediaSource"));
  await openChat(page);
  expect(await page.evaluate(() => typeof window.MediaSource)).toBe("undefined");
  const answer = await answered(page, "No streaming here");
  await answer.getByTestId("read-aloud").click();
  await expect.poll(() => isPlaying(answer), { timeout: 15_000 }).toBe(true);
  await expect(answer.getByRole("status")).toHaveText(/^Read aloud · [\d.]+ credits$/);
});

test("Read aloud is reached and worked with the keyboard", async ({ page }) => {
  await openChat(page);
  const answer = await answered(page, "Keyboard please");
  await answer.getByRole("button", { name: "Copy answer" }).focus();
  await page.keyboard.press("Tab");
  const toggle = answer.getByTestId("read-aloud");
  await expect(toggle).toBeFocused();
  await page.keyboard.press("Enter");
  await expect.poll(() => isPlaying(answer), { timeout: 15_000 }).toBe(true);
  await page.keyboard.press("Space");
  await expect(toggle).toHaveText("Resume");
  await page.keyboard.press("Tab");
  await expect(answer.getByRole("button", { name: "Stop reading" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveText("Read aloud");
  await expect(toggle).toBeFocused();
});

test("only one answer speaks at a time", async ({ page }) => {
  await openChat(page);
  await answered(page, "First question");
  await answered(page, "Second question");
  const answers = page.getByRole("article", { name: "Cognomega's answer" });
  const [first, second] = [answers.nth(0), answers.nth(1)];
  await first.getByTestId("read-aloud").click();
  await expect.poll(() => isPlaying(first), { timeout: 15_000 }).toBe(true);

  await second.getByTestId("read-aloud").click();
  await expect.poll(() => isPlaying(second), { timeout: 15_000 }).toBe(true);
  await expect(first.getByTestId("read-aloud")).toHaveText("Read aloud");
  expect((await audioState(first)).paused).toBe(true);
});

test("the stand-in's MP3 and WAV clips are real audio a browser decodes", async ({ page }) => {
  await openChat(page);
  const decoded = await page.evaluate(async () => {
    const out: Record<string, { type: string; seconds: number; rms: number }> = {};
    for (const format of ["mp3", "wav"]) {
      const response = await fetch("/api/tts", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: "A tone, decoded by the browser itself.", format }),
      });
      const audio = await new OfflineAudioContext(1, 1, 44_100).decodeAudioData(await response.arrayBuffer());
      const samples = audio.getChannelData(0);
      const energy = samples.reduce((sum, sample) => sum + sample * sample, 0);
      out[format] = {
        type: response.headers.get("Content-Type") ?? "",
        seconds: audio.duration,
        rms: Math.sqrt(energy / samples.length),
      };
    }
    return out;
  });
  for (const [format, type] of [
    ["mp3", "audio/mpeg"],
    ["wav", "audio/wav"],
  ]) {
    expect(decoded[format ?? ""]?.type).toBe(type);
    expect(decoded[format ?? ""]?.seconds).toBeGreaterThan(1);
    // A tone, not silence.
    expect(decoded[format ?? ""]?.rms).toBeGreaterThan(0.05);
  }
});

test("an account's balance follows the reading, and a reading it cannot pay for says so", async ({ page }) => {
  const email = uniqueEmail("listener");
  await grant(email, 10);
  await openChat(page);
  await useAccountEmail(page, email);
  await answered(page, "First of two");
  await answered(page, "Second of two");
  const answers = page.getByRole("article", { name: "Cognomega's answer" });
  const balance = page.getByTestId("balance");
  const before = Number(await balance.textContent());

  await answers.nth(0).getByTestId("read-aloud").click();
  await expect(answers.nth(0).getByRole("status")).toHaveText(/^Read aloud · [\d.]+ credits$/, { timeout: 15_000 });
  const cost = Number(/([\d.]+) credits/.exec((await answers.nth(0).getByRole("status").textContent()) ?? "")?.[1]);
  expect(cost).toBeGreaterThan(0);
  await expect(balance).toHaveText(String(Number((before - cost).toFixed(6))));
  await answers.nth(0).getByRole("button", { name: "Stop reading" }).click();

  await grant(email, 0);
  await answers.nth(1).getByTestId("read-aloud").click();
  await expect(answers.nth(1).getByRole("status")).toHaveText(/^Read aloud failed: Not enough credits/);
  await expect(answers.nth(1).getByTestId("read-aloud")).toHaveText("Read aloud");
  expect((await audioState(answers.nth(1))).paused).toBe(true);
});
