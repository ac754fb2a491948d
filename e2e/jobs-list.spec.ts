import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { accountJobs, createAccount, type LoggedRequest, requestLog, signIn } from './support/simulator';
import { sineWav } from './support/wav';

// The growth tier: 120 requests a minute. The background (polls, list refreshes, account reads) leaves a quarter of
// the window to uploads and to what the person asks: at most 90 in any minute (api-contract.md, error-behaviour.md).
const GROWTH_REQUESTS_PER_MINUTE = 120;
const BACKGROUND_SHARE = 0.75;

test.describe.configure({ timeout: 240_000 });

function jobsList(page: Page) {
  return page.getByRole('list', { name: 'Jobs, newest first' });
}

/** Scrolls the list to its end until `rows` rows are loaded, as a person dragging the scrollbar would. */
async function scrollUntilLoaded(page: Page, rows: number) {
  const region = page.getByRole('region', { name: 'Jobs, newest first' });
  const loaded = page.getByRole('status').filter({ hasText: /loaded; more load as you scroll|all loaded/ });
  await expect(async () => {
    await region.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    const text = (await loaded.textContent()) ?? '';
    expect(Number(/^[\d,]+/.exec(text)?.[0].replaceAll(',', '') ?? 0)).toBeGreaterThanOrEqual(rows);
  }).toPass({ timeout: 60_000, intervals: [250] });
}

const listReads = (log: LoggedRequest[]) => log.filter((entry) => entry.method === 'GET' && entry.path === '/v1/jobs');
const cursorOf = (entry: LoggedRequest) => new URLSearchParams(entry.query).get('cursor');
const isPoll = (entry: LoggedRequest) => new URLSearchParams(entry.query).has('ids');

test('with 1,000 rows loaded and jobs active for a minute, no loaded page is read twice, no 429, and the background stays in its share', async ({ page, request }) => {
  // 3,000 jobs; the newest 150 run for a minute or more, so the page has active rows all along.
  const account = await createAccount(request, { tier: 'growth', seedJobs: 3_000, seedActiveJobs: 150, seedActiveProcessMs: [60_000, 90_000] });
  await signIn(page, account.keys.full, '/jobs');
  await expect(jobsList(page).getByRole('listitem').first()).toBeVisible();
  await scrollUntilLoaded(page, 1_000);
  // About 100 row elements in the DOM, whatever the length.
  expect(await jobsList(page).getByRole('listitem').count()).toBeLessThanOrEqual(100);

  const watchFrom = Date.now();
  await page.waitForTimeout(60_000);
  const log = await requestLog(request, account.account_id);

  // No page of the list is read twice: every cursor once (the head, without a cursor, is what refreshes).
  const cursors = listReads(log).map(cursorOf).filter((cursor): cursor is string => cursor !== null);
  expect(cursors.length).toBeGreaterThanOrEqual(9);
  expect(new Set(cursors).size).toBe(cursors.length);
  expect(log.filter((entry) => entry.status === 429)).toEqual([]);

  // In the watched minute, nobody clicked: list and poll reads (and every other request) are background ones.
  const watched = log.filter((entry) => entry.startedAt >= watchFrom && entry.startedAt < watchFrom + 60_000);
  expect(watched.filter((entry) => cursorOf(entry) !== null)).toEqual([]);
  expect(watched.filter(isPoll).length).toBeGreaterThan(0);
  // The newest page alone is re-read to learn about new jobs: on the default 10 s refresh, at most 6 in the minute.
  const headReads = watched.filter((entry) => entry.path === '/v1/jobs' && !isPoll(entry) && cursorOf(entry) === null);
  expect(headReads.length).toBeGreaterThanOrEqual(3);
  expect(headReads.length).toBeLessThanOrEqual(6);
  expect(watched.length).toBeLessThanOrEqual(GROWTH_REQUESTS_PER_MINUTE * BACKGROUND_SHARE);

  // The active rows on screen follow the simulator, brought by the batched poll rather than by re-reading pages.
  await page.getByRole('region', { name: 'Jobs, newest first' }).evaluate((element) => element.scrollTo({ top: 0 }));
  const jobs = await accountJobs(request, account.account_id);
  const newest = jobs.sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, 5);
  for (const job of newest) {
    await expect
      .poll(async () => {
        const truth = (await accountJobs(request, account.account_id)).find((candidate) => candidate.id === job.id)?.status;
        const row = jobsList(page).getByRole('listitem').filter({ hasText: job.id });
        return (await row.textContent())?.includes(truth ?? '?');
      }, { timeout: 20_000 })
      .toBe(true);
  }
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
});

test('a new job appears at the top without re-reading the pages below it', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'growth', seedJobs: 400 });
  await signIn(page, account.keys.full, '/jobs');
  await page.getByRole('region', { name: 'Usage' }).getByLabel('Refresh').selectOption('2');
  await scrollUntilLoaded(page, 300);
  const before = listReads(await requestLog(request, account.account_id)).filter((entry) => cursorOf(entry) !== null).length;

  const created = await request.post('/v1/jobs', {
    headers: { Authorization: `Bearer ${account.keys.full}` },
    multipart: { file: { name: 'fresh-call.wav', mimeType: 'audio/wav', buffer: sineWav(16_000, 16_000, 440) }, pipeline: 'transcription' },
  });
  expect(created.status()).toBe(202);
  const { id } = ((await created.json()) as { job: { id: string } }).job;
  await page.getByRole('region', { name: 'Jobs, newest first' }).evaluate((element) => element.scrollTo({ top: 0 }));
  await expect(jobsList(page).getByRole('listitem').first()).toContainText(id, { timeout: 20_000 });
  const after = listReads(await requestLog(request, account.account_id)).filter((entry) => cursorOf(entry) !== null).length;
  expect(after).toBe(before);
});
