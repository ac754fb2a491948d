import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { createAccount, signIn } from './support/simulator';

const FIXTURES = 'e2e/fixtures/audio';
const FAST_JOBS = { queueMs: [300, 600], processMs: [1_500, 3_000] };

function keptFilesPanel(page: Page) {
  return page.getByRole('region', { name: 'Kept files' });
}

/** What IndexedDB holds under a key of idb-keyval's default store, as the page sees it. */
function queueBlobKeys(page: Page) {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('keyval', 'readonly').objectStore('keyval').getAllKeys();
          request.onsuccess = () => resolve((request.result as string[]).filter((key) => key.startsWith('novapulse.upload-blob.')));
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

test('an accepted upload’s bytes leave the queue for the kept files, which Settings shows and clears after a confirmation', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'starter', timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await page.getByLabel('Choose audio files').setInputFiles([`${FIXTURES}/call-0412.mp3`, `${FIXTURES}/support-0219.flac`]);
  await page.getByRole('button', { name: 'Upload 2 files' }).click();
  const queue = page.getByRole('region', { name: /Upload queue/ });
  for (const name of ['call-0412.mp3', 'support-0219.flac']) {
    await expect(queue.getByRole('listitem', { name, exact: true }).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  }
  await expect.poll(() => queueBlobKeys(page)).toEqual([]);

  // The queue comes back after a reload, from what was saved.
  await page.reload();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.getByRole('dialog').getByLabel('API key', { exact: true }).fill(account.keys.full);
  await page.getByRole('dialog').getByRole('button', { name: 'Use this key' }).click();
  await expect(queue.getByRole('listitem')).toHaveCount(2);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const panel = keptFilesPanel(page);
  await expect(panel.getByText('Files kept')).toBeVisible();
  await expect(panel.locator('dd').first()).toHaveText('2');
  await expect(panel.getByText(/ of 2\.0 GB$/)).toBeVisible();
  const axe = await new AxeBuilder({ page }).include('main').analyze();
  expect(axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);

  await panel.getByRole('button', { name: 'Clear kept files' }).click();
  const confirm = panel.getByRole('group', { name: /Delete the 2 files kept in this browser/ });
  await expect(confirm.getByRole('button', { name: 'Yes, clear kept files' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Yes, clear kept files' }).click();
  await expect(panel.getByRole('status')).toHaveText(/^Cleared 2 files/);
  await expect(panel.locator('dd').first()).toHaveText('0');
  await expect(panel.getByRole('button', { name: 'Clear kept files' })).toBeDisabled();
});

test('a saved queue that cannot be read: the console starts with an empty queue and says so', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'starter' });
  await signIn(page, account.keys.full, '/upload');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction('keyval', 'readwrite');
          transaction.objectStore('keyval').put('{"version":2,"items":[{"id":"half-written', 'novapulse.upload-queue');
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error);
        };
      }),
  );
  await page.reload();
  // The key was not remembered: the key dialog comes first, the notice waits under the header.
  await page.getByRole('dialog').getByLabel('API key', { exact: true }).fill(account.keys.full);
  await page.getByRole('dialog').getByRole('button', { name: 'Use this key' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The saved upload queue could not be read and was cleared.' })).toBeVisible();
  await expect(page.getByText('The upload queue is empty.')).toBeVisible();
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByText('The saved upload queue could not be read')).toBeHidden();
});
