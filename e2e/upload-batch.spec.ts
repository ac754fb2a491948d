import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { accountJobs, createAccount, requestLog, signIn } from './support/simulator';
import { sineWav } from './support/wav';

const FAST_JOBS = { queueMs: [200, 400], processMs: [800, 1_200] };

test.describe.configure({ timeout: 120_000 });

test('once files are queued the form folds behind "Add more files" and a batch summary counts them, with overall progress to the end', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'starter', timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  const addMore = page.getByRole('button', { name: 'Add more files' });
  await expect(addMore).toHaveCount(0);
  const names = ['a.wav', 'b.wav', 'c.wav'];
  await page.getByLabel('Choose audio files').setInputFiles(names.map((name, index) => ({ name, mimeType: 'audio/wav', buffer: sineWav(60_000, 16_000, 300 + index * 40) })));
  await page.getByRole('button', { name: 'Upload 3 files' }).click();

  await expect(addMore).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('form', { name: 'Upload audio' })).toBeHidden();
  await expect(page.getByRole('region', { name: /Upload queue/ })).toBeVisible();
  const summary = page.getByRole('region', { name: 'Upload batch' });
  await expect(summary.getByRole('heading')).toHaveText('Upload batch (3 files)');
  const progress = summary.getByRole('progressbar', { name: 'Upload batch: overall progress' });
  await expect(progress).toHaveAttribute('value', '100', { timeout: 60_000 });
  await expect(summary.getByText('Done')).toBeVisible();
  const accepted = (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs' && entry.status === 202);
  expect(accepted).toHaveLength(3);
  await expect(summary.locator('div', { hasText: /^Accepted/ }).locator('dd')).toHaveText(String(accepted.length));
  await expect(summary.locator('div', { hasText: /^Waiting/ }).locator('dd')).toHaveText('0');
  await expect(summary.locator('div', { hasText: /^Failed/ }).locator('dd')).toHaveText('0');

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);

  // From the keyboard: the form opens again, and folds again when more files join the queue.
  await addMore.focus();
  await page.keyboard.press('Enter');
  await expect(addMore).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('form', { name: 'Upload audio' })).toBeVisible();
  await page.getByLabel('Choose audio files').setInputFiles({ name: 'd.wav', mimeType: 'audio/wav', buffer: sineWav(60_000, 16_000, 700) });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(addMore).toHaveAttribute('aria-expanded', 'false');
  // The first batch was done: it does not roll into the new one.
  await expect(summary.getByRole('heading')).toHaveText('Upload batch (1 file)');
});

test('a FLAC picked twice in one batch, once saved as .mp3: one job; the copy is skipped, names the file it repeats and its job, and the batch ends', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'starter', timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  const flac = readFileSync('e2e/fixtures/audio/support-0219.flac');
  await page.getByLabel('Choose audio files').setInputFiles([
    { name: 'meeting.flac', mimeType: 'audio/flac', buffer: flac },
    { name: 'meeting.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from(flac) },
  ]);
  await page.getByRole('button', { name: 'Upload 2 files' }).click();
  const summary = page.getByRole('region', { name: 'Upload batch' });
  await expect(summary.getByText('Done')).toBeVisible({ timeout: 60_000 });
  const copy = page.getByRole('listitem', { name: 'meeting.mp3', exact: true });
  await expect(copy.getByText('Skipped: a repeat')).toBeVisible();
  await expect(copy.getByText('It has the same bytes as meeting.flac, in this batch.')).toBeVisible();
  const jobs = await accountJobs(request, account.account_id);
  expect(jobs.map((job) => job.file.name)).toEqual(['meeting.flac']);
  await expect(copy.getByRole('link', { name: jobs[0]!.id })).toBeVisible();
  await expect(copy.getByRole('button', { name: 'Send anyway: meeting.mp3' })).toBeVisible();
  await expect(copy.getByRole('button', { name: 'Submit when the window ends' })).toHaveCount(0);
  await expect(summary.locator('div', { hasText: /^Skipped/ }).locator('dd')).toHaveText('1');
  await expect(summary.locator('div', { hasText: /^Waiting/ }).locator('dd')).toHaveText('0');
});
