// `node scripts/make-icons.ts`: draws the app icons in public/ from public/icon.svg with the
// machine's Chromium — PNGs for the web app manifest (192, 512, and maskable ones with the mark
// inside the safe zone), the Apple touch icon, and favicon.ico (16, 32 and 48 px PNG entries).
// The outputs are committed; run this again only when the mark changes.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";

const PUBLIC = join(import.meta.dirname, "..", "public");
const mark = readFileSync(join(PUBLIC, "icon.svg"), "utf8");
const inner = mark.replace(/^<svg[^>]*>/, "").replace(/<\/svg>\s*$/, "");

/** The full mark, or (maskable) a full-bleed square with the glyph inside the central 80 %. */
function svgAt(size: number, maskable: boolean): string {
  if (!maskable) return mark.replace("<svg ", `<svg width="${size}" height="${size}" `);
  const glyph = inner.replace(/<rect[^>]*\/>/, "");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32"><rect width="32" height="32" fill="#4f46e5"/><g transform="translate(16 16) scale(0.62) translate(-16 -16)">${glyph}</g></svg>`;
}

/** An .ico whose entries are PNG images (read by every current browser). */
function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--headless"] });
const page = await browser.newPage();

async function render(size: number, maskable = false): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svgAt(size, maskable)}</body></html>`);
  return page.locator("svg").screenshot({ omitBackground: true });
}

const outputs: [string, Buffer][] = [
  ["icon-192.png", await render(192)],
  ["icon-512.png", await render(512)],
  ["icon-maskable-192.png", await render(192, true)],
  ["icon-maskable-512.png", await render(512, true)],
  ["apple-touch-icon.png", await render(180, true)],
];
const favicon = ico([
  { size: 16, png: await render(16) },
  { size: 32, png: await render(32) },
  { size: 48, png: await render(48) },
]);
await browser.close();

for (const [name, png] of outputs) writeFileSync(join(PUBLIC, name), png);
writeFileSync(join(PUBLIC, "favicon.ico"), favicon);
console.log(`wrote ${outputs.length + 1} icons to public/`);
