import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { accountJobs, createAccount, type LoggedRequest, requestLog, signIn } from './support/simulator';
import { sineWav } from './support/wav';

const RATE_WINDOW_MS = 60_000;

function strip(page: Page) {
  return page.getByRole('region', { name: 'Usage' });
}

async function expectNoSeriousAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Requests the simulator counted against the key in the current fixed one-minute window. */
function usedThisWindow(log: LoggedRequest[], now: number): number {
  const window = Math.floor(now / RATE_WINDOW_MS);
  return log.filter((entry) => entry.code !== 'rate_limit_exceeded' && Math.floor(entry.startedAt / RATE_WINDOW_MS) === window).length;
}

/** The screens' own polling: job lists and the account (no job is tracked by the upload queue in these tests). */
function screenPolls(log: LoggedRequest[], from: number, to: number) {
  return log.filter((entry) => entry.method === 'GET' && (entry.path === '/v1/jobs' || entry.path === '/v1/account') && entry.startedAt >= from && entry.startedAt < to);
}

async function activeJobsOf(request: APIRequestContext, accountId: string) {
  return (await accountJobs(request, accountId)).filter((job) => job.status === 'queued' || job.status === 'processing').length;
}

test('an ID pasted into the header jump box opens its job, a file name opens the Jobs search, and / focuses the box', async ({ page, request }) => {
  const account = await createAccount(request, { seedJobs: 12 });
  const jobs = await accountJobs(request, account.account_id);
  const target = jobs[4];
  const other = jobs[7];
  if (!target || !other) throw new Error('the simulator seeded fewer jobs than asked');
  await signIn(page, account.keys.full, '/settings');

  const jump = page.getByRole('searchbox', { name: 'Jump to a job' });
  await page.locator('body').click();
  await page.keyboard.press('/');
  await expect(jump).toBeFocused();
  await page.keyboard.insertText(target.id);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/jobs/${target.id}$`));
  await expect(page.getByRole('heading', { level: 1, name: target.file.name })).toBeVisible();
  await expect(page.getByText(`Job ${target.id}`, { exact: true })).toBeVisible();

  // A file name is not an ID: it opens the Jobs page's search, which finds that job.
  await jump.fill(other.file.name);
  await jump.press('Enter');
  await expect(page).toHaveURL(/\/jobs\?/);
  expect(new URL(page.url()).searchParams.get('q')).toBe(other.file.name);
  const found = page.getByRole('list', { name: 'Jobs, newest first' }).getByRole('listitem');
  await expect(found.filter({ hasText: other.id })).toContainText(other.file.name);

  // "/" typed into a field is text, not the shortcut.
  const search = page.getByRole('searchbox', { name: 'Search', exact: true });
  await search.fill('');
  await search.pressSequentially('a/b');
  await expect(search).toHaveValue('a/b');
  await expect(jump).not.toBeFocused();
});

test('the gauges strip on the Jobs page follows requests, jobs starting and ending, and axe finds nothing serious', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'starter', seedJobs: 10 });
  await signIn(page, account.keys.full, '/jobs');
  const usage = strip(page);
  await usage.getByLabel('Refresh').selectOption('2');
  const requests = usage.getByRole('meter', { name: 'Requests this minute' });
  const concurrency = usage.getByRole('meter', { name: 'Concurrent jobs' });
  await expect(concurrency).toHaveAttribute('max', '2');

  // Requests: with refresh off and nothing in flight, the meter shows exactly what the simulator counted in this
  // window; with refresh on it grows as the screens refetch.
  await usage.getByLabel('Refresh').selectOption('0');
  await page.waitForTimeout(700);
  await expect
    .poll(async () => Number(await requests.getAttribute('value')) - usedThisWindow(await requestLog(request, account.account_id), Date.now()), { timeout: 10_000 })
    .toBe(0);
  const quiet = Number(await requests.getAttribute('value'));
  await usage.getByLabel('Refresh').selectOption('2');
  await expect.poll(async () => Number(await requests.getAttribute('value')), { timeout: 10_000 }).toBeGreaterThan(quiet);
  await expect(usage.getByText(/resets in \d+ s/)).toBeVisible();

  // A job started elsewhere (another client on the same key) shows as a used slot.
  expect(await activeJobsOf(request, account.account_id)).toBe(0);
  // The property: Preact writes no value attribute for a meter's default of 0 (docs/decisions.md, issue 16).
  await expect(concurrency).toHaveJSProperty('value', 0);
  const created = await request.post('/v1/jobs', {
    headers: { Authorization: `Bearer ${account.keys.full}` },
    multipart: { file: { name: 'elsewhere.wav', mimeType: 'audio/wav', buffer: sineWav(40_000) }, pipeline: 'transcription', language: 'en-US' },
  });
  expect(created.status()).toBe(202);
  const active = await activeJobsOf(request, account.account_id);
  expect(active).toBe(1);
  await expect(concurrency).toHaveAttribute('value', String(active), { timeout: 10_000 });
  await expect(usage.getByText(`${active} of 2 jobs`)).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  // It ends (an hour passes on the simulator's clock): the slot frees.
  expect((await request.post(`/__sim/accounts/${account.account_id}/advance`, { data: { seconds: 3600 } })).ok()).toBe(true);
  expect(await activeJobsOf(request, account.account_id)).toBe(0);
  await expect(concurrency).toHaveAttribute('value', '0', { timeout: 10_000 });

  for (const [link, heading] of [
    ['Upload', 'Upload audio'],
    ['Failed jobs', 'Failed jobs'],
    ['Settings', 'Settings'],
  ] as const) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(strip(page).getByRole('meter', { name: 'Concurrent jobs' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  }
});

test('refresh off stops the screens polling and 2 s resumes it, as the simulator counts requests', async ({ page, request }) => {
  const account = await createAccount(request, { seedJobs: 10 });
  await signIn(page, account.keys.full, '/jobs');
  const refresh = strip(page).getByLabel('Refresh');
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();

  // Windows under 5 s: Node's HTTP server drops a keep-alive connection idle for 5 s, under the test's own requests.
  const countOver = async (ms: number) => {
    const from = Date.now();
    await page.waitForTimeout(ms);
    return screenPolls(await requestLog(request, account.account_id), from, Date.now()).length;
  };

  await refresh.selectOption('2');
  expect(await countOver(4_000)).toBeGreaterThanOrEqual(2);

  await refresh.selectOption('0');
  await page.waitForTimeout(500); // a refetch already on the wire may still land
  expect(await countOver(4_000)).toBe(0);
  await expect(strip(page).getByText(/updated ([4-9]|\d\d) s ago/)).toBeVisible();

  // The setting is kept (versioned, in localStorage) across a reload, and never holds the key.
  const stored = await page.evaluate(() => localStorage.getItem('novapulse.settings'));
  expect(JSON.parse(stored ?? '{}')).toMatchObject({ version: 3, state: { refreshSeconds: 0 } });
  expect(stored).not.toContain(account.keys.full);

  await refresh.selectOption('2');
  expect(await countOver(4_000)).toBeGreaterThanOrEqual(2);
  await expect(strip(page).getByText(/updated [0-2] s ago/)).toBeVisible();
});
