import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { sineWav } from './support/wav';
import { accountJobs, createAccount, expireKey, issueKey, requestLog, setFaults, signIn } from './support/simulator';

const FIXTURES = 'e2e/fixtures/audio';
const INVALID = ['agenda.mp3', 'picture-named.wav'];
// The journeys' batch of 8: the fixtures folder also holds container variants for the format check.
const VALID = ['call-0412.mp3', 'flac-named.mp3', 'interview-0033.m4a', 'sales-call-0005.wav', 'standup-0101.wav', 'support-0219.flac', 'voicemail-0007.mp3', 'webinar-0042.ogg'];
const FAST_JOBS = { queueMs: [300, 600], processMs: [1_500, 3_000] };

async function pickFiles(page: Page, names: string[]) {
  await page.getByLabel('Choose audio files').setInputFiles(names.map((name) => `${FIXTURES}/${name}`));
}

async function startBatch(page: Page, names: string[]) {
  await pickFiles(page, names);
  await page.getByRole('button', { name: `Upload ${names.length} ${names.length === 1 ? 'file' : 'files'}` }).click();
}

async function expectNoSeriousAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

function queueItem(page: Page, name: string) {
  return page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name, exact: true });
}

async function expectAllAccepted(page: Page, names: string[], timeout = 90_000) {
  for (const name of names) await expect(queueItem(page, name).getByText('Accepted', { exact: true })).toBeVisible({ timeout });
}

/** The largest number of [start, end) intervals that overlap at one moment. */
function maxOverlap(intervals: [number, number][]): number {
  const edges = intervals.flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ]) as [number, number][];
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, change] of edges) {
    open += change;
    most = Math.max(most, open);
  }
  return most;
}

test.describe.configure({ timeout: 150_000 });

