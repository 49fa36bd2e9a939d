// A page on another allowed origin calls the API with fetch and reads the billing headers,
// exactly as a separately hosted front end would.
import { createServer, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { BASE, grant, OTHER_ORIGIN, uniqueEmail } from "../fixtures";

let server: Server;

// One static server on the other origin's port serves both tests.
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end("<!doctype html><title>other origin</title><p>another front end</p>");
  });
  await new Promise<void>((resolve) => server.listen(Number(new URL(OTHER_ORIGIN).port), "127.0.0.1", resolve));
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("reads X-Credits-Balance and X-Provider from a cross-origin fetch", async ({ page }) => {
  const email = uniqueEmail("cors");
  await grant(email, 3);
  await page.goto(OTHER_ORIGIN);
  const seen = await page.evaluate(
    async ({ base, email }) => {
      const response = await fetch(`${base}/api/si/ask`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-User-Email": email, "X-Intelligence-Tier": "fast" },
        body: JSON.stringify({ prompt: "hello from another origin" }),
      });
      return {
        status: response.status,
        balance: response.headers.get("X-Credits-Balance"),
        provider: response.headers.get("X-Provider"),
        used: response.headers.get("X-Credits-Used"),
        requestId: response.headers.get("X-Request-Id"),
      };
    },
    { base: BASE, email },
  );
  expect(seen.status).toBe(200);
  expect(seen.provider).toBe("openai");
  expect(Number(seen.balance)).toBeCloseTo(3 - Number(seen.used), 6);
  expect(seen.requestId).toBeTruthy();
});

test("a page on an unlisted origin cannot read the API", async ({ page }) => {
  await page.goto(`http://127.0.0.1:${new URL(OTHER_ORIGIN).port}`); // same port, but not the listed host
  const outcome = await page.evaluate(async (base) => {
    try {
      await fetch(`${base}/api/credits?email=a@example.com`);
      return "read";
    } catch {
      return "blocked";
    }
  }, BASE);
  expect(outcome).toBe("blocked");
});
