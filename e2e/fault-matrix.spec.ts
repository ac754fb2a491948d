import { open, rm } from 'node:fs/promises';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { accountJobs, createAccount, expireKey, issueKey, type LoggedRequest, requestLog, setFaults, signIn } from './support/simulator';
import { sineWav } from './support/wav';

/*
 * The fault matrix: one test per row of docs/error-behaviour.md ("What the console does with each error").
 * Each forces its case through the simulator, then checks what the person sees (the catalogue's words, by role and
 * label) and what the console sent (the simulator's request log: attempts and the waits between them).
 */

const FAST_JOBS = { queueMs: [200, 400], processMs: [800, 1_200] };
/** A request already on its way when a refusal came back is not "sent during the wait". */
const DELIVERY_ALLOWANCE_MS = 250;
/** Full-jitter backoff for internal_error and network failures: base 1 s, cap 30 s, at most 4 attempts in all. */
const SERVER_BACKOFF = { baseMs: 1_000, capMs: 30_000, maxAttempts: 4 };
/** Timer slack when checking that a wait stayed inside its backoff bound. */
const TIMER_SLACK_MS = 750;

test.describe.configure({ timeout: 90_000 });

function queueItem(page: Page, name: string) {
  return page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name, exact: true });
}

async function pickWav(page: Page, name: string, bytes = 24_000, frequency = 440) {
  await page.getByLabel('Choose audio files').setInputFiles({ name, mimeType: 'audio/wav', buffer: sineWav(bytes, 16_000, frequency) });
  await expect(page.getByRole('region', { name: 'Ready to upload' }).getByText(new RegExp(`^${name.replace(/\./g, '\\.')} `))).toBeVisible();
}

async function uploadWav(page: Page, name: string, bytes = 24_000, frequency = 440) {
  await pickWav(page, name, bytes, frequency);
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
}

