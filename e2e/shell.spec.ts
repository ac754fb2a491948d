import { expect, test } from '@playwright/test';
import { accountJobs, createAccount, expireKey, signIn } from './support/simulator';

const TIER_LIMITS = {
  starter: { rpm: 60, concurrent: 2 },
  growth: { rpm: 120, concurrent: 5 },
  enterprise: { rpm: 600, concurrent: 20 },
} as const;

test('a first visit asks for a key, refuses a malformed one, and loads the account summary over HTTP', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'starter', name: 'Globex Contact Centre' });
  const accountRequests: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === '/v1/account') accountRequests.push(req.headers().authorization ?? '');
  });

  await page.goto('/');
  await expect(page.getByText('Demo', { exact: true })).toBeVisible();
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await expect(dialog).toBeVisible();

  await dialog.getByLabel('API key', { exact: true }).fill('sk-not-a-novapulse-key');
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expect(dialog.getByText(/not a NovaPulse key/)).toBeVisible();
  expect(accountRequests).toHaveLength(0);

  await dialog.getByLabel('API key', { exact: true }).fill(account.keys.full);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByRole('heading', { name: 'Globex Contact Centre' })).toBeVisible();
  const limits = TIER_LIMITS.starter;
  const concurrency = page.getByRole('meter', { name: 'Concurrent jobs' });
  await expect(concurrency).toHaveAttribute('max', String(limits.concurrent));
  await expect(page.getByText(`0 of ${limits.concurrent} jobs`)).toBeVisible();
  await expect(page.getByRole('meter', { name: 'Requests this minute' })).toHaveAttribute('max', String(limits.rpm));
  expect(accountRequests.at(-1)).toBe(`Bearer ${account.keys.full}`);

  // Kept in memory only: nothing in storage, nothing in the address bar.
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(account.keys.full);
  expect(page.url()).not.toContain(account.keys.full);
});

test('"remember on this device" keeps the key across a reload; without it a reload asks again', async ({ page, request }) => {
  const account = await createAccount(request, { name: 'Initech Support' });
  await signIn(page, account.keys.full);
  await expect(page.getByRole('heading', { name: 'Initech Support' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('dialog', { name: /API key/i })).toBeVisible();

  const dialog = page.getByRole('dialog', { name: /API key/i });
  await dialog.getByLabel('API key', { exact: true }).fill(account.keys.full);
  await dialog.getByLabel('Remember on this device').check();
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expect(page.getByRole('heading', { name: 'Initech Support' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Initech Support' })).toBeVisible();
  await expect(page.getByRole('dialog', { name: /API key/i })).toBeHidden();

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Forget key' }).click();
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(account.keys.full);
});

test('the demo key button signs in to the seeded demo account, honouring "remember"', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Remember on this device').check();
  await page.getByRole('button', { name: 'Use the demo key' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Support (demo)' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Acme Support (demo)' })).toBeVisible();
  await expect(page.getByRole('dialog', { name: /API key/i })).toBeHidden();
  await page.getByRole('link', { name: 'Failed jobs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Failed jobs', level: 1 })).toBeVisible();
  // The seeded account has failures of several codes, each group with the catalogue's guidance.
  await expect(page.getByRole('heading', { level: 2, name: /internal_error/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /unsupported_media_type/ })).toBeVisible();
  await expect(page.getByText(/Convert it to MP3, WAV, M4A, FLAC or OGG/).first()).toBeVisible();
  // A failed job's page gives job-failure guidance (nothing is retried) and a support bundle.
  const group = page.getByRole('region', { name: /internal_error/ });
  await group.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 2, name: /Failed: NovaPulse server error/ })).toBeVisible();
  await expect(page.getByText(/Upload the file again; if it fails again, contact NovaPulse support/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy support bundle' })).toBeVisible();
  await expect(page).toHaveTitle(/· NovaPulse Console$/);
});

test('navigation reaches every section, and deep links open a job or say it does not exist', async ({ page, request }) => {
  const account = await createAccount(request, { seedJobs: 12 });
  const jobs = await accountJobs(request, account.account_id);
  const target = jobs[3]!;
  await signIn(page, account.keys.full);

  for (const [link, heading] of [
    ['Upload', 'Upload audio'],
    ['Jobs', 'Jobs'],
    ['Failed jobs', 'Failed jobs'],
    ['Settings', 'Settings'],
    ['Overview', 'Overview'],
  ] as const) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }

  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Jobs, newest first' }).getByRole('listitem')).toHaveCount(jobs.length);
  await expect(page.getByRole('status').filter({ hasText: `${jobs.length} jobs, all loaded` })).toBeVisible();

  await page.goto(`/jobs/${target.id}`);
  await page.getByRole('dialog', { name: /API key/i }).getByLabel('API key', { exact: true }).fill(account.keys.full);
  await page.getByRole('button', { name: 'Use this key' }).click();
  await expect(page.getByRole('heading', { level: 1, name: target.file.name })).toBeVisible();

  await page.goto('/jobs/job_DOESNOTEXIST');
  await page.getByRole('dialog', { name: /API key/i }).getByLabel('API key', { exact: true }).fill(account.keys.full);
  await page.getByRole('button', { name: 'Use this key' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Job not found' })).toBeVisible();
  await expect(page.getByText('Verify the job ID returned when the file was uploaded.')).toBeVisible();
});

test('an expired key reopens the key dialog with what to do', async ({ page, request }) => {
  const account = await createAccount(request);
  await signIn(page, account.keys.full);
  await expect(page.getByRole('heading', { name: 'Acme Support' })).toBeVisible();
  await expireKey(request, account.account_id);
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'API key expired' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(/Generate a new key/)).toBeVisible();
});

test('the key dialog and every section work from the keyboard', async ({ page, request }) => {
  const account = await createAccount(request, { name: 'Keyboard Co' });
  await page.goto('/');
  // The dialog takes focus; typing and Enter submit it.
  await expect(page.getByRole('dialog', { name: /API key/i })).toBeVisible();
  await expect(page.getByLabel('API key', { exact: true })).toBeFocused();
  await page.keyboard.type(account.keys.full);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Keyboard Co' })).toBeVisible();
  const jobsLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true });
  await jobsLink.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
});

