/**
 * The failed-jobs list at 10,000 failures, in headless Chromium over the
 * demo build (the simulator answering over real HTTP): time to first rows,
 * rows in the DOM, and long frames / tasks while scrolling to the end.
 * Prints figures and writes bench-results/lists.json. A benchmark, not a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { findChromium } from '../scripts/find-chromium.mjs';

const FAILURES = 10_000;
const PORT = Number(process.env.NOVAPULSE_BENCH_PORT ?? 4617);
const BASE = `http://localhost:${PORT}`;
const LONG_FRAME_MS = 50;

async function post(path: string, body: unknown) {
  const response = await fetch(`${BASE}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json().catch(() => null);
}

const server = await preview({ mode: 'demo', logLevel: 'warn', build: { outDir: 'node_modules/.cache/bench-lists-demo' }, preview: { port: PORT, strictPort: true } });
const found = await findChromium();
const browser = await chromium.launch({ executablePath: found?.path, args: ['--disable-gpu', '--no-first-run'] });
try {
  // Every seeded job failed, spread over 14 days; a 30-day range holds them all. The window is raised so the
  // background count (which keeps inside the rate limit) reads 100 pages in seconds rather than minutes.
  const account = (await post('/__sim/accounts', { tier: 'enterprise', seedJobs: FAILURES, seedFailedShare: 1 })) as { account_id: string; keys: { full: string } };
  await post(`/__sim/accounts/${account.account_id}/faults`, { rateLimit: 50_000 });
  // The newest seeded jobs may still be processing; ten minutes on, all 10,000 have failed.
  await post(`/__sim/accounts/${account.account_id}/advance`, { seconds: 600 });

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    const tasks: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${BASE}/`);
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await dialog.getByLabel('API key', { exact: true }).fill(account.keys.full);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // Time to first rows: from the navigation to the first row painted.
  const started = Date.now();
  await page.evaluate(() => {
    history.pushState({}, '', '/failed?range=30d');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  const list = page.getByRole('list', { name: 'Failures, newest first' });
  await list.getByRole('listitem').first().waitFor();
  const firstRowsMs = Date.now() - started;

  await page.getByRole('status').filter({ hasText: /failed jobs? in the/ }).waitFor({ timeout: 300_000 });
  const countedMs = Date.now() - started;
  const status = (await page.getByRole('status').filter({ hasText: /failed jobs? in the/ }).textContent()) ?? '';
  const rowsInDom = await list.getByRole('listitem').count();

  await page.evaluate(() => {
    (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
  });
  const scroll = await page.evaluate(async () => {
    const region = document.querySelector('section[aria-label="Failures, newest first"]') as HTMLElement;
    const deltas: number[] = [];
    let maxRows = 0;
    await new Promise<void>((resolve) => {
      let last = performance.now();
      const step = () => {
        const now = performance.now();
        deltas.push(now - last);
        last = now;
        maxRows = Math.max(maxRows, region.querySelectorAll('li').length);
        if (region.scrollTop + region.clientHeight >= region.scrollHeight - 1) return resolve();
        region.scrollTop += 2_000;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    const lastRow = region.querySelector('li:last-child')?.getAttribute('aria-posinset');
    return { frames: deltas.length, deltas, maxRows, lastRow };
  });
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);

  const frameDeltas = scroll.deltas.slice(1);
  const results = {
    failures: FAILURES,
    counted: status,
    time_to_first_rows_ms: firstRowsMs,
    time_to_full_count_ms: countedMs,
    rows_in_dom: rowsInDom,
    max_rows_in_dom_while_scrolling: scroll.maxRows,
    scrolled_to_row: Number(scroll.lastRow),
    scroll_frames: scroll.frames,
    long_frames: frameDeltas.filter((delta) => delta > LONG_FRAME_MS).length,
    longest_frame_ms: Math.round(Math.max(0, ...frameDeltas)),
    median_frame_ms: Math.round([...frameDeltas].sort((a, b) => a - b)[Math.floor(frameDeltas.length / 2)] ?? 0),
    long_tasks: longTasks.length,
    longest_task_ms: Math.round(Math.max(0, ...longTasks)),
  };
  console.log(`Failed-jobs list, ${FAILURES.toLocaleString('en-US')} failures, headless Chromium (${found?.source ?? 'unknown'})`);
  console.log(`  status:                    ${status}`);
  console.log(`  time to first rows:        ${results.time_to_first_rows_ms} ms`);
  console.log(`  time to the full count:    ${results.time_to_full_count_ms} ms`);
  console.log(`  rows in the DOM:           ${results.rows_in_dom} (at most ${results.max_rows_in_dom_while_scrolling} while scrolling)`);
  console.log(`  scrolled to row:           ${results.scrolled_to_row} in ${results.scroll_frames} frames`);
  console.log(`  long frames (> ${LONG_FRAME_MS} ms):     ${results.long_frames}; longest ${results.longest_frame_ms} ms, median ${results.median_frame_ms} ms`);
  console.log(`  long tasks while scrolling: ${results.long_tasks}; longest ${results.longest_task_ms} ms`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/lists.json', `${JSON.stringify({ measured_at: new Date().toISOString(), results }, null, 2)}\n`);
  console.log('Wrote bench-results/lists.json');
} finally {
  await browser.close();
  await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
}
