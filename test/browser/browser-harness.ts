/**
 * Drives the console in Debian's Chromium (playwright-core with its executable path; no browser download) against
 * real gateways. Pictures for the tests are made here from the QR texts the gateways issue: a YUV4MPEG2 video for
 * Chromium's fake camera, BMP files for the image input (both simple to write from pixels, no image library).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { encode } from 'uqr';

export const CHROMIUM = process.env['HUTONG_CHROMIUM'] ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
export const ARTIFACTS = resolve(__dirname, '..', '..', 'test-artifacts', 'console');
export const LANGUAGES = ['zh-Hant', 'zh-Hans', 'pt', 'en'] as const;

/** Light modules as 255, dark as 0, `scale` pixels a module, with the encoder's 4-module quiet zone. */
export function qrPixels(text: string, scale: number): { width: number; height: number; gray: Uint8Array } {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  const width = size * scale;
  const gray = new Uint8Array(width * width).fill(255);
  data.forEach((row, y) => row.forEach((dark, x) => {
    if (!dark) return;
    for (let dy = 0; dy < scale; dy++) gray.fill(0, (y * scale + dy) * width + x * scale, (y * scale + dy) * width + (x + 1) * scale);
  }));
  return { width, height: width, gray };
}

/** A 24-bit BMP of a gray image (rows bottom-up, padded to 4 bytes). */
export function bmp(image: { width: number; height: number; gray: Uint8Array }): Buffer {
  const { width, height, gray } = image;
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * height);
  out.write('BM', 0);
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(stride * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) out.fill(gray[y * width + x] ?? 255, row + x * 3, row + x * 3 + 3);
  }
  return out;
}

/** A YUV4MPEG2 (4:2:0) video of `frames` frames showing the image centred on a gray 640×480 background. */
export function y4m(image: { width: number; height: number; gray: Uint8Array }, frames = 30): Buffer {
  const W = 640;
  const H = 480;
  const y = new Uint8Array(W * H).fill(200);
  const ox = Math.floor((W - image.width) / 2);
  const oy = Math.floor((H - image.height) / 2);
  for (let r = 0; r < image.height; r++) y.set(image.gray.subarray(r * image.width, (r + 1) * image.width), (oy + r) * W + ox);
  const chroma = new Uint8Array((W / 2) * (H / 2)).fill(128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F30:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: frames }, () => frame)]);
}

export async function launch(cameraVideo?: string): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    // Root in CI: Chromium's sandbox needs an unprivileged user.
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', ...(cameraVideo ? [`--use-file-for-fake-video-capture=${cameraVideo}`] : [])],
  });
}

export async function newContext(browser: Browser, locale = 'en-GB'): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport: { width: 1100, height: 900 }, acceptDownloads: true });
}

/** Opens the console of the gateway at `url` and signs in with `token` (pasted, as an officer would). */
export async function signIn(context: BrowserContext, url: string, token: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.getByTestId('token').fill(token);
  await page.locator('form.sign-in button[type=submit]').click();
  await page.locator('header nav').waitFor();
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