test('a batch of 8 real files on a 2-slot tier drains with never more than 2 in flight', async ({ page, request }) => {
  expect(VALID).toHaveLength(8);
  const account = await createAccount(request, { tier: 'starter', timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await startBatch(page, VALID);
  await expect(page.getByText('Waiting for a free slot').first()).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await expectAllAccepted(page, VALID);

  const jobs = await accountJobs(request, account.account_id);
  expect(jobs.map((job) => job.file.name).sort()).toEqual([...VALID].sort());
  const uploads = (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
  expect(uploads.filter((entry) => entry.status === 202)).toHaveLength(8);
  expect(maxOverlap(uploads.map((entry) => [entry.startedAt, entry.answeredAt]))).toBeLessThanOrEqual(2);
  const detailed = (await (await request.get(`/__sim/accounts/${account.account_id}/jobs`)).json()) as {
    jobs: { created_at: string; updated_at: string; status: string }[];
  };
  const activeIntervals = detailed.jobs.map((job) => [Date.parse(job.created_at), job.status === 'completed' || job.status === 'failed' ? Date.parse(job.updated_at) : Number.MAX_SAFE_INTEGER] as [number, number]);
  expect(maxOverlap(activeIntervals)).toBeLessThanOrEqual(2);
});

test('invalid files are refused before sending, each with its reason', async ({ page, request }) => {
  const account = await createAccount(request);
  await signIn(page, account.keys.full, '/upload');
  await pickFiles(page, [...INVALID, 'flac-named.mp3']);
  const refused = page.getByRole('region', { name: /Not uploaded/ });
  await expect(refused.getByText(/agenda\.mp3 is not MP3, WAV, M4A, FLAC or OGG audio/)).toBeVisible();
  await expect(refused.getByText(/picture-named\.wav is not MP3, WAV, M4A, FLAC or OGG audio/)).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  // A FLAC named .mp3 is fine: the format comes from the bytes.
  await expect(page.getByRole('region', { name: 'Ready to upload' }).getByText(/flac-named\.mp3 \(FLAC/)).toBeVisible();
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expectAllAccepted(page, ['flac-named.mp3']);
  const uploads = (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST');
  expect(uploads).toHaveLength(1);
  expect((await accountJobs(request, account.account_id)).map((job) => job.file.name)).toEqual(['flac-named.mp3']);
});

test('a rate-limit storm ends with every upload accepted and no request sent before Retry-After expired', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'growth', timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await setFaults(request, account.account_id, { forced: [{ endpoint: '*', code: 'rate_limit_exceeded', retryAfterSeconds: 2, remaining: 6 }] });
  const names = VALID.slice(0, 5);
  await startBatch(page, names);
  await expectAllAccepted(page, names);
  const log = await requestLog(request, account.account_id);
  const limited = log.filter((entry) => entry.status === 429);
  expect(limited.length).toBe(6);
  // The retry of a refused upload never starts before the Retry-After it was given has run out.
  for (const refusal of limited.filter((entry) => entry.fileName !== null)) {
    const next = log.find((entry) => entry.fileName === refusal.fileName && entry.startedAt > refusal.startedAt);
    expect(next, `a retry of ${refusal.fileName}`).toBeDefined();
    expect(next!.startedAt).toBeGreaterThanOrEqual(refusal.answeredAt + Number(refusal.retryAfter) * 1000);
  }
  // Nor does anything else on the key, once the console has had the 429 back (allowing for a request already on its way).
  const deliveryAllowanceMs = 250;
  for (const refusal of limited) {
    const waitEnds = refusal.answeredAt + Number(refusal.retryAfter) * 1000;
    const early = log.filter((entry) => entry.startedAt > refusal.answeredAt + deliveryAllowanceMs && entry.startedAt < waitEnds);
    expect(early).toEqual([]);
  }
  expect(await accountJobs(request, account.account_id)).toHaveLength(names.length);
});

test('a 503 maintenance window pauses everything and then resumes by itself', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await setFaults(request, account.account_id, { maintenanceSeconds: 6, maintenanceRetryAfter: 'seconds' });
  const names = VALID.slice(0, 3);
  await startBatch(page, names);
  await expect(page.getByText(/NovaPulse is under maintenance\. Requests resume in \d+ s/)).toBeVisible();
  await expectAllAccepted(page, names);
  await expect(page.getByText(/under maintenance/)).toBeHidden();
  const log = await requestLog(request, account.account_id);
  const maintenance = log.filter((entry) => entry.status === 503);
  expect(maintenance.length).toBeGreaterThan(0);
  const ended = maintenance[0]!.answeredAt + Number(maintenance[0]!.retryAfter) * 1000;
  expect(log.filter((entry) => entry.startedAt > maintenance[0]!.answeredAt + 250 && entry.startedAt < ended - 1000)).toEqual([]);
  expect(await accountJobs(request, account.account_id)).toHaveLength(3);
});

test('an expired key mid-batch opens the key dialog, and the batch finishes after a new key', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'starter', timing: { queueMs: [300, 600], processMs: [3_000, 4_000] } });
  await signIn(page, account.keys.full, '/upload');
  await startBatch(page, VALID);
  await expect(queueItem(page, VALID[0]!).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expireKey(request, account.account_id);
  const dialog = page.getByRole('dialog', { name: 'API key expired' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Requests are paused until a new key is set; nothing queued is lost/)).toBeVisible();
  const newKey = await issueKey(request, account.account_id);
  await dialog.getByLabel('API key', { exact: true }).fill(newKey);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expectAllAccepted(page, VALID);
  const jobs = await accountJobs(request, account.account_id);
  expect(jobs.map((job) => job.file.name).sort()).toEqual([...VALID].sort());
});

test('a page reload in the middle of a batch loses nothing and creates nothing twice', async ({ page, request }) => {
  const account = await createAccount(request, { tier: 'starter', timing: { queueMs: [300, 600], processMs: [2_000, 3_000] } });
  await signIn(page, account.keys.full, '/upload');
  await startBatch(page, VALID);
  await expect(queueItem(page, VALID[1]!).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.reload();
  const dialog = page.getByRole('dialog', { name: /API key/i });
  await expect(dialog).toBeVisible();
  await expect(page.getByRole('listitem', { name: VALID[7]!, exact: true })).toBeVisible();
  await dialog.getByLabel('API key', { exact: true }).fill(account.keys.full);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expectAllAccepted(page, VALID);
  const jobs = await accountJobs(request, account.account_id);
  expect(jobs.map((job) => job.file.name).sort()).toEqual([...VALID].sort());
});

test('a 500 on an upload the server actually accepted ends in one job, not two', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', phase: 'after-accept', remaining: 1 }] });
  await startBatch(page, ['call-0412.mp3']);
  await expect(queueItem(page, 'call-0412.mp3').getByText(/an earlier attempt had already created the job/)).toBeVisible({ timeout: 30_000 });
  const jobs = await accountJobs(request, account.account_id);
  expect(jobs).toHaveLength(1);
  const log = await requestLog(request, account.account_id);
  // The 500 may have come after the job was made: the console looks it up before sending the file again, and adopts it.
  expect(log.filter((entry) => entry.method === 'POST').map((entry) => entry.code)).toEqual(['internal_error']);
  expect(log.some((entry) => entry.method === 'GET' && entry.path === '/v1/jobs')).toBe(true);
});

test('upload progress moves during a slow upload', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  // 12 MB read by the server at 1.5 MB/s: more than loopback socket buffers (several MB here) can hide.
  const wav = sineWav(12_000_000);
  await setFaults(request, account.account_id, { uploadBytesPerSecond: 1_500_000 });
  await page.getByLabel('Choose audio files').setInputFiles({ name: 'long-call.wav', mimeType: 'audio/wav', buffer: wav });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const progress = page.getByRole('progressbar', { name: 'Upload of long-call.wav' });
  await expect(progress).toBeVisible({ timeout: 10_000 });
  await expect(queueItem(page, 'long-call.wav').getByText(/KB\/s|MB\/s/)).toBeVisible();
  const readings: number[] = [];
  for (let i = 0; i < 6; i++) {
    const value = await progress.getAttribute('value').catch(() => null);
    if (value !== null) readings.push(Number(value));
    await page.waitForTimeout(500);
  }
  expect(new Set(readings).size).toBeGreaterThan(2);
  expect(readings).toEqual([...readings].sort((a, b) => a - b));
  expect(Math.max(...readings)).toBeLessThan(wav.length);
  await expectAllAccepted(page, ['long-call.wav']);
});

