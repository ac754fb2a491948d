import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { accountJobs, createAccount, requestLog, signIn } from './support/simulator';
import { sineWav } from './support/wav';

// Every scenario is started from the panel alone, as a presenter would, and judged by what the console then shows.
test.describe.configure({ timeout: 120_000 });

const FAST_JOBS = { queueMs: [200, 400], processMs: [1_000, 1_500] };

function usage(page: Page) {
  return page.getByRole('region', { name: 'Usage' });
}

async function openScenarios(page: Page) {
  await page.getByRole('button', { name: 'Demo scenarios' }).click();
  const panel = page.getByRole('complementary', { name: 'Demo scenarios' });
  await expect(panel).toBeVisible();
  return panel;
}

async function runScenario(page: Page, label: string) {
  const panel = await openScenarios(page);
  await panel.getByRole('button', { name: label, exact: true }).click();
  await expect(panel.getByRole('status')).toContainText(`Running: ${label}.`);
  await panel.getByRole('button', { name: 'Close scenarios' }).click();
  await expect(panel).toBeHidden();
}

async function upload(page: Page, files: { name: string; bytes: number }[]) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload', exact: true }).click();
  await page
    .getByLabel('Choose audio files')
    .setInputFiles(files.map(({ name, bytes }, index) => ({ name, mimeType: 'audio/wav', buffer: sineWav(bytes, 16_000, 300 + index * 70) })));
  await page.getByRole('button', { name: `Upload ${files.length} ${files.length === 1 ? 'file' : 'files'}` }).click();
}

function queueItem(page: Page, name: string) {
  return page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name, exact: true });
}

async function simFaults(request: APIRequestContext, accountId: string) {
  return ((await (await request.get(`/__sim/accounts/${accountId}/faults`)).json()) as { faults: Record<string, unknown> }).faults;
}

test('rate-limit storm, then normal day: the requests gauge follows the limit the panel set', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'growth' });
  await signIn(page, account.keys.full, '/jobs');
  const requests = usage(page).getByRole('meter', { name: 'Requests this minute' });
  await expect(requests).toHaveAttribute('max', '120');
  await runScenario(page, 'Rate-limit storm');
  await expect(requests).toHaveAttribute('max', '12', { timeout: 10_000 });
  await runScenario(page, 'Normal day');
  await expect(requests).toHaveAttribute('max', '120', { timeout: 10_000 });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
});

test('maintenance window: the banner counts down, and nothing is sent inside the Retry-After', async ({ page, request }) => {
  const account = await createAccount(request);
  await signIn(page, account.keys.full, '/jobs');
  await runScenario(page, 'Maintenance window');
  await expect(page.getByText(/NovaPulse is under maintenance\. Requests resume in \d+ s\./)).toBeVisible({ timeout: 15_000 });
  const log = await requestLog(request, account.account_id);
  const refusals = log.filter((entry) => entry.status === 503);
  expect(refusals.length).toBeGreaterThanOrEqual(1);
  const first = refusals[0]!;
  const retryAfterMs = Number(first.retryAfter) * 1_000;
  expect(
    // Requests already on their way when the first 503 came back (sent together by one refresh) are not "inside" it.
    log.filter((entry) => entry.startedAt > first.answeredAt + 500 && entry.startedAt < first.answeredAt + retryAfterMs - 1_000).map((entry) => `${entry.method} ${entry.path} ${entry.status} +${entry.startedAt - first.answeredAt} ms`),
  ).toEqual([]);
});

/** Signs in with the demo key from the dialog, runs "Key expires now" and waits for the console to meet the 401, then reloads. */
async function demoKeyExpiredThenReload(page: Page) {
  await page.goto('/');
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await dialog.getByRole('button', { name: 'Use the demo key' }).click();
  await expect(dialog).toBeHidden();
  const panel = await openScenarios(page);
  await panel.getByRole('button', { name: 'Key expires now', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'API key expired' })).toBeVisible({ timeout: 15_000 });
  await page.reload();
  await expect(page.getByRole('dialog', { name: /API key/i })).toBeVisible();
}

