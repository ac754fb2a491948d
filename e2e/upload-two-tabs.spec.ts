import { expect, type Page, test } from '@playwright/test';
import { accountJobs, createAccount, requestLog, signIn } from './support/simulator';
import { sineWav } from './support/wav';

// Jobs that hold the starter key's two slots for a while: uploads wait, and both tabs' runners would have the time to send.
const SLOW_JOBS = { queueMs: [200, 400], processMs: [6_000, 6_000] };

test.describe.configure({ timeout: 150_000 });

async function pick(page: Page, names: string[], tone: number) {
  const addMore = page.getByRole('button', { name: 'Add more files' });
  if ((await addMore.count()) > 0 && (await addMore.getAttribute('aria-expanded')) === 'false') await addMore.click();
  await page
    .getByLabel('Choose audio files')
    .setInputFiles(names.map((name, index) => ({ name, mimeType: 'audio/wav', buffer: sineWav(40_000, 16_000, tone + index * 37) })));
  await page.getByRole('button', { name: `Upload ${names.length} ${names.length === 1 ? 'file' : 'files'}` }).click();
}

const queueRows = (page: Page) => page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem');

test('two tabs on one queue: files queued in either tab are sent once each (one job per file), and both tabs show the same queue to the end', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'starter', timing: SLOW_JOBS });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`first tab: ${error.message}`));
  await signIn(page, account.keys.full, '/upload');
  const second = await page.context().newPage();
  second.on('pageerror', (error) => errors.push(`second tab: ${error.message}`));
  await signIn(second, account.keys.full, '/upload');

  const first3 = ['tab-a-1.wav', 'tab-a-2.wav', 'tab-a-3.wav'];
  const second2 = ['tab-b-1.wav', 'tab-b-2.wav'];
  await pick(page, first3, 300);
  // The second tab shows the first tab's queue without a reload.
  for (const name of first3) await expect(second.getByRole('listitem', { name, exact: true })).toHaveCount(1);
  await pick(second, second2, 600);

  const all = [...first3, ...second2];
  for (const tab of [page, second]) {
    await expect(queueRows(tab)).toHaveCount(all.length);
    for (const name of all) {
      await expect(tab.getByRole('listitem', { name, exact: true }).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 120_000 });
    }
  }

  const jobs = await accountJobs(request, account.account_id);
  expect(jobs.map((job) => job.file.name).sort()).toEqual([...all].sort());
  const uploads = (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
  expect(uploads.map((entry) => entry.fileName).sort()).toEqual([...all].sort());
  expect(uploads.every((entry) => entry.status === 202)).toBe(true);
  expect(errors).toEqual([]);
});
