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

test('in the static demo too, a scenario from the panel reaches the simulator and the request log shows the requests', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Use the demo key' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Support (demo)' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  const requests = page.getByRole('region', { name: 'Usage' }).getByRole('meter', { name: 'Requests this minute' });
  await expect(requests).toHaveAttribute('max', '120');
  try {
    await page.getByRole('button', { name: 'Demo scenarios' }).click();
    const panel = page.getByRole('complementary', { name: 'Demo scenarios' });
    await panel.getByRole('button', { name: 'Rate-limit storm', exact: true }).click();
    await expect(panel.getByRole('status')).toContainText('Running: Rate-limit storm.');
    await panel.getByRole('button', { name: 'Close scenarios' }).click();
    await expect(requests).toHaveAttribute('max', '12', { timeout: 10_000 });
  } finally {
    // This simulator lives in this page's service worker: put the demo account back for the next test.
    await page.evaluate(() => fetch('/__sim/demo/reset', { method: 'POST' }));
  }
  await page.getByRole('button', { name: 'Request log' }).click();
  const log = page.getByRole('complementary', { name: 'Request log' });
  await expect(log.getByRole('row').filter({ hasText: 'GET /v1/account' }).first()).toBeVisible();
  await expect(log.getByRole('row').filter({ hasText: /req_/ }).first()).toBeVisible();
});
