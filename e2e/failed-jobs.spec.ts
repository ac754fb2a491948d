import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { createAccount, requestLog, setFaults, signIn } from './support/simulator';

interface SimFailedJob {
  id: string;
  status: string;
  created_at: string;
  file: { name: string };
  error: { code: string } | null;
}

async function failedJobs(request: APIRequestContext, accountId: string): Promise<SimFailedJob[]> {
  // The newest seeded jobs may still be processing; ten minutes on, every one has settled and the count stays put.
  expect((await request.post(`/__sim/accounts/${accountId}/advance`, { data: { seconds: 600 } })).ok()).toBe(true);
  const response = await request.get(`/__sim/accounts/${accountId}/jobs`);
  const { jobs } = (await response.json()) as { jobs: SimFailedJob[] };
  return jobs.filter((job) => job.status === 'failed');
}

function countsByCode(jobs: readonly SimFailedJob[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const job of jobs) counts.set(job.error?.code ?? 'unknown', (counts.get(job.error?.code ?? 'unknown') ?? 0) + 1);
  return counts;
}

const failuresText = (count: number) => `${count.toLocaleString('en-US')} failure${count === 1 ? '' : 's'}`;

/** Waits until every page has been read: the status then gives a total, never "Counting…". */
async function waitForCount(page: Page, total: number, timeout = 40_000) {
  await expect(page.getByRole('status').filter({ hasText: /failed jobs? in the/ })).toContainText(`${total.toLocaleString('en-US')} failed job`, { timeout });
}

test('every group ends with the simulator\'s count of its failures, read within the rate limit', async ({ page, request }) => {
  test.setTimeout(55_000);
  // Seeded over 14 days, all failed; a 30-day range holds them all.
  const account = await createAccount(request, { seedJobs: 3_000, seedFailedShare: 1 });
  // A window large enough to read 30 pages in seconds; counting still spreads them over it.
  await setFaults(request, account.account_id, { rateLimit: 1_200 });
  const expected = countsByCode(await failedJobs(request, account.account_id));
  const total = [...expected.values()].reduce((sum, n) => sum + n, 0);
  expect(total).toBeGreaterThan(2_500);

  await signIn(page, account.keys.full, '/failed?range=30d');
  // While pages are still being read, the page and each group say so, and give no total.
  await expect(page.getByRole('status').filter({ hasText: /^Counting… [\d,]+ so far/ })).toBeVisible();
  await expect(page.getByRole('region', { name: /\(internal_error\)/ }).getByText(/^Counting… [\d,]+ so far$/)).toBeVisible();
  await waitForCount(page, total);
  for (const [code, count] of expected) {
    const group = page.getByRole('region', { name: new RegExp(`\\(${code}\\)`) });
    await expect(group.getByText(failuresText(count), { exact: true })).toBeVisible();
  }
  // Largest group first.
  const largest = [...expected.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  await expect(page.getByRole('heading', { level: 2 }).first()).toContainText(largest);
  // Counting stayed inside the window: the simulator refused nothing.
  const log = await requestLog(request, account.account_id);
  expect(log.filter((entry) => entry.status === 429)).toHaveLength(0);
  expect(log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v1/jobs')).length).toBeGreaterThanOrEqual(Math.ceil(total / 100));
});

test('a filter and a search change the URL and survive a reload; axe finds nothing serious', async ({ page, request }) => {
  const account = await createAccount(request, { seedJobs: 120, seedFailedShare: 1 });
  const jobs = await failedJobs(request, account.account_id);
  const weekAgo = Date.now() - 7 * 24 * 3_600_000;
  const recent = jobs.filter((job) => Date.parse(job.created_at) > weekAgo + 3_600_000);
  const target = recent.find((job) => job.error?.code === 'unsupported_media_type') ?? recent[0];
  if (!target) throw new Error('the seeded account has no recent failure');
  const code = target.error?.code ?? '';

  await signIn(page, account.keys.full, '/failed');
  await page.getByLabel('Error code').selectOption(code);
  await expect(page).toHaveURL(new RegExp(`[?&]code=${code}`));
  await page.getByLabel('Search').fill(target.file.name);
  await page.getByLabel('Search').press('Enter');
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(target.file.name).replace(/\./g, '\\.')}`));
  const list = page.getByRole('list', { name: 'Failures, newest first' });
  await expect(list.getByRole('link', { name: target.id })).toBeVisible();
  await waitForCount(page, 1);

  const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.reload();
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await dialog.getByLabel('API key', { exact: true }).fill(account.keys.full);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expect(page.getByLabel('Error code')).toHaveValue(code);
  await expect(page.getByLabel('Search')).toHaveValue(target.file.name);
  await expect(list.getByRole('link', { name: target.id })).toBeVisible();
  await waitForCount(page, 1);
});

test('thousands of failures keep about 100 row elements in the DOM, down to the oldest', async ({ page, request }) => {
  const account = await createAccount(request, { seedJobs: 2_000, seedFailedShare: 1 });
  await setFaults(request, account.account_id, { rateLimit: 3_000 });
  const jobs = await failedJobs(request, account.account_id);
  await signIn(page, account.keys.full, '/failed?range=30d');
  await waitForCount(page, jobs.length);
  const list = page.getByRole('list', { name: 'Failures, newest first' });
  await expect(list.getByRole('listitem').first()).toBeVisible();
  expect(await list.getByRole('listitem').count()).toBeLessThanOrEqual(100);

  const scroller = page.getByRole('region', { name: 'Failures, newest first' });
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  const oldest = [...jobs].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))[0];
  await expect(list.getByRole('link', { name: oldest?.id ?? '' })).toBeVisible();
  await expect(list.getByRole('listitem').last()).toHaveAttribute('aria-posinset', String(jobs.length));
  expect(await list.getByRole('listitem').count()).toBeLessThanOrEqual(100);
});

test('rows and a group are selected from the keyboard, and the selection\'s support bundle is shown without the key', async ({ page, request }) => {
  const account = await createAccount(request, { seedJobs: 60, seedFailedShare: 1 });
  const jobs = await failedJobs(request, account.account_id);
  const counts = countsByCode(jobs);
  await signIn(page, account.keys.full, '/failed?range=30d');
  await waitForCount(page, jobs.length);

  const list = page.getByRole('list', { name: 'Failures, newest first' });
  const firstBox = list.getByRole('checkbox').first();
  await firstBox.focus();
  await page.keyboard.press('Space');
  await expect(firstBox).toBeChecked();
  await expect(page.getByText('1 selected', { exact: true })).toBeVisible();

  const [code, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  await page.getByRole('button', { name: 'Clear selection' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('0 selected', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: `Select all ${count} in ${code}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(`${count} selected`, { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Support bundle for the selection' }).focus();
  await page.keyboard.press('Enter');
  const bundle = page.getByRole('region', { name: 'Support bundle for the selection' });
  await expect(bundle).toContainText(`${count} failure`);
  const inGroup = jobs.filter((job) => job.error?.code === code);
  for (const job of inGroup.slice(0, 5)) await expect(bundle).toContainText(job.id);
  await expect(bundle).not.toContainText(account.keys.full);
  await expect(bundle.getByRole('button', { name: 'Download support bundle' })).toBeVisible();

  await page.getByRole('button', { name: /^Select everything matching/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(`${jobs.length} selected`, { exact: true })).toBeVisible();

  // "Count again" reads the pages afresh and ends at the same total.
  const listReads = async () => (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v1/jobs')).length;
  const before = await listReads();
  await page.getByRole('button', { name: 'Count again' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(listReads).toBeGreaterThan(before);
  await waitForCount(page, jobs.length);
});
