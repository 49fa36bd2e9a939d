// The static face: a real favicon, robots.txt keeping crawlers out of the API and the
// dashboard, and a web app manifest with its icons, all linked from every page.
import { expect, test } from "@playwright/test";
import { DESKTOP_CHROME } from "./support";

test.use({ userAgent: DESKTOP_CHROME });

test("favicon.ico, robots.txt and the manifest answer 200 with the right types", async ({ request }) => {
  const favicon = await request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
  const bytes = await favicon.body();
  // An ICO header: reserved 0, type 1, at least one image.
  expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2)]).toEqual([0, 1]);
  expect(bytes.readUInt16LE(4)).toBeGreaterThanOrEqual(1);

  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(robots.headers()["content-type"]).toMatch(/^text\/plain/);
  const rules = await robots.text();
  expect(rules).toMatch(/^User-agent: \*$/m);
  expect(rules).toMatch(/^Disallow: \/api\/$/m);
  expect(rules).toMatch(/^Disallow: \/admin$/m);

  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  expect(manifest.headers()["content-type"]).toMatch(/^application\/manifest\+json/);
  const body = (await manifest.json()) as {
    name: string;
    start_url: string;
    display: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(body).toMatchObject({ name: "Cognomega", start_url: "/", display: "standalone" });
  const png = body.icons.filter((icon) => icon.type === "image/png");
  expect(png.map((icon) => `${icon.sizes} ${icon.purpose ?? "any"}`).sort()).toEqual([
    "192x192 any",
    "192x192 maskable",
    "512x512 any",
    "512x512 maskable",
  ]);
  for (const icon of body.icons) {
    const image = await request.get(icon.src);
    expect(image.status(), icon.src).toBe(200);
    expect(image.headers()["content-type"]).toBe(icon.type);
    if (icon.type === "image/png") {
      const data = await image.body();
      const [width, height] = [data.readUInt32BE(16), data.readUInt32BE(20)];
      expect(`${width}x${height}`).toBe(icon.sizes);
    }
  }
});

test("every page links the icons and the manifest, and the browser asks for no missing icon", async ({ page }) => {
  const missing: string[] = [];
  page.on("response", (response) => response.status() === 404 && missing.push(response.url()));
  for (const path of ["/", "/admin/sign-in"]) {
    await page.goto(path);
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
    await expect(page.locator('link[rel="icon"][href="/favicon.ico"]')).toHaveCount(1);
    await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/apple-touch-icon.png");
  }
  const touchIcon = await page.request.get("/apple-touch-icon.png");
  expect(touchIcon.status()).toBe(200);
  expect(missing).toEqual([]);
});
