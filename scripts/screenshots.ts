/**
 * `npm run screenshots`: the README's pictures of the main screens in both themes, taken from the running demo (the
 * demo build on Vite's preview server, the simulator answering over HTTP) in headless Chromium.
 * Writes docs/screenshots/<screen>-<theme>.png.
 */
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
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
      await page.evaluate((path) => {
        history.pushState({}, '', path);
        dispatchEvent(new PopStateEvent('popstate'));
      }, screen.path);
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
  }
} finally {
  await browser.close();
  await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
}
