import { expect, test } from '@playwright/test';
import { accountJobs, createAccount, requestLog, signIn } from './support/simulator';
import { sineWav } from './support/wav';

// Issue 13, item 11: the path people take. Sign-in lands on the Overview; its panels load; then a batch larger
// than the free slots. Before the fix the 24-hour panel's cache entry broke the poller: 5 of 8 became jobs.
const FAST_JOBS = { queueMs: [200, 400], processMs: [1_500, 2_500] };

test.describe.configure({ timeout: 150_000 });

test('signed in on the Overview, its panels loaded, then 8 files on 5 slots: every file one job, rows follow their jobs, no page error', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'growth', seedJobs: 40, timing: FAST_JOBS });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await signIn(page, account.keys.full, '/');
  const panel = page.getByRole('region', { name: 'Last 24 hours' });
  await expect(panel.getByRole('list', { name: 'Jobs of the last 24 hours by status' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('meter', { name: 'Concurrent jobs' }).first()).toHaveAttribute('max', '5');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload' }).click();
  const names = Array.from({ length: 8 }, (_, index) => `batch-${index + 1}.wav`);
  await page.getByLabel('Choose audio files').setInputFiles(names.map((name, index) => ({ name, mimeType: 'audio/wav', buffer: sineWav(40_000, 16_000, 300 + index * 37) })));
  await page.getByRole('button', { name: 'Upload 8 files' }).click();

  const queue = page.getByRole('region', { name: /Upload queue/ });
  for (const name of names) await expect(queue.getByRole('listitem', { name })).toContainText('completed', { timeout: 90_000 });

  const jobs = (await accountJobs(request, account.account_id)).filter((job) => names.includes(job.file.name));
  expect(jobs.map((job) => job.file.name).sort()).toEqual([...names].sort());
  expect(jobs.every((job) => job.status === 'completed')).toBe(true);
  const log = await requestLog(request, account.account_id);
  expect(log.filter((entry) => entry.status === 429)).toEqual([]);
  expect(pageErrors).toEqual([]);
});
