import { expect, type Locator, type Page, test } from '@playwright/test';
import { accountJobs, createAccount, setFaults, signIn } from './support/simulator';
import { sineWav } from './support/wav';
import { rowRerunName } from '../src/testing/rerun-names';

test.describe.configure({ timeout: 120_000 });

// Axe on every page, drawer and the key dialog, in both themes, runs in widths.spec.ts (at 1280, 800 and 390 px).

/** A new page load forgets the key (kept in memory only): the dialog asks again. */
async function signInAgain(page: Page, key: string) {
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await dialog.getByLabel('API key', { exact: true }).fill(key);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expect(dialog).toBeHidden();
}

test('the theme follows the system until one is chosen, and the choice survives a reload', async ({ page, request }) => {
  const account = await createAccount(request);
  await page.emulateMedia({ colorScheme: 'dark' });
  await signIn(page, account.keys.full, '/');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');

  const theme = page.getByLabel('Theme');
  await theme.selectOption('dark');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  // The body's background really is dark: the palette follows, not only the attribute.
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(248, 250, 252)');
  await page.reload();
  await signInAgain(page, account.keys.full);
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByLabel('Theme')).toHaveValue('dark');

  await page.getByLabel('Theme').selectOption('system');
  await expect(html).toHaveAttribute('data-theme', 'light');
});

/** Presses Tab until `target` has the focus (at most `limit` times), as a keyboard user would. */
async function tabTo(page: Page, target: Locator, limit = 60) {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

test('from the keyboard alone: upload a file, open the request log, and re-run a failed job', async ({ page, request }) => {
  const account = await createAccount(request, { timing: { queueMs: [200, 400], processMs: [800, 1_200] } });
  await setFaults(request, account.account_id, { processingFailure: { code: 'internal_error', count: 1 } });
  await signIn(page, account.keys.full, '/upload');

  const picker = page.getByLabel('Choose audio files');
  await tabTo(page, picker);
  const choosing = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await choosing).setFiles({ name: 'keyboard-call.wav', mimeType: 'audio/wav', buffer: sineWav(24_000) });
  await tabTo(page, page.getByRole('button', { name: 'Upload 1 file' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: /Upload queue/ }).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await accountJobs(request, account.account_id)).map((job) => job.status), { timeout: 30_000 }).toEqual(['failed']);
  const [failed] = await accountJobs(request, account.account_id);

  const logButton = page.getByRole('button', { name: 'Request log' });
  await tabTo(page, logButton);
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('complementary', { name: 'Request log' });
  await expect(drawer.getByRole('row').filter({ hasText: 'POST /v1/jobs' })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(logButton).toBeFocused();

  await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed jobs' }));
  await page.keyboard.press('Enter');
  const rerun = page.getByRole('button', { name: rowRerunName(failed?.id ?? '') });
  await expect(rerun).toBeVisible({ timeout: 30_000 });
  await tabTo(page, rerun, 120);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /^Re-run (as job_\S+ \(queued\)|waiting in the upload queue)/ })).toBeVisible();
  await expect.poll(async () => (await accountJobs(request, account.account_id)).length, { timeout: 30_000 }).toBe(2);
});