/** The demo account's requests answered after `since` (simulator time), as status codes. */
async function demoStatusesSince(request: APIRequestContext, since: number) {
  const demo = (await (await request.get('/__sim/demo')).json()) as { account_id: string };
  return (await requestLog(request, demo.account_id)).filter((entry) => entry.startedAt >= since).map((entry) => entry.status);
}

test('concurrency cap reached: uploads wait for a free slot and all go through, never into a 429', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/jobs');
  await runScenario(page, 'Concurrency cap reached');
  await expect(usage(page).getByRole('meter', { name: 'Concurrent jobs' })).toHaveAttribute('max', '1', { timeout: 10_000 });
  await upload(page, [
    { name: 'cap-1.wav', bytes: 20_000 },
    { name: 'cap-2.wav', bytes: 20_000 },
    { name: 'cap-3.wav', bytes: 20_000 },
  ]);
  for (const name of ['cap-1.wav', 'cap-2.wav', 'cap-3.wav']) await expect(queueItem(page, name).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 60_000 });
  const posts = (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
  expect(posts.map((entry) => entry.status)).toEqual([202, 202, 202]);
  expect(await accountJobs(request, account.account_id)).toHaveLength(3);
});

test('flaky server: every file becomes exactly one job although requests fail, some after the job was made', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS, seed: 8_008 });
  await signIn(page, account.keys.full, '/');
  await runScenario(page, 'Flaky server');
  const names = ['flaky-1.wav', 'flaky-2.wav', 'flaky-3.wav', 'flaky-4.wav'];
  await upload(
    page,
    names.map((name) => ({ name, bytes: 20_000 })),
  );
  // About 44 % of upload attempts meet a 500 here, so a file can use up its four attempts (internal_error's backoff)
  // and end "Failed" with "Retry now", as the catalogue says; the presenter then presses it. Either way: one job.
  for (const name of names) {
    const item = queueItem(page, name);
    await expect(async () => {
      const retry = item.getByRole('button', { name: `Retry now: ${name}` });
      if (await item.getByText('Failed', { exact: true }).isVisible()) await retry.click();
      await expect(item.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 150_000 });
  }
  const jobs = await accountJobs(request, account.account_id);
  expect(jobs.map((job) => job.file.name).sort()).toEqual(names);
  expect((await requestLog(request, account.account_id)).some((entry) => entry.status === 500)).toBe(true);
});

test('slow network: the queue shows the upload crawling, with speed and time left', async ({ page, request }) => {
  const account = await createAccount(request);
  await signIn(page, account.keys.full, '/');
  await runScenario(page, 'Slow network');
  expect(await simFaults(request, account.account_id)).toMatchObject({ uploadBytesPerSecond: 150_000 });
  // 12 MB: more than loopback's socket buffers (several MB here) take in at once, so the pace shown is the simulator's.
  await upload(page, [{ name: 'slow-call.wav', bytes: 12_000_000 }]);
  await expect(queueItem(page, 'slow-call.wav').getByText(/\d+% · .* of 11\.4 MB · .*\/s · .+ left/)).toBeVisible({ timeout: 20_000 });
});

