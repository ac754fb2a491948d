/**
 * `npm run screenshots`: the README's pictures of the main screens in both themes, taken from the running demo (the
 * demo build on Vite's preview server, the simulator answering over HTTP) in headless Chromium.
 * Writes docs/screenshots/<screen>-<theme>.png, and phone-<screen>-<theme>.png at a phone's width (390 px).
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { preview } from 'vite';
import { findChromium } from './find-chromium.mjs';

const PORT = Number(process.env.NOVAPULSE_SCREENSHOTS_PORT ?? 4717);
const BASE = `http://localhost:${PORT}`;
const OUT = 'docs/screenshots';

const SCREENS = [
  { name: 'overview', path: '/', ready: 'Overview' },
  { name: 'upload', path: '/upload', ready: 'Upload audio' },
  { name: 'jobs', path: '/jobs', ready: 'Jobs' },
  { name: 'failed-jobs', path: '/failed', ready: 'Failed jobs' },
] as const;

/** At a phone's width: the folded header and usage strip, failed jobs as cards, the header's menu open. */
const PHONE_SCREENS = [
  { name: 'overview', path: '/', ready: 'Overview', show: null },
  { name: 'failed-jobs', path: '/failed', ready: 'Failed jobs', show: 'Failures, newest first' },
  { name: 'menu', path: '/upload', ready: 'Upload audio', show: null },
] as const;

/** Opens `path` in the app without a reload (a reload would forget the key). */
async function showPath(page: Page, path: string) {
  await page.evaluate((to) => {
    history.pushState({}, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

const server = await preview({ mode: 'demo', logLevel: 'warn', build: { outDir: 'node_modules/.cache/screenshots-demo' }, preview: { port: PORT, strictPort: true } });
const found = await findChromium();
const browser = await chromium.launch({ executablePath: found?.path, args: ['--disable-gpu', '--no-first-run'] });
mkdirSync(OUT, { recursive: true });
try {
  for (const theme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: theme });
    await page.goto(`${BASE}/`);
    await page.getByRole('dialog', { name: /API key/i }).getByRole('button', { name: 'Use the demo key' }).click();
    for (const screen of SCREENS) {
      await showPath(page, screen.path);
      await page.getByRole('heading', { level: 1, name: screen.ready }).waitFor();
      // Let the first answers land and the counts settle.
      await page.waitForTimeout(screen.name === 'failed-jobs' ? 4_000 : 1_500);
      await page.screenshot({ path: `${OUT}/${screen.name}-${theme}.png` });
      console.log(`${OUT}/${screen.name}-${theme}.png`);
    }
    await page.getByRole('button', { name: 'Request log' }).click();
    await page.getByRole('complementary', { name: 'Request log' }).waitFor();
    await page.screenshot({ path: `${OUT}/request-log-${theme}.png` });
    console.log(`${OUT}/request-log-${theme}.png`);
    await page.close();

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, colorScheme: theme });
    await phone.goto(`${BASE}/`);
    await phone.getByRole('dialog', { name: /API key/i }).getByRole('button', { name: 'Use the demo key' }).click();
    for (const screen of PHONE_SCREENS) {
      await showPath(phone, screen.path);
      await phone.getByRole('heading', { level: 1, name: screen.ready }).waitFor();
      await phone.waitForTimeout(screen.name === 'failed-jobs' ? 4_000 : 1_500);
      if (screen.show) await phone.getByRole('region', { name: screen.show }).evaluate((element) => element.scrollIntoView({ block: 'end' }));
      if (screen.name === 'menu') await phone.getByRole('banner').getByRole('button', { name: 'Menu' }).click();
      const path = `${OUT}/phone-${screen.name}-${theme}.png`;
      await phone.screenshot({ path });
      console.log(path);
    }
    await phone.close();
  }
} finally {
  await browser.close();
  await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
}
