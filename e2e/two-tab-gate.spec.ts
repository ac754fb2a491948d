import { expect, type Page, test } from '@playwright/test';
import { accountJobs, createAccount, requestLog, setFaults } from './support/simulator';

/*
 * One gate for the whole console: a wait one tab learned (a Retry-After, a refused key) holds in every tab of the
 * browser and in every page opened later, so that no new page probes inside it. Two pages of one browser context are
 * two tabs: one localStorage, one BroadcastChannel.
 */

/** A request already on its way when the refusal came back is not "sent during the wait". */
const DELIVERY_ALLOWANCE_MS = 250;

test.describe.configure({ timeout: 90_000 });

function maintenanceBanner(page: Page) {
  return page.getByRole('status').filter({ hasText: /NovaPulse is under maintenance\. Requests resume in \d+ s\.$/ });
}

async function signInRemembered(page: Page, key: string, path: string) {
  await page.goto(path);
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await dialog.getByLabel('API key', { exact: true }).fill(key);
  await dialog.getByLabel('Remember on this device').check();
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expect(dialog).toBeHidden();
}

test('a second tab opened on a job page during a maintenance window sends nothing inside the Retry-After the first tab holds', async ({ context, request }) => {
  const account = await createAccount(request, { seedJobs: 3 });
  const [job] = await accountJobs(request, account.account_id);
  const first = await context.newPage();
  await signInRemembered(first, account.keys.full, '/jobs');
  await expect(first.getByRole('link', { name: job!.id })).toBeVisible();

  await setFaults(request, account.account_id, { maintenanceSeconds: 20, maintenanceRetryAfter: 'seconds' });
  await first.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed jobs' }).click();
  await expect(maintenanceBanner(first)).toBeVisible();
  const refusal = (await requestLog(request, account.account_id)).find((entry) => entry.status === 503)!;
  const waitEnds = refusal.answeredAt + Number(refusal.retryAfter) * 1_000;
  expect(waitEnds - refusal.answeredAt).toBeGreaterThan(10_000);

  // The second tab: a job page opened by its address, as from a link in a ticket.
  const second = await context.newPage();
  await second.goto(`/jobs/${job!.id}`);
  await expect(maintenanceBanner(second)).toBeVisible();
  await second.waitForTimeout(4_000);

  const inside = (await requestLog(request, account.account_id)).filter((entry) => entry.startedAt > refusal.answeredAt + DELIVERY_ALLOWANCE_MS && entry.startedAt < waitEnds);
  expect(inside.map((entry) => `${entry.method} ${entry.path}${entry.query ? `?${entry.query}` : ''} ${entry.status}`)).toEqual([]);
});

test('a second tab opened after the remembered key was refused says so at once and sends nothing', async ({ context, request }) => {
  const account = await createAccount(request);
  const first = await context.newPage();
  await signInRemembered(first, account.keys.full, '/jobs');
  await expect(first.getByRole('heading', { name: 'Jobs', exact: true })).toBeVisible();
  expect((await request.post(`/__sim/accounts/${account.account_id}/expire-key`)).ok()).toBe(true);
  await first.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed jobs' }).click();
  await expect(first.getByRole('dialog', { name: 'API key expired' })).toBeVisible();
  const before = (await requestLog(request, account.account_id)).length;

  const second = await context.newPage();
  await second.goto('/jobs');
  await expect(second.getByRole('dialog', { name: 'API key expired' })).toBeVisible();
  await second.waitForTimeout(2_000);
  expect((await requestLog(request, account.account_id)).slice(before).map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([]);
});