async function posts(request: APIRequestContext, accountId: string): Promise<LoggedRequest[]> {
  return (await requestLog(request, accountId)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
}

/** Waits `ms`, then checks the simulator saw nothing more than `count` uploads: no timer retry came. */
async function expectNoFurtherPosts(page: Page, request: APIRequestContext, accountId: string, count: number, ms = 3_000) {
  await page.waitForTimeout(ms);
  expect(await posts(request, accountId)).toHaveLength(count);
}

interface DetailedJob {
  id: string;
  status: string;
  pipeline: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  file: { name: string; sha256: string };
}

async function detailedJobs(request: APIRequestContext, accountId: string): Promise<DetailedJob[]> {
  return ((await (await request.get(`/__sim/accounts/${accountId}/jobs`)).json()) as { jobs: DetailedJob[] }).jobs;
}

async function enterKey(page: Page, dialogName: string | RegExp, key: string) {
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.getByLabel('API key', { exact: true }).fill(key);
  await dialog.getByRole('button', { name: 'Use this key' }).click();
  await expect(dialog).toBeHidden();
}

function gaps(entries: LoggedRequest[]): number[] {
  return entries.slice(1).map((entry, index) => entry.startedAt - (entries[index] as LoggedRequest).answeredAt);
}

/* ------------------------------------------------------------ authentication */

test('missing_api_key: nothing is sent until a key is set; a 401 without a key opens the key dialog and the queued upload waits, not lost', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  const sent: string[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname.startsWith('/v1/')) sent.push(`${req.method()} ${new URL(req.url()).pathname}`);
  });
  // A first visit: the key dialog, and not one request to NovaPulse.
  await page.goto('/upload');
  await expect(page.getByRole('dialog', { name: 'Enter your NovaPulse API key' })).toBeVisible();
  await page.waitForTimeout(1_500);
  expect(sent).toEqual([]);
  await enterKey(page, 'Enter your NovaPulse API key', account.keys.full);

  // The server answers an upload with missing_api_key: the gate closes, the dialog says what to do.
  await pickWav(page, 'no-key.wav');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'missing_api_key', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const dialog = page.getByRole('dialog', { name: 'No API key' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Enter an API key. Queued uploads wait and are sent once a key is set.')).toBeVisible();
  await expect(queueItem(page, 'no-key.wav')).toBeVisible();
  const refusedAt = Date.now();
  await page.waitForTimeout(2_500);
  const whileClosed = (await requestLog(request, account.account_id)).filter((entry) => entry.startedAt > refusedAt);
  expect(whileClosed).toEqual([]);
  expect((await posts(request, account.account_id)).map((entry) => [entry.status, entry.code])).toEqual([[401, 'missing_api_key']]);

  await enterKey(page, 'No API key', account.keys.full);
  await expect(queueItem(page, 'no-key.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect((await posts(request, account.account_id)).map((entry) => entry.status)).toEqual([401, 202]);
  expect(await accountJobs(request, account.account_id)).toHaveLength(1);
});

test('invalid_api_key: the key dialog points to Settings > API Keys in the dashboard, the stored key is dropped, and nothing is retried', async ({ page, request }) => {
  const account = await createAccount(request);
  await setFaults(request, account.account_id, { forced: [{ endpoint: '*', code: 'invalid_api_key' }] });
  await page.goto('/');
  const first = page.getByRole('dialog', { name: 'Enter your NovaPulse API key' });
  await first.getByLabel('API key', { exact: true }).fill(account.keys.full);
  await first.getByLabel('Remember on this device').check();
  await first.getByRole('button', { name: 'Use this key' }).click();

  const dialog = page.getByRole('dialog', { name: 'API key not recognised' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Check the key in the NovaPulse dashboard (Settings > API Keys there, not in this console) and enter it again.')).toBeVisible();
  // Dropped: not kept on the device although "remember" was ticked.
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(account.keys.full);

  await page.waitForTimeout(3_000);
  const log = await requestLog(request, account.account_id);
  expect(log.length).toBeGreaterThan(0);
  expect(log.every((entry) => entry.status === 401 && entry.code === 'invalid_api_key')).toBe(true);
  // One attempt per request: no method and path was sent twice.
  const targets = log.map((entry) => `${entry.method} ${entry.path}?${entry.query}`);
  expect(new Set(targets).size).toBe(targets.length);
});

test('expired_api_key: the key dialog says to generate a new key; the queued upload waits and resumes with the new key', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await pickWav(page, 'expired.wav');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'expired_api_key', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const dialog = page.getByRole('dialog', { name: 'API key expired' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Generate a new key in the NovaPulse dashboard and enter it here; queued uploads resume by themselves.')).toBeVisible();
  await expireKey(request, account.account_id);
  await expect(queueItem(page, 'expired.wav').getByText(/paused until a new API key is set/)).toBeVisible();

  await page.waitForTimeout(2_500);
  const [refusal] = await posts(request, account.account_id);
  expect(refusal).toMatchObject({ status: 401, code: 'expired_api_key' });
  // The gate is closed: nothing was sent after the refusal.
  expect((await requestLog(request, account.account_id)).filter((entry) => entry.startedAt > refusal!.answeredAt + DELIVERY_ALLOWANCE_MS)).toEqual([]);

  const newKey = await issueKey(request, account.account_id);
  const keyEnteredAt = Date.now();
  await enterKey(page, 'API key expired', newKey);
  await expect(queueItem(page, 'expired.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  const sent = await posts(request, account.account_id);
  expect(sent.map((entry) => entry.status)).toEqual([401, 202]);
  expect(sent[1]!.startedAt).toBeGreaterThanOrEqual(keyEnteredAt);
});

test('insufficient_permissions: a read-only key has upload disabled up front with the missing scope named; a 403 shows the guidance and is not retried', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.readOnly, '/upload');
  await expect(page.getByText('This key cannot upload: it lacks the jobs:write scope. Use a key with that scope to upload audio.')).toBeVisible();
  await expect(page.getByLabel('Choose audio files')).toHaveCount(0);
  expect(await posts(request, account.account_id)).toEqual([]);

  // A key that lost a scope after the console read it: the server refuses the upload.
  await page.getByRole('button', { name: 'API key', exact: true }).click();
  await enterKey(page, /API key/i, account.keys.full);
  await pickWav(page, 'no-scope.wav');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'insufficient_permissions', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = queueItem(page, 'no-scope.wav');
  await expect(item.getByText('Failed', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(item.getByText('Key lacks a permission')).toBeVisible();
  await expect(item.getByText('Use a key with the missing scope, or generate one with broader permissions.')).toBeVisible();
  await expectNoFurtherPosts(page, request, account.account_id, 1);
  expect((await posts(request, account.account_id)).map((entry) => [entry.status, entry.code])).toEqual([[403, 'insufficient_permissions']]);
});

/* ---------------------------------------------------------- request errors */

test('missing_required_field: the form will not send without a file or a language; a server refusal marks the named field and is not retried', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS, serverText: { errorMessage: 'The "pipeline" part is required.' } });
  await signIn(page, account.keys.full, '/upload');
  // No file: nothing to send.
  await expect(page.getByRole('button', { name: 'Upload 0 files' })).toBeDisabled();
  await pickWav(page, 'fields.wav');
  // No language: the field is marked and the person is taken there.
  const language = page.getByLabel('Language', { exact: true });
  await language.fill('');
  await expect(page.getByText('Enter a language tag such as en-US.')).toBeVisible();
  await expect(language).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(language).toBeFocused();
  await page.waitForTimeout(1_000);
  expect(await posts(request, account.account_id)).toEqual([]);

  await language.fill('en-US');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'missing_required_field', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = queueItem(page, 'fields.wav');
  await expect(item.getByText('Failed', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(item.getByText('A required field is missing')).toBeVisible();
  await expect(item.getByText('Fill in the marked field and submit again.')).toBeVisible();
  const correct = item.getByRole('form', { name: 'Correct and send fields.wav again' });
  await expect(correct.getByLabel('Pipeline')).toHaveAttribute('aria-invalid', 'true');
  await expect(correct.getByLabel('Language')).toHaveAttribute('aria-invalid', 'false');
  await expect(item.getByRole('button', { name: 'Retry now: fields.wav' })).toHaveCount(0);
  await expectNoFurtherPosts(page, request, account.account_id, 1);
  expect((await posts(request, account.account_id)).map((entry) => [entry.status, entry.code])).toEqual([[400, 'missing_required_field']]);

  // Corrected and sent again by the person: accepted.
  await correct.getByRole('button', { name: 'Send again with these values' }).click();
  await expect(item.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 20_000 });
  expect((await posts(request, account.account_id)).map((entry) => entry.status)).toEqual([400, 202]);
});

test('invalid_parameter: metadata without a key is refused before sending; a server refusal marks the metadata and is not retried', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS, serverText: { errorMessage: 'metadata must be a JSON object of string values.' } });
  await signIn(page, account.keys.full, '/upload');
  await pickWav(page, 'params.wav');
  await page.getByLabel('Metadata value 1').fill('SUP-1182');
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Every metadata value needs a key.' })).toBeVisible();
  await page.waitForTimeout(1_000);
  expect(await posts(request, account.account_id)).toEqual([]);

  await page.getByLabel('Metadata key 1').fill('ticket');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'invalid_parameter', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = queueItem(page, 'params.wav');
  await expect(item.getByText('Failed', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(item.getByText('A value is not valid')).toBeVisible();
  await expect(item.getByText('Correct the marked value and submit again.')).toBeVisible();
  const correct = item.getByRole('form', { name: 'Correct and send params.wav again' });
  await expect(correct.getByRole('group', { name: 'Metadata' })).toHaveAttribute('aria-invalid', 'true');
  await expect(correct.getByLabel('Pipeline')).toHaveAttribute('aria-invalid', 'false');
  await expect(item.getByRole('button', { name: 'Retry now: params.wav' })).toHaveCount(0);
  await expectNoFurtherPosts(page, request, account.account_id, 1);
  expect((await posts(request, account.account_id)).map((entry) => [entry.status, entry.code])).toEqual([[400, 'invalid_parameter']]);
});

test('invalid_language_code: a malformed tag is refused before sending by the BCP-47 check; a server refusal marks the language and is not retried', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await pickWav(page, 'language.wav');
  const language = page.getByLabel('Language', { exact: true });
  await language.fill('en_US!!');
  await expect(page.getByText(/Use a language tag such as en-US\./)).toBeVisible();
  await expect(language).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(language).toBeFocused();
  await page.waitForTimeout(1_000);
  expect(await posts(request, account.account_id)).toEqual([]);

  await language.fill('en-US');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'invalid_language_code', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = queueItem(page, 'language.wav');
  await expect(item.getByText('Failed', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(item.getByText('Language code not valid')).toBeVisible();
  await expect(item.getByText('Use a language tag such as en-US.', { exact: true })).toBeVisible();
  const correct = item.getByRole('form', { name: 'Correct and send language.wav again' });
  await expect(correct.getByLabel('Language')).toHaveAttribute('aria-invalid', 'true');
  await expect(correct.getByLabel('Pipeline')).toHaveAttribute('aria-invalid', 'false');
  await expectNoFurtherPosts(page, request, account.account_id, 1);
  expect((await posts(request, account.account_id)).map((entry) => [entry.status, entry.code])).toEqual([[400, 'invalid_language_code']]);
});

test('file_too_large: a file over limits.max_file_bytes is refused with no byte uploaded; a 413 says to split the audio and is not retried', async ({ page, request }, testInfo) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  const limit = ((await (await request.get('/v1/account', { headers: { Authorization: `Bearer ${account.keys.full}` } })).json()) as { limits: { max_file_bytes: number } }).limits
    .max_file_bytes;
  const before = (await requestLog(request, account.account_id)).length;
  // A sparse file one byte over the limit, with a real WAV header.
  const path = testInfo.outputPath('too-large.wav');
  const handle = await open(path, 'w');
  await handle.write(sineWav(1_044));
  await handle.truncate(limit + 1);
  await handle.close();
  try {
    await signIn(page, account.keys.full, '/upload');
    await page.getByLabel('Choose audio files').setInputFiles(path);
    const refused = page.getByRole('region', { name: /Not uploaded/ });
    await expect(refused.getByText(/^too-large\.wav is .*Split the audio into parts under the limit and upload each part\.$/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Upload 0 files' })).toBeDisabled();
  } finally {
    await rm(path, { force: true });
  }
  await page.waitForTimeout(1_000);
  expect((await requestLog(request, account.account_id)).slice(before).filter((entry) => entry.method === 'POST')).toEqual([]);

  // The server's own refusal (its limit met by a file the console passed).
  await pickWav(page, 'large.wav');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'file_too_large', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = queueItem(page, 'large.wav');
  await expect(item.getByText('Failed', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(item.getByText('File too large')).toBeVisible();
  await expect(item.getByText('Split the audio into parts under the limit and upload each part.')).toBeVisible();
  await expect(item.getByRole('button', { name: 'Retry now: large.wav' })).toHaveCount(0);
  await expectNoFurtherPosts(page, request, account.account_id, 1);
  expect((await posts(request, account.account_id)).map((entry) => [entry.status, entry.code])).toEqual([[413, 'file_too_large']]);
});

test('unsupported_media_type: a text file named .mp3 is refused by its bytes before sending; a 415 says to convert and is not retried', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await page.getByLabel('Choose audio files').setInputFiles({ name: 'minutes.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('Minutes of the Monday stand-up.\n'.repeat(200)) });
  const refused = page.getByRole('region', { name: /Not uploaded/ });
  await expect(refused.getByText('minutes.mp3 is not MP3, WAV, M4A, FLAC or OGG audio. Convert the file to MP3, WAV, M4A, FLAC or OGG and upload it again.')).toBeVisible();
  // Real audio under a misleading name goes through: the format comes from the bytes.
  await pickWav(page, 'really-a-wav.mp3');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'unsupported_media_type', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = queueItem(page, 'really-a-wav.mp3');
  await expect(item.getByText('Failed', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(item.getByText('Audio format not supported')).toBeVisible();
  await expect(item.getByText('Convert the file to MP3, WAV, M4A, FLAC or OGG and upload it again.')).toBeVisible();
  await expect(item.getByRole('button', { name: 'Retry now: really-a-wav.mp3' })).toHaveCount(0);
  await expectNoFurtherPosts(page, request, account.account_id, 1);
  const sent = await posts(request, account.account_id);
  expect(sent.map((entry) => [entry.fileName, entry.status, entry.code])).toEqual([['really-a-wav.mp3', 415, 'unsupported_media_type']]);
});

/* ------------------------------------------------------ job and resource errors */

test('job_not_found: the job page says to verify the job ID, and the job is asked for once, not polled', async ({ page, request }) => {
  const account = await createAccount(request);
  const missing = 'job_01J0000000NOPE';
  await signIn(page, account.keys.full, `/jobs/${missing}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Job not found' })).toBeVisible();
  const notice = page.getByRole('alert').filter({ hasText: 'Job not found' });
  await expect(notice.getByText('Verify the job ID returned when the file was uploaded.')).toBeVisible();
  await expect(notice).toContainText('job_not_found · HTTP 404');
  await page.waitForTimeout(6_000);
  const reads = (await requestLog(request, account.account_id)).filter((entry) => entry.path === `/v1/jobs/${missing}`);
  expect(reads.map((entry) => [entry.status, entry.code])).toEqual([[404, 'job_not_found']]);
  await expect(notice).toContainText(`request ${reads[0]!.requestId}`);
  // Nor does the batched poll keep asking for it.
  expect((await requestLog(request, account.account_id)).filter((entry) => entry.query.includes(missing))).toEqual([]);
});

test('job_not_ready: the page shows "still processing" with progress, and asks for the transcript only after a poll saw it completed', async ({ page, request }) => {
  const account = await createAccount(request, { timing: { queueMs: [200, 200], processMs: [6_000, 6_000] } });
  await signIn(page, account.keys.full, '/upload');
  await uploadWav(page, 'not-ready.wav', 40_000);
  const item = queueItem(page, 'not-ready.wav');
  await expect(item.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 20_000 });
  const [job] = await accountJobs(request, account.account_id);
  await item.getByRole('link', { name: job!.id }).click();
  const transcript = page.getByRole('region', { name: 'Transcript' });
  await expect(transcript.getByText(/^Still processing \(\d+%\)\. The transcript appears here by itself when the job completes\.$/)).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole('progressbar', { name: 'Processing progress' })).toBeVisible();
  await expect(transcript.getByRole('listitem').first()).toBeVisible({ timeout: 30_000 });

  const [done] = await detailedJobs(request, account.account_id);
  expect(done!.status).toBe('completed');
  const log = await requestLog(request, account.account_id);
  expect(log.filter((entry) => entry.code === 'job_not_ready')).toEqual([]);
  const reads = log.filter((entry) => entry.path === `/v1/jobs/${job!.id}/transcript`);
  expect(reads.map((entry) => entry.status)).toEqual([200]);
  expect(reads[0]!.startedAt).toBeGreaterThanOrEqual(Date.parse(done!.completed_at!));
  // A status read that could have seen it completed came first.
  const statusReads = log.filter((entry) => entry.method === 'GET' && (entry.path === `/v1/jobs/${job!.id}` || (entry.path === '/v1/jobs' && decodeURIComponent(entry.query).includes(job!.id))));
  expect(statusReads.some((entry) => entry.startedAt >= Date.parse(done!.completed_at!) && entry.answeredAt <= reads[0]!.startedAt)).toBe(true);
});

test('pipeline_mismatch: a transcription job never asks for insights; the page says why and one click re-uploads it with full-analysis', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await uploadWav(page, 'transcript-only.wav', 30_000, 520);
  const item = queueItem(page, 'transcript-only.wav');
  await expect(item.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 20_000 });
  const [old] = await detailedJobs(request, account.account_id);
  expect(old!.pipeline).toBe('transcription');
  await item.getByRole('link', { name: old!.id }).click();
  const insights = page.getByRole('region', { name: 'Insights' });
  await expect(insights.getByText('Insights need the full-analysis pipeline, and this job ran transcription only. Re-upload the file with pipeline full-analysis.')).toBeVisible({
    timeout: 20_000,
  });
  expect((await requestLog(request, account.account_id)).filter((entry) => entry.path.endsWith('/insights'))).toEqual([]);

  await insights.getByRole('button', { name: 'Re-run with full analysis' }).click();
  await expect(page.getByRole('region', { name: 'Re-runs' }).getByText(/^Re-run as job_\S+ \((queued|processing|completed)\)$/)).toBeVisible({ timeout: 30_000 });
  const jobs = await detailedJobs(request, account.account_id);
  expect(jobs).toHaveLength(2);
  const fresh = jobs.find((job) => job.id !== old!.id)!;
  expect(fresh.pipeline).toBe('full-analysis');
  expect(fresh.file.sha256).toBe(old!.file.sha256);
  const log = await requestLog(request, account.account_id);
  expect(log.filter((entry) => entry.status === 403)).toEqual([]);
  expect(log.filter((entry) => entry.method === 'POST').map((entry) => entry.status)).toEqual([202, 202]);
});

test('job_already_exists: a first-attempt 409 shows the window countdown with "submit when the window ends" and "edit metadata", not retried; after a 500 that landed, the job is adopted', async ({
  page,
  request,
}) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await pickWav(page, 'dup.wav', 24_000, 610);
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'job_already_exists', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const held = queueItem(page, 'dup.wav');
  await expect(held.getByText('Already submitted', { exact: true })).toBeVisible({ timeout: 20_000 });
  const countdown = held.getByText(/The window ends in \d+ s\./);
  await expect(countdown).toBeVisible();
  const [refusal] = await posts(request, account.account_id);
  expect(refusal).toMatchObject({ status: 409, code: 'job_already_exists' });
  // Counts down to the end of the 60 s window, which ends no later than 60 s after the 409 was answered.
  const shown = async () => Number(/in (\d+) s/.exec((await countdown.textContent()) ?? '')?.[1]);
  const windowLeft = () => Math.ceil((refusal!.answeredAt + 60_000 - Date.now()) / 1000);
  await expect.poll(async () => (await shown()) - windowLeft()).toBeLessThanOrEqual(0);
  const early = await shown();
  expect(early).toBeGreaterThan(50);
  await expect.poll(shown, { timeout: 5_000 }).toBeLessThanOrEqual(early - 2);
  await expect(held.getByRole('button', { name: 'Submit when the window ends' })).toBeVisible();
  await expect(held.getByRole('button', { name: 'Edit metadata' })).toBeVisible();
  await expectNoFurtherPosts(page, request, account.account_id, 1);
  expect((await posts(request, account.account_id)).map((entry) => [entry.status, entry.code])).toEqual([[409, 'job_already_exists']]);
  expect(await accountJobs(request, account.account_id)).toEqual([]);

  // A 500 after the server made the job: the upload may have landed, so the console adopts it instead of a second job.
  await pickWav(page, 'landed.wav', 24_000, 700);
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', phase: 'after-accept', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(queueItem(page, 'landed.wav').getByText(/an earlier attempt had already created the job/)).toBeVisible({ timeout: 30_000 });
  const jobs = await accountJobs(request, account.account_id);
  expect(jobs.map((job) => job.file.name)).toEqual(['landed.wav']);
  const landed = (await posts(request, account.account_id)).filter((entry) => entry.fileName === 'landed.wav');
  expect(landed.map((entry) => [entry.status, entry.code])).toEqual([[500, 'internal_error']]);
});

/* -------------------------------------------------------------- rate limits */

test('rate_limit_exceeded: the console waits Retry-After, never less, with the wait counting down, and sends nothing on the key meanwhile', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await pickWav(page, 'limited.wav');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'rate_limit_exceeded', retryAfterSeconds: 4, remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Rate limit reached\. The console waits \d s, as NovaPulse asked, then continues by itself\.$/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Usage' }).getByText(/waiting \d s \(Retry-After\)/)).toBeVisible();
  await expect(queueItem(page, 'limited.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });

  const log = await requestLog(request, account.account_id);
  const sent = log.filter((entry) => entry.method === 'POST');
  expect(sent.map((entry) => [entry.status, entry.code])).toEqual([
    [429, 'rate_limit_exceeded'],
    [202, null],
  ]);
  const [refusal, retry] = sent as [LoggedRequest, LoggedRequest];
  expect(refusal.retryAfter).toBe('4');
  const waitEnds = refusal.answeredAt + 4_000;
  expect(retry.startedAt).toBeGreaterThanOrEqual(waitEnds);
  // The wait holds every request on the key, not only the upload.
  expect(log.filter((entry) => entry.startedAt > refusal.answeredAt + DELIVERY_ALLOWANCE_MS && entry.startedAt < waitEnds)).toEqual([]);

  await page.getByRole('button', { name: 'Request log' }).click();
  const drawer = page.getByRole('complementary', { name: 'Request log' });
  await expect(drawer.getByRole('row').filter({ hasText: refusal.requestId })).toContainText('asked to wait 4.0 s');
  const waited = Number(/([\d.]+) s before \(Retry-After honoured\)/.exec((await drawer.getByRole('row').filter({ hasText: retry.requestId }).textContent()) ?? '')?.[1]);
  expect(waited).toBeGreaterThanOrEqual(4);
});

test('concurrent_jobs_exceeded: the upload waits for a free slot with the gauge showing used / limit and the queue, never retried on a timer', async ({ page, request }) => {
  const account = await createAccount(request, { timing: { queueMs: [200, 200], processMs: [3_000, 3_000] } });
  await setFaults(request, account.account_id, { concurrentJobs: 1 });
  await signIn(page, account.keys.full, '/upload');
  const usage = page.getByRole('region', { name: 'Usage' });
  await expect(usage.getByRole('meter', { name: 'Concurrent jobs' })).toHaveAttribute('max', '1');

  // The server refuses the first upload: all slots in use. It goes back to the queue until a slot is seen free.
  await pickWav(page, 'slot-1.wav', 24_000, 300);
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'concurrent_jobs_exceeded', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(queueItem(page, 'slot-1.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  let log = await requestLog(request, account.account_id);
  const first = log.filter((entry) => entry.method === 'POST');
  expect(first.map((entry) => [entry.status, entry.code])).toEqual([
    [429, 'concurrent_jobs_exceeded'],
    [202, null],
  ]);
  // Sent again only once an account read after the refusal said a slot was free: an event, not a timer.
  const [refusal, resent] = first as [LoggedRequest, LoggedRequest];
  expect(log.some((entry) => entry.path === '/v1/account' && entry.startedAt >= refusal.answeredAt && entry.answeredAt <= resent.startedAt)).toBe(true);

  // slot-1's job now holds the only slot: the next upload waits, and is sent when that job ends.
  await uploadWav(page, 'slot-2.wav', 24_000, 900);
  const waiting = queueItem(page, 'slot-2.wav');
  await expect(waiting.getByText('Waiting for a free slot', { exact: true })).toBeVisible();
  await expect(usage.getByText('1 of 1 jobs')).toBeVisible();
  await expect(usage.getByText(/· 1 waiting$/)).toBeVisible();
  await expect(waiting.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  log = await requestLog(request, account.account_id);
  const second = log.filter((entry) => entry.method === 'POST' && entry.fileName === 'slot-2.wav');
  expect(second.map((entry) => entry.status)).toEqual([202]);
  const ended = (await detailedJobs(request, account.account_id)).find((job) => job.file.name === 'slot-1.wav')!;
  expect(second[0]!.startedAt).toBeGreaterThanOrEqual(Date.parse(ended.updated_at));
});

/* ------------------------------------------------------------ server errors */

test('internal_error: retried with backoff (base 1 s, cap 30 s), at most 4 attempts, then "contact support" with a copyable bundle', async ({ page, request, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const account = await createAccount(request);
  await signIn(page, account.keys.full, '/upload');
  await pickWav(page, 'server-error.wav');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error' }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = queueItem(page, 'server-error.wav');
  await expect(item.getByText('Failed', { exact: true })).toBeVisible({ timeout: 40_000 });
  await expect(item.getByText('NovaPulse server error')).toBeVisible();
  await expect(item.getByText('The console retries with backoff. If it keeps failing, contact NovaPulse support with the support bundle.')).toBeVisible();
  await expectNoFurtherPosts(page, request, account.account_id, SERVER_BACKOFF.maxAttempts);
  const sent = await posts(request, account.account_id);
  expect(sent.map((entry) => entry.code)).toEqual(Array(SERVER_BACKOFF.maxAttempts).fill('internal_error'));
  // Full jitter: the wait before attempt n+1 is at most min(cap, base * 2^(n-1)).
  for (const [index, gap] of gaps(sent).entries()) {
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThanOrEqual(Math.min(SERVER_BACKOFF.capMs, SERVER_BACKOFF.baseMs * 2 ** index) + TIMER_SLACK_MS);
  }
  await expect(item).toContainText(`internal_error · HTTP 500 · request ${sent.at(-1)!.requestId} · 4 attempts`);
  await item.getByRole('button', { name: 'Copy support bundle' }).click();
  await expect(item.getByText('Copied. Send it to NovaPulse support.')).toBeVisible();
  const bundle = await page.evaluate(() => navigator.clipboard.readText());
  expect(bundle).toContain('internal_error');
  expect(bundle).toContain(sent.at(-1)!.requestId);
  expect(bundle).not.toContain(account.keys.full);
});

test('service_unavailable: a maintenance banner while Retry-After is honoured, one probe at a time, then everything resumes', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await pickWav(page, 'maintenance.wav');
  await setFaults(request, account.account_id, { maintenanceSeconds: 5, maintenanceRetryAfter: 'seconds' });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const banner = page.getByRole('status').filter({ hasText: /NovaPulse is under maintenance\. Requests resume in \d+ s\.$/ });
  await expect(banner).toBeVisible();
  await expect(queueItem(page, 'maintenance.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(banner).toBeHidden();

  const log = await requestLog(request, account.account_id);
  const refusals = log.filter((entry) => entry.status === 503);
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals.every((entry) => entry.code === 'service_unavailable')).toBe(true);
  const first = refusals[0]!;
  const firstWaitEnds = first.answeredAt + Number(first.retryAfter) * 1_000;
  // Nothing inside the Retry-After the first 503 named (past what was already on its way).
  expect(log.filter((entry) => entry.startedAt > first.answeredAt + DELIVERY_ALLOWANCE_MS && entry.startedAt < firstWaitEnds)).toEqual([]);
  // Each later 503's Retry-After is honoured too.
  for (const refusal of refusals) {
    const ends = refusal.answeredAt + Number(refusal.retryAfter) * 1_000;
    expect(log.filter((entry) => entry.startedAt > refusal.answeredAt + DELIVERY_ALLOWANCE_MS && entry.startedAt < ends)).toEqual([]);
  }
  // After the first refusal came back, requests until the first success go one at a time.
  const firstSuccess = log.find((entry) => entry.startedAt > first.answeredAt && entry.status < 400)!;
  const probes = log.filter((entry) => entry.startedAt > first.answeredAt + DELIVERY_ALLOWANCE_MS && entry.startedAt <= firstSuccess.startedAt);
  expect(probes.length).toBeGreaterThan(0);
  for (const [index, probe] of probes.entries()) {
    const overlapping = probes.filter((other, at) => at !== index && other.startedAt < probe.answeredAt && probe.startedAt < other.answeredAt);
    expect(overlapping).toEqual([]);
  }
  expect(await accountJobs(request, account.account_id)).toHaveLength(1);
});

test('network failure, offline: an offline banner, nothing sent while offline, a dropped request retried with backoff, then recovery', async ({ page, request, context }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await pickWav(page, 'offline.wav');
  await context.setOffline(true);
  const banner = page.getByRole('status').filter({ hasText: 'You are offline. Uploads and updates wait and continue by themselves when the connection returns.' });
  await expect(banner).toBeVisible();
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(queueItem(page, 'offline.wav')).toBeVisible();
  await page.waitForTimeout(3_000);
  expect(await posts(request, account.account_id)).toEqual([]);
  await context.setOffline(false);
  await expect(banner).toBeHidden();
  // Soft: should this fail, the rest of the row (a dropped request) is still checked and reported.
  await expect.soft(queueItem(page, 'offline.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect.soft((await posts(request, account.account_id)).map((entry) => entry.status)).toEqual([202]);

  // The connection drops under one upload: the console retries it with backoff (as for a 500), once, and it lands.
  // In a fresh page of the same browser (the queue comes back from IndexedDB), so this part stands on its own.
  await page.close();
  const again = await context.newPage();
  const tries: number[] = [];
  await again.route('**/v1/jobs', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    tries.push(Date.now());
    if (tries.length === 1) return route.abort('internetdisconnected');
    return route.fallback();
  });
  await signIn(again, account.keys.full, '/upload');
  await uploadWav(again, 'dropped.wav', 24_000, 760);
  await expect(queueItem(again, 'dropped.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect(tries).toHaveLength(2);
  expect(tries[1]! - tries[0]!).toBeLessThanOrEqual(SERVER_BACKOFF.baseMs + TIMER_SLACK_MS);
  const dropped = (await posts(request, account.account_id)).filter((entry) => entry.fileName === 'dropped.wav');
  expect(dropped.map((entry) => entry.status)).toEqual([202]);
  await again.getByRole('button', { name: 'Request log' }).click();
  const drawer = again.getByRole('complementary', { name: 'Request log' });
  await expect(drawer.getByRole('row').filter({ hasText: 'no answer' })).toHaveCount(1);
  await expect(drawer.getByRole('row').filter({ hasText: dropped[0]!.requestId })).toContainText(/s before \(backoff\)/);
  expect((await accountJobs(request, account.account_id)).map((job) => job.file.name).sort()).toEqual(['dropped.wav', 'offline.wav']);
});

test('unknown code: a 4xx is not retried and a 5xx is retried as internal_error; both show the raw code and message and the support bundle', async ({ page, request }) => {
  const message = 'The archive tier is locked for this account.';
  const account = await createAccount(request, { timing: FAST_JOBS, serverText: { errorMessage: message } });
  await signIn(page, account.keys.full, '/upload');

  await pickWav(page, 'unknown-4xx.wav', 24_000, 350);
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'archive_locked', status: 422 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const refused = queueItem(page, 'unknown-4xx.wav');
  await expect(refused.getByText('Failed', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(refused.getByText('Unrecognised error')).toBeVisible();
  await expect(refused.getByText(message)).toBeVisible();
  await expect(refused.getByText('This request will not succeed as sent. Contact support with the support bundle.')).toBeVisible();
  await expect(refused.getByRole('button', { name: 'Copy support bundle' })).toBeVisible();
  await expectNoFurtherPosts(page, request, account.account_id, 1);
  const [only] = await posts(request, account.account_id);
  expect(only).toMatchObject({ status: 422, code: 'archive_locked' });
  await expect(refused).toContainText(`archive_locked · HTTP 422 · request ${only!.requestId} · 1 attempt`);

  await pickWav(page, 'unknown-5xx.wav', 24_000, 450);
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'upstream_meltdown', status: 502 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const retried = queueItem(page, 'unknown-5xx.wav');
  await expect(retried.getByText('Failed', { exact: true })).toBeVisible({ timeout: 40_000 });
  await expect(retried.getByText('Unrecognised error')).toBeVisible();
  await expect(retried.getByText(message)).toBeVisible();
  await expect(retried.getByText('The console retries with backoff. If it persists, contact support with the support bundle.')).toBeVisible();
  await expect(retried.getByRole('button', { name: 'Copy support bundle' })).toBeVisible();
  await page.waitForTimeout(3_000);
  const sent = (await posts(request, account.account_id)).filter((entry) => entry.fileName === 'unknown-5xx.wav');
  expect(sent.map((entry) => [entry.status, entry.code])).toEqual(Array(SERVER_BACKOFF.maxAttempts).fill([502, 'upstream_meltdown']));
  for (const [index, gap] of gaps(sent).entries()) expect(gap).toBeLessThanOrEqual(Math.min(SERVER_BACKOFF.capMs, SERVER_BACKOFF.baseMs * 2 ** index) + TIMER_SLACK_MS);
  await expect(retried).toContainText(`upstream_meltdown · HTTP 502 · request ${sent.at(-1)!.requestId} · 4 attempts`);
});

test('malformed body: invalid JSON and a wrong-shaped body (4xx) show "unexpected response" with the raw status and request id, not retried; an HTML 502 is retried as a server failure', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');

  // A 4xx whose body is not JSON: not retried.
  await pickWav(page, 'broken-json.wav', 24_000, 380);
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', raw: 'invalid-json', status: 400 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const json = queueItem(page, 'broken-json.wav');
  await expect(json.getByText('Failed', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(json.getByText('Unexpected response', { exact: true })).toBeVisible();
  await expectNoFurtherPosts(page, request, account.account_id, 1);
  const [jsonPost] = await posts(request, account.account_id);
  expect(jsonPost!.status).toBe(400);
  await expect(json).toContainText(`HTTP 400 · request ${jsonPost!.requestId} · 1 attempt`);

  // An HTML 502 from a proxy: a server failure, retried with backoff; here it passes on the second attempt.
  await pickWav(page, 'proxy.wav', 24_000, 480);
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', raw: 'html-502', remaining: 1 }] });
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(queueItem(page, 'proxy.wav').getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  const proxied = (await posts(request, account.account_id)).filter((entry) => entry.fileName === 'proxy.wav');
  expect(proxied.map((entry) => entry.status)).toEqual([502, 202]);
  expect(gaps(proxied)[0]!).toBeLessThanOrEqual(SERVER_BACKOFF.baseMs + TIMER_SLACK_MS);

  // A JSON body of the wrong shape for a 4xx on the job page: the notice names it, with the status and request id.
  const [job] = (await accountJobs(request, account.account_id)).filter((entry) => entry.file.name === 'proxy.wav');
  await expect.poll(async () => (await accountJobs(request, account.account_id)).find((entry) => entry.id === job!.id)?.status, { timeout: 20_000 }).toBe('completed');
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'GET /v1/jobs/:id/transcript', raw: 'wrong-shape', status: 409 }] });
  await queueItem(page, 'proxy.wav').getByRole('link', { name: job!.id }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'proxy.wav' })).toBeVisible();
  const notice = page.getByRole('region', { name: 'Transcript' }).getByRole('alert');
  await expect(notice.getByText('Unexpected response', { exact: true })).toBeVisible({ timeout: 20_000 });
  await page.waitForTimeout(3_000);
  const reads = (await requestLog(request, account.account_id)).filter((entry) => entry.path === `/v1/jobs/${job!.id}/transcript`);
  expect(reads.map((entry) => entry.status)).toEqual([409]);
  await expect(notice).toContainText(`HTTP 409 · request ${reads[0]!.requestId}`);
});
