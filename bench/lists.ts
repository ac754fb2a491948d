/**
 * Both virtualised lists, in headless Chromium over the demo build (the
 * simulator answering over real HTTP): the failed-jobs list at 10,000
 * failures and the Jobs page at 20,000 jobs. Time to first rows, rows in the
 * DOM, long and dropped frames and long tasks while scrolling to the end, and
 * the Jobs page's requests in an idle minute with 150 active jobs. Prints
 * figures and writes bench-results/lists.json. A benchmark, not a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { preview } from 'vite';
import { findChromium } from '../scripts/find-chromium.mjs';

const FAILURES = 10_000;
const PORT = Number(process.env.NOVAPULSE_BENCH_PORT ?? 4617);
const BASE = `http://localhost:${PORT}`;
const LONG_FRAME_MS = 50;
const FRAME_MS = 1_000 / 60;
const JOBS = 20_000;

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

  const page = await openSignedIn(account.keys.full);

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

  const scroll = await measureScrollToEnd(page, 'Failures, newest first');
  const failedResults = {
    failures: FAILURES,
    counted: status,
    time_to_first_rows_ms: firstRowsMs,
    time_to_full_count_ms: countedMs,
    rows_in_dom: rowsInDom,
    max_rows_in_dom_while_scrolling: scroll.maxRows,
    scrolled_to_row: Number(scroll.lastRow),
    ...scroll.figures,
  };
  const results = failedResults;
  console.log(`Failed-jobs list, ${FAILURES.toLocaleString('en-US')} failures, headless Chromium (${found?.source ?? 'unknown'})`);
  console.log(`  status:                    ${status}`);
  console.log(`  time to first rows:        ${results.time_to_first_rows_ms} ms`);
  console.log(`  time to the full count:    ${results.time_to_full_count_ms} ms`);
  console.log(`  rows in the DOM:           ${results.rows_in_dom} (at most ${results.max_rows_in_dom_while_scrolling} while scrolling)`);
  printScroll(results);

  const jobsResults = await benchJobsPage();
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/lists.json', `${JSON.stringify({ measured_at: new Date().toISOString(), failed_jobs: failedResults, jobs: jobsResults }, null, 2)}\n`);
  console.log('Wrote bench-results/lists.json');
} finally {
  await browser.close();
  await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
}

/** A new page with the long-task observer installed, signed in with `key` as a person would. */
async function openSignedIn(key: string): Promise<Page> {
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
  await dialog.getByLabel('API key', { exact: true }).fill(key);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await dialog.waitFor({ state: 'hidden' });
  return page;
}

/**
 * Scrolls the list labelled `label` to its very end, 2,000 px a frame, waiting at the bottom while more rows load,
 * and reports frame gaps, long tasks and the most rows in the DOM on the way.
 */