test('after the last internal_error the upload says to contact support and copies a bundle without the key', async ({ page, request, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const account = await createAccount(request);
  await signIn(page, account.keys.full, '/upload');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error' }] });
  await startBatch(page, ['webinar-0042.ogg']);
  const item = queueItem(page, 'webinar-0042.ogg');
  await expect(item.getByText('Failed', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(item.getByText(/contact NovaPulse support/)).toBeVisible();
  await expect(item.getByText(/4 attempts/)).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await item.getByRole('button', { name: 'Copy support bundle' }).click();
  await expect(item.getByText('Copied. Send it to NovaPulse support.')).toBeVisible();
  const bundle = await page.evaluate(() => navigator.clipboard.readText());
  const uploads = (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST');
  expect(uploads).toHaveLength(4);
  expect(bundle).toContain(`error: internal_error (HTTP 500)`);
  expect(bundle).toContain(uploads.at(-1)!.requestId);
  expect(bundle).not.toContain(account.keys.full);
});

test('the same file twice within 60 s: held with a countdown, then sent with edited metadata as its own job', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await startBatch(page, ['interview-0033.m4a']);
  await expectAllAccepted(page, ['interview-0033.m4a']);
  await startBatch(page, ['interview-0033.m4a']);
  const items = page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name: 'interview-0033.m4a', exact: true });
  const held = items.filter({ hasText: 'Already submitted' });
  await expect(held).toBeVisible();
  const countdown = (await held.getByText(/The window ends in \d+ s/).textContent()) ?? '';
  const seconds = Number(/in (\d+) s/.exec(countdown)![1]);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(60);
  await expect(held.getByRole('button', { name: 'Submit when the window ends' })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  // Nothing was sent for the second copy: the console knew the server would refuse it.
  expect((await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST')).toHaveLength(1);

  await held.getByRole('button', { name: 'Edit metadata' }).click();
  await held.getByLabel('Key 1 for interview-0033.m4a').fill('take');
  await held.getByLabel('Value 1 for interview-0033.m4a').fill('2');
  await held.getByRole('button', { name: 'Save and submit' }).click();
  await expect(items.filter({ hasText: 'Accepted' })).toHaveCount(2, { timeout: 30_000 });
  const jobs = (await (await request.get(`/__sim/accounts/${account.account_id}/jobs`)).json()) as { jobs: { metadata: Record<string, string> }[] };
  expect(jobs.jobs.map((job) => job.metadata).sort((a, b) => Object.keys(a).length - Object.keys(b).length)).toEqual([{}, { take: '2' }]);
});

test('a full-analysis upload is followed live to completion, then shows its transcript and insights', async ({ page, request }) => {
  const account = await createAccount(request, { timing: { queueMs: [1_000, 1_000], processMs: [5_000, 5_000] } });
  await signIn(page, account.keys.full, '/upload');
  await page.getByLabel(/Full analysis/).check();
  await startBatch(page, ['sales-call-0005.wav']);
  const item = queueItem(page, 'sales-call-0005.wav');
  await expect(item.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await item.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'sales-call-0005.wav' })).toBeVisible();
  // Live: the page moves through processing to completed without a reload.
  await expect(page.getByText(/Still processing/)).toBeVisible();
  await expect(page.getByText('completed', { exact: true })).toBeVisible({ timeout: 30_000 });
  const transcript = page.getByRole('region', { name: 'Transcript' });
  await expect(transcript.getByRole('listitem').first()).toBeVisible();
  const insights = page.getByRole('region', { name: 'Insights' });
  await expect(insights.getByText(/Sentiment:/)).toBeVisible();
  await expect(insights.getByText('Action items')).toBeVisible();
  // Results were asked for once the poll said completed: never a job_not_ready chase.
  const log = await requestLog(request, account.account_id);
  expect(log.filter((entry) => entry.code === 'job_not_ready')).toEqual([]);
  expect(log.filter((entry) => entry.path.endsWith('/transcript'))).toHaveLength(1);
});
