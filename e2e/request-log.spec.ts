import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { createAccount, requestLog, setFaults, signIn } from './support/simulator';
import { sineWav } from './support/wav';

test('the request log shows each request with its request id, file and the Retry-After wait, filters, exports JSON without the key, works from the keyboard and survives a reload', async ({ page, request }) => {
  const account = await createAccount(request);
  // The first upload attempt is refused with a 2 s Retry-After; the console must wait it out, then send again.
  await setFaults(request, account.account_id, {
    forced: [{ endpoint: 'POST /v1/jobs', code: 'rate_limit_exceeded', status: 429, remaining: 1, retryAfterSeconds: 2 }],
  });
  await signIn(page, account.keys.full, '/upload');
  await page.getByLabel('Choose audio files').setInputFiles({ name: 'logged-call.wav', mimeType: 'audio/wav', buffer: sineWav(24_000) });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(page.getByRole('region', { name: /Upload queue/ }).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  const posts = (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
  expect(posts.map((entry) => entry.status)).toEqual([429, 202]);

  const open = page.getByRole('button', { name: 'Request log' });
  await open.focus();
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('complementary', { name: 'Request log' });
  await expect(drawer).toBeVisible();
  const rows = drawer.getByRole('row');
  const refused = rows.filter({ hasText: posts[0]!.requestId });
  await expect(refused).toContainText('POST /v1/jobs');
  await expect(refused).toContainText('logged-call.wav');
  await expect(refused).toContainText('429');
  await expect(refused).toContainText('rate_limit_exceeded');
  await expect(refused).toContainText('asked to wait 2.0 s');
  const accepted = rows.filter({ hasText: posts[1]!.requestId });
  await expect(accepted).toContainText('202');
  const waited = Number(/([\d.]+) s before \(Retry-After honoured\)/.exec((await accepted.textContent()) ?? '')?.[1]);
  expect(waited).toBeGreaterThanOrEqual(2);

  await drawer.getByLabel('Endpoint').selectOption('/v1/jobs');
  await drawer.getByLabel('Status').selectOption('4xx');
  await expect(drawer.getByRole('row')).toHaveCount(2); // the header row and the 429
  await expect(drawer.getByRole('status')).toContainText('1 of');
  await expect(new AxeBuilder({ page }).analyze().then((result) => result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id))).resolves.toEqual([]);

  await drawer.getByLabel('Status').selectOption('all');
  await drawer.getByLabel('Endpoint').selectOption('all endpoints');
  const downloading = page.waitForEvent('download');
  await drawer.getByRole('button', { name: 'Export as JSON' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('novapulse-request-log.json');
  const text = await (await import('node:fs/promises')).readFile((await download.path()) as string, 'utf8');
  expect(text).not.toContain(account.keys.full);
  const exported = JSON.parse(text) as { requests: { request_id: string | null; status: number | null }[] };
  const simulatorIds = new Set((await requestLog(request, account.account_id)).map((entry) => entry.requestId));
  const exportedIds = exported.requests.map((entry) => entry.request_id).filter((id): id is string => id !== null);
  expect(exportedIds.length).toBeGreaterThanOrEqual(3);
  expect(exportedIds.every((id) => simulatorIds.has(id))).toBe(true);
  expect(exportedIds).toContain(posts[0]!.requestId);

  // Tab goes round the drawer's own controls, never onto the header controls it covers.
  await drawer.getByRole('button', { name: 'Close request log' }).focus();
  for (let press = 0; press < 12; press++) {
    await page.keyboard.press('Tab');
    expect(await drawer.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await drawer.evaluate((element) => element.contains(document.activeElement))).toBe(true);

  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(open).toBeFocused();

  // Kept for the tab: after a reload the requests above are listed under their own heading, and the tab's storage
  // holds no key.
  await page.reload();
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await dialog.getByLabel('API key', { exact: true }).fill(account.keys.full);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await open.click();
  await expect(drawer.getByRole('columnheader', { name: 'Before this page was loaded (earlier in this tab)' })).toBeVisible();
  await expect(drawer.getByRole('row').filter({ hasText: posts[0]!.requestId })).toContainText('logged-call.wav');
  await expect(drawer.getByRole('row').filter({ hasText: posts[1]!.requestId })).toContainText('202');
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
  expect(stored).toContain(posts[0]!.requestId);
  expect(stored).not.toContain(account.keys.full);
});