test('a read-only key: upload and insights are disabled up front, with the missing scope named', async ({ page, request }) => {
  const account = await createAccount(request, { seedJobs: 30 });
  const detailed = (await (await request.get(`/__sim/accounts/${account.account_id}/jobs`)).json()) as {
    jobs: { id: string; status: string; pipeline: string; file: { name: string } }[];
  };
  const analysed = detailed.jobs.find((job) => job.status === 'completed' && job.pipeline === 'full-analysis')!;
  await signIn(page, account.keys.readOnly, '/upload');
  await expect(page.getByText(/This key cannot upload: it lacks the jobs:write scope/)).toBeVisible();
  await page.goto(`/jobs/${analysed.id}`);
  await page.getByRole('dialog', { name: /API key/i }).getByLabel('API key', { exact: true }).fill(account.keys.readOnly);
  await page.getByRole('button', { name: 'Use this key' }).click();
  await expect(page.getByRole('heading', { level: 1, name: analysed.file.name })).toBeVisible();
  await expect(page.getByText(/lacks the insights:read scope/)).toBeVisible();
  const log = (await (await request.get(`/__sim/accounts/${account.account_id}/requests`)).json()) as { requests: { path: string; status: number }[] };
  expect(log.requests.filter((entry) => entry.path.endsWith('/insights') || entry.status === 403)).toEqual([]);
});

test('job filters live in the URL: status, pipeline and search, and a bad value is ignored', async ({ page, request }) => {
  const account = await createAccount(request, { seedJobs: 40 });
  const detailed = (await (await request.get(`/__sim/accounts/${account.account_id}/jobs`)).json()) as {
    jobs: { id: string; status: string; pipeline: string; file: { name: string } }[];
  };
  const failed = detailed.jobs.filter((job) => job.status === 'failed');
  const failedTranscription = failed.filter((job) => job.pipeline === 'transcription');
  // The list holds exactly the matching jobs (few enough to all be rendered), or the page says none match.
  const expectJobs = async (count: number) => {
    if (count === 0) await expect(page.getByText('No jobs match these filters.')).toBeVisible();
    else await expect(page.getByRole('list', { name: 'Jobs, newest first' }).getByRole('listitem')).toHaveCount(count);
  };
  await signIn(page, account.keys.full, '/jobs?status=failed');
  await expectJobs(failed.length);
  await page.getByLabel('Pipeline').selectOption('transcription');
  await expect(page).toHaveURL(/pipeline=transcription/);
  await expect(page).toHaveURL(/status=failed/);
  await expectJobs(failedTranscription.length);

  const target = detailed.jobs[5]!;
  await page.goto(`/jobs?status=bogus&q=${encodeURIComponent(target.file.name)}`);
  await page.getByRole('dialog', { name: /API key/i }).getByLabel('API key', { exact: true }).fill(account.keys.full);
  await page.getByRole('button', { name: 'Use this key' }).click();
  await expectJobs(detailed.jobs.filter((job) => job.file.name.includes(target.file.name)).length);
  await expect(page.getByRole('link', { name: target.id })).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveValue('');
});
