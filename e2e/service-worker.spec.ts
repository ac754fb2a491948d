import { expect, test } from '@playwright/test';

test('the static demo build runs the simulator in a service worker: sign in, upload, open the job', async ({ page, request }) => {
  // A plain file server: no simulator answers over HTTP here.
  expect((await request.get('/__sim/health')).headers()['content-type'] ?? '').not.toContain('application/json');
  await page.goto('/');
  await page.getByRole('button', { name: 'Use the demo key' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Support (demo)' })).toBeVisible();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/mockServiceWorker\.js$/);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload', exact: true }).click();
  await page.getByLabel('Choose audio files').setInputFiles('e2e/fixtures/audio/support-0219.flac');
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = page.getByRole('listitem', { name: 'support-0219.flac', exact: true });
  await expect(item.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await item.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'support-0219.flac' })).toBeVisible();
});