async function measureScrollToEnd(page: Page, label: string) {
  await page.evaluate(() => {
    (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
  });
  const scroll = await page.evaluate(async (regionLabel) => {
    const region = document.querySelector(`section[aria-label="${regionLabel}"]`) as HTMLElement;
    const deltas: number[] = [];
    let maxRows = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      let last = performance.now();
      let stillAtBottom = 0;
      const step = () => {
        const now = performance.now();
        deltas.push(now - last);
        last = now;
        maxRows = Math.max(maxRows, region.querySelectorAll('li').length);
        const atBottom = region.scrollTop + region.clientHeight >= region.scrollHeight - 1;
        // At the bottom for a second with nothing more arriving: the end (the list asks for more rows on its own).
        stillAtBottom = atBottom ? stillAtBottom + 1 : 0;
        if (stillAtBottom > 60 || now - started > 600_000) return resolve();
        region.scrollTop += 2_000;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    const lastRow = region.querySelector('li:last-child')?.getAttribute('aria-posinset');
    return { deltas, maxRows, lastRow, ms: performance.now() - started };
  }, label);
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  // The second of waiting at the bottom is not scrolling.
  const frameDeltas = scroll.deltas.slice(1, -60);
  return {
    maxRows: scroll.maxRows,
    lastRow: scroll.lastRow,
    figures: {
      scroll_frames: frameDeltas.length,
      scroll_to_end_ms: Math.round(scroll.ms),
      long_frames: frameDeltas.filter((delta) => delta > LONG_FRAME_MS).length,
      dropped_frames: frameDeltas.reduce((sum, delta) => sum + Math.max(0, Math.round(delta / FRAME_MS) - 1), 0),
      longest_frame_ms: Math.round(Math.max(0, ...frameDeltas)),
      median_frame_ms: Math.round([...frameDeltas].sort((x, y) => x - y)[Math.floor(frameDeltas.length / 2)] ?? 0),
      long_tasks: longTasks.length,
      longest_task_ms: Math.round(Math.max(0, ...longTasks)),
    },
  };
}

function printScroll(figures: { scrolled_to_row: number; scroll_frames: number; scroll_to_end_ms: number; long_frames: number; dropped_frames: number; longest_frame_ms: number; median_frame_ms: number; long_tasks: number; longest_task_ms: number }) {
  console.log(`  scrolled to row:           ${figures.scrolled_to_row} in ${figures.scroll_frames} frames (${figures.scroll_to_end_ms} ms)`);
  console.log(`  long frames (> ${LONG_FRAME_MS} ms):     ${figures.long_frames}; dropped frames ${figures.dropped_frames}; longest ${figures.longest_frame_ms} ms, median ${figures.median_frame_ms} ms`);
  console.log(`  long tasks while scrolling: ${figures.long_tasks}; longest ${figures.longest_task_ms} ms`);
}

/**
 * The Jobs page at 20,000 jobs: first rows, rows in the DOM, scrolling to the last job (pages load as it goes), then
 * the requests a minute of a growth-tier key idle on the page while 150 jobs run.
 */
async function benchJobsPage() {
  const big = (await post('/__sim/accounts', { tier: 'enterprise', seedJobs: JOBS })) as { account_id: string; keys: { full: string } };
  // Person-driven page reads at scrolling speed: a window wide enough that the 200 pages are not the figure measured.
  await post(`/__sim/accounts/${big.account_id}/faults`, { rateLimit: 50_000 });
  const page = await openSignedIn(big.keys.full);
  const started = Date.now();
  await page.evaluate(() => {
    history.pushState({}, '', '/jobs');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  const list = page.getByRole('list', { name: 'Jobs, newest first' });
  await list.getByRole('listitem').first().waitFor();
  const firstRowsMs = Date.now() - started;
  const rowsInDom = await list.getByRole('listitem').count();
  const scroll = await measureScrollToEnd(page, 'Jobs, newest first');
  await page.close();

  // Idle with active jobs, on the growth tier (120 a minute): what the page spends in the background.
  const busy = (await post('/__sim/accounts', { tier: 'growth', seedJobs: 3_000, seedActiveJobs: 150, seedActiveProcessMs: [90_000, 120_000] })) as {
    account_id: string;
    keys: { full: string };
  };
  const idle = await openSignedIn(busy.keys.full);
  await idle.evaluate(() => {
    history.pushState({}, '', '/jobs');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  await idle.getByRole('list', { name: 'Jobs, newest first' }).getByRole('listitem').first().waitFor();
  await idle.waitForTimeout(5_000);
  const from = Date.now();
  await idle.waitForTimeout(60_000);
  const log = ((await (await fetch(`${BASE}/__sim/accounts/${busy.account_id}/requests`)).json()) as { requests: { startedAt: number; status: number; path: string; query: string }[] }).requests;
  const minute = log.filter((entry) => entry.startedAt >= from && entry.startedAt < from + 60_000);
  await idle.close();

  const results = {
    jobs: JOBS,
    time_to_first_rows_ms: firstRowsMs,
    rows_in_dom: rowsInDom,
    max_rows_in_dom_while_scrolling: scroll.maxRows,
    scrolled_to_row: Number(scroll.lastRow),
    ...scroll.figures,
    idle_minute_growth_tier: {
      active_jobs: 150,
      requests: minute.length,
      polls: minute.filter((entry) => new URLSearchParams(entry.query).has('ids')).length,
      list_head_reads: minute.filter((entry) => entry.path === '/v1/jobs' && !new URLSearchParams(entry.query).has('ids') && !new URLSearchParams(entry.query).has('cursor')).length,
      account_reads: minute.filter((entry) => entry.path === '/v1/account').length,
      rate_limited: minute.filter((entry) => entry.status === 429).length,
    },
  };
  console.log(`Jobs list, ${JOBS.toLocaleString('en-US')} jobs`);
  console.log(`  time to first rows:        ${results.time_to_first_rows_ms} ms`);
  console.log(`  rows in the DOM:           ${results.rows_in_dom} (at most ${results.max_rows_in_dom_while_scrolling} while scrolling)`);
  printScroll(results);
  const idleFigures = results.idle_minute_growth_tier;
  console.log(
    `  idle minute, 150 active jobs, growth tier (120/min): ${idleFigures.requests} requests (${idleFigures.polls} polls, ${idleFigures.list_head_reads} list head reads, ${idleFigures.account_reads} account reads), ${idleFigures.rate_limited} answered 429`,
  );
  return results;
}