test('processing failures of a chosen code: new jobs fail with it and Failed jobs groups them with the guidance', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/');
  const panel = await openScenarios(page);
  await panel.getByLabel('Failure code').selectOption('service_unavailable');
  await panel.getByRole('button', { name: 'Processing failures', exact: true }).click();
  await expect(panel.getByRole('status')).toContainText('Running: Processing failures.');
  await panel.getByRole('button', { name: 'Close scenarios' }).click();
  await upload(page, [{ name: 'doomed.wav', bytes: 20_000 }]);
  await expect.poll(async () => (await accountJobs(request, account.account_id)).map((job) => job.status), { timeout: 30_000 }).toEqual(['failed']);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed jobs' }).click();
  const group = page.getByRole('region', { name: /\(service_unavailable\)/ });
  await expect(group.getByText('1 failure', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(group).toContainText('What to do:');
});

// These expire, renew and reset the one demo account every spec shares: run one at a time, or one test's
// "Key expires now" or reset lands in the middle of another (CI runs two workers).
test.describe('the shared demo account', () => {
  test.describe.configure({ mode: 'serial' });

  test('key expires now: the key dialog says so; Reset demo data and the same demo key bring the console back', async ({ page, request }) => {
    await page.goto('/');
    const dialog = page.getByRole('dialog', { name: /API key/i });
    await dialog.getByRole('button', { name: 'Use the demo key' }).click();
    await expect(dialog).toBeHidden();
    try {
      const panel = await openScenarios(page);
      await panel.getByRole('button', { name: 'Key expires now', exact: true }).click();
      // The console's next request meets the 401: the key dialog comes up over everything, the panel included.
      await expect(page.getByRole('dialog', { name: 'API key expired' })).toBeVisible({ timeout: 15_000 });
      await expect(page.getByRole('dialog', { name: 'API key expired' })).toContainText('Generate a new key');
    } finally {
      // The demo account is shared with other specs: leave it as found.
      expect((await request.post('/__sim/demo/reset')).status()).toBe(204);
    }
    const again = page.getByRole('dialog', { name: 'API key expired' });
    await again.getByRole('button', { name: 'Use the demo key' }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Acme Support (demo)' })).toBeVisible();
  });

  test('the demo reset after Key expires now and a reload: Reset demo data is there to press and signs the console back in', async ({ page, request }) => {
    try {
      await demoKeyExpiredThenReload(page);
      await page.getByRole('dialog', { name: /API key/i }).getByRole('button', { name: 'Not now' }).click();
      const panel = await openScenarios(page);
      const reset = panel.getByRole('button', { name: 'Reset demo data', exact: true });
      await expect(reset).toBeEnabled();
      const pressedAt = Date.now();
      await reset.click();
      await expect(panel.getByRole('status')).toContainText('Running: Reset demo data.');
      await panel.getByRole('button', { name: 'Close scenarios' }).click();
      await expect(page.getByRole('dialog')).toBeHidden();
      await expect(page.getByRole('heading', { name: 'Acme Support (demo)' })).toBeVisible();
      const statuses = await demoStatusesSince(request, pressedAt);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 401)).toEqual([]);
    } finally {
      // The demo account is shared with other specs: leave it as found.
      expect((await request.post('/__sim/demo/reset')).status()).toBe(204);
    }
  });

  test('Key expires now and a reload: "Use the demo key" signs in with a key that works, not the expired one', async ({ page, request }) => {
    try {
      await demoKeyExpiredThenReload(page);
      const pressedAt = Date.now();
      await page.getByRole('dialog', { name: /API key/i }).getByRole('button', { name: 'Use the demo key' }).click();
      await expect(page.getByRole('dialog')).toBeHidden();
      await expect(page.getByRole('heading', { name: 'Acme Support (demo)' })).toBeVisible();
      const statuses = await demoStatusesSince(request, pressedAt);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 401)).toEqual([]);

      // Reset demo data then: the fresh key went with the old demo account, and the console is signed in again, not refused.
      await runScenario(page, 'Reset demo data');
      const resetAt = Date.now();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Jobs', exact: true })).toBeVisible();
      await page.waitForTimeout(2_000);
      await expect(page.getByRole('dialog')).toBeHidden();
      const afterReset = await demoStatusesSince(request, resetAt);
      expect(afterReset.length).toBeGreaterThan(0);
      expect(afterReset.filter((status) => status === 401)).toEqual([]);
    } finally {
      expect((await request.post('/__sim/demo/reset')).status()).toBe(204);
    }
  });

  test('reset demo data: the demo account comes back as seeded, without the faults a scenario set', async ({ page, request }) => {
    const demo = (await (await request.get('/__sim/demo')).json()) as { account_id: string; key: string };
    await signIn(page, demo.key, '/jobs');
    await runScenario(page, 'Rate-limit storm');
    await expect(usage(page).getByRole('meter', { name: 'Requests this minute' })).toHaveAttribute('max', '12', { timeout: 10_000 });
    await runScenario(page, 'Reset demo data');
    await expect(usage(page).getByRole('meter', { name: 'Requests this minute' })).toHaveAttribute('max', '120', { timeout: 10_000 });
    expect(await simFaults(request, demo.account_id)).toMatchObject({ rateLimit: null, forced: [] });
    expect(await accountJobs(request, demo.account_id)).toHaveLength(320);
  });
});
