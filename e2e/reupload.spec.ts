import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { createAccount, requestLog, setFaults, signIn } from './support/simulator';
import { rowRerunName } from '../src/testing/rerun-names';
import { sineWav } from './support/wav';

const FAST_JOBS = { queueMs: [200, 400], processMs: [800, 1_200] };

interface SimJob {
  id: string;
  status: string;
  pipeline: string;
  language: string;
  metadata: Record<string, string>;
  file: { name: string; sha256: string };
}

async function simJobs(request: APIRequestContext, accountId: string): Promise<SimJob[]> {
  return ((await (await request.get(`/__sim/accounts/${accountId}/jobs`)).json()) as { jobs: SimJob[] }).jobs;
}

async function jobPosts(request: APIRequestContext, accountId: string) {
  return (await requestLog(request, accountId)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
}

async function expectNoSeriousAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** How many files the store of kept files holds, read from IndexedDB as the page sees it. */
function keptFileCount(page: Page) {
  return page.evaluate(
    async () =>
      // Opening a database that is not there would create it empty, under the console's feet.
      !(await indexedDB.databases()).some((db) => db.name === 'novapulse-kept-files')
        ? 0
        : new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('novapulse-kept-files');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const names = open.result.objectStoreNames;
          if (!names.contains('files')) {
            open.result.close();
            resolve(0);
            return;
          }
          const request = open.result.transaction('files', 'readonly').objectStore('files').count();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

function queueItem(page: Page, name: string) {
  return page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name, exact: true });
}

/** Uploads `files` (distinct bytes each) as transcription jobs in pt-BR with one metadata pair, and waits until each is accepted. */
async function uploadTranscriptions(page: Page, files: { name: string; buffer: Buffer }[]) {
  await page.getByLabel('Language', { exact: true }).fill('pt-BR');
  await page.getByLabel('Metadata key 1').fill('ticket');
  await page.getByLabel('Metadata value 1').fill('SUP-1182');
  await page.getByLabel('Choose audio files').setInputFiles(files.map(({ name, buffer }) => ({ name, mimeType: 'audio/wav', buffer })));
  await page.getByRole('button', { name: `Upload ${files.length} ${files.length === 1 ? 'file' : 'files'}` }).click();
  for (const { name } of files) {
    await expect(queueItem(page, name).getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  }
}

test.describe.configure({ timeout: 120_000 });

test('one click on a transcription job re-uploads the same file as a full-analysis job with the same language and metadata; both pages link to each other', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await uploadTranscriptions(page, [{ name: 'call-7.wav', buffer: sineWav(40_000, 16_000, 330) }]);
  const [old] = await simJobs(request, account.account_id);
  if (!old) throw new Error('the simulator holds no job');
  expect(old.pipeline).toBe('transcription');

  await queueItem(page, 'call-7.wav').getByRole('link', { name: old.id }).click();
  const insights = page.getByRole('region', { name: 'Insights' });
  await expect(insights.getByText(/Insights need the full-analysis pipeline/)).toBeVisible({ timeout: 30_000 });
  await insights.getByRole('button', { name: 'Re-run with full analysis' }).click();

  const reuploads = page.getByRole('region', { name: 'Re-runs' });
  await expect(reuploads.getByText(/^Re-run as job_\S+ \((queued|processing|completed)\)$/)).toBeVisible({ timeout: 30_000 });
  const jobs = await simJobs(request, account.account_id);
  expect(jobs).toHaveLength(2);
  const fresh = jobs.find((job) => job.id !== old.id);
  if (!fresh) throw new Error('no new job');
  expect(fresh.pipeline).toBe('full-analysis');
  expect(fresh.file.sha256).toBe(old.file.sha256);
  expect(fresh.language).toBe(old.language);
  expect(fresh.metadata).toEqual(old.metadata);
  expect(old.metadata).toEqual({ ticket: 'SUP-1182' });
  await expectNoSeriousAxeViolations(page);

  await reuploads.getByRole('link', { name: fresh.id }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${fresh.id}$`));
  await expect(page.getByRole('region', { name: 'Re-runs' }).getByText(`Re-run of ${old.id}`)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Insights' }).getByText('Sentiment:')).toBeVisible({ timeout: 30_000 });
  expect((await simJobs(request, account.account_id)).find((job) => job.id === fresh.id)?.status).toBe('completed');
  await page.getByRole('region', { name: 'Re-runs' }).getByRole('link', { name: old.id }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${old.id}$`));
  await expect(page.getByRole('region', { name: 'Re-runs' }).getByRole('link', { name: fresh.id })).toBeVisible();
});

test('where the kept file is gone, a re-picked file with other bytes is refused before sending; the original goes', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  const original = sineWav(40_000, 16_000, 550);
  await uploadTranscriptions(page, [{ name: 'meeting.wav', buffer: original }]);
  const [old] = await simJobs(request, account.account_id);
  if (!old) throw new Error('the simulator holds no job');

  await expect.poll(() => keptFileCount(page)).toBe(1);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Clear kept files' }).click();
  await page.getByRole('button', { name: 'Yes, clear kept files' }).click();
  await expect(page.getByText(/^Cleared 1 file/)).toBeVisible();
  expect(await keptFileCount(page)).toBe(0);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload' }).click();
  await queueItem(page, 'meeting.wav').getByRole('link', { name: old.id }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${old.id}$`));
  // Not held here any more: the page says so before the click, and the click itself opens the file picker.
  await expect(page.getByText("Its file is not kept in this browser: you pick it, and it is checked against the job's SHA-256.")).toBeVisible();
  const firstPick = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Re-run with full analysis…' }).click({ timeout: 30_000 });
  await (await firstPick).setFiles({ name: 'meeting.wav', mimeType: 'audio/wav', buffer: sineWav(40_000, 16_000, 560) });
  await expect(page.getByRole('alert')).toContainText('meeting.wav is not the file this job was made from');
  await expect(page.getByRole('alert')).toContainText('Nothing was sent');
  expect(await jobPosts(request, account.account_id)).toHaveLength(1);
  await expectNoSeriousAxeViolations(page);

  const secondPick = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Pick meeting.wav again' }).click();
  await (await secondPick).setFiles({ name: 'meeting.wav', mimeType: 'audio/wav', buffer: original });
  await expect(page.getByRole('region', { name: 'Re-runs' }).getByText(/^Re-run as job_\S+ \((queued|processing|completed)\)$/)).toBeVisible({ timeout: 30_000 });
  const posts = await jobPosts(request, account.account_id);
  expect(posts.map((entry) => entry.status)).toEqual([202, 202]);
  const jobs = await simJobs(request, account.account_id);
  expect(jobs.map((job) => [job.pipeline, job.file.sha256])).toEqual(
    expect.arrayContaining([
      ['transcription', old.file.sha256],
      ['full-analysis', old.file.sha256],
    ]),
  );
});

test('re-running a failure group of 5 from the Failed jobs page creates exactly 5 full-analysis jobs of the same files, with the batch progress and each item', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await setFaults(request, account.account_id, { processingFailure: { code: 'internal_error', count: 5 } });
  await signIn(page, account.keys.full, '/upload');
  const files = [1, 2, 3, 4, 5].map((n) => ({ name: `night-${n}.wav`, buffer: sineWav(30_000, 16_000, 200 + n * 50) }));
  await uploadTranscriptions(page, files);
  await expect.poll(async () => (await simJobs(request, account.account_id)).map((job) => job.status), { timeout: 30_000 }).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
  const failed = await simJobs(request, account.account_id);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed jobs' }).click();
  const group = page.getByRole('region', { name: /\(internal_error\)/ });
  await expect(group.getByText('5 failures', { exact: true })).toBeVisible({ timeout: 30_000 });
  await group.getByRole('button', { name: 'Re-run all 5 with full analysis' }).click();

  const batch = group.getByRole('region', { name: 'Re-run batch' });
  await expect(batch.getByRole('heading')).toHaveText('Re-run batch (5 files)');
  await expect(batch.getByRole('progressbar', { name: 'Re-run batch: overall progress' })).toHaveAttribute('value', '100', { timeout: 60_000 });
  const items = group.getByRole('list', { name: 'Re-runs in this batch' }).getByRole('listitem');
  await expect(items).toHaveCount(5);
  for (const job of failed) await expect(group.getByRole('listitem', { name: `${job.file.name} (from ${job.id})` }).getByRole('link')).toHaveText(/^job_/);
  // The ledger holds all five now: the group offers no second re-run and says why.
  await expect(group.getByRole('button', { name: /^Re-run all/ })).toHaveCount(0);
  await expect(group.getByText('All 5 already re-run')).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  const jobs = await simJobs(request, account.account_id);
  const fresh = jobs.filter((job) => !failed.some((old) => old.id === job.id));
  expect(fresh).toHaveLength(5);
  expect(fresh.every((job) => job.pipeline === 'full-analysis')).toBe(true);
  expect(fresh.map((job) => job.file.sha256).sort()).toEqual(failed.map((job) => job.file.sha256).sort());
  for (const job of fresh) {
    const old = failed.find((candidate) => candidate.file.sha256 === job.file.sha256);
    expect([job.language, job.metadata]).toEqual([old?.language, old?.metadata]);
  }
  expect((await jobPosts(request, account.account_id)).filter((entry) => entry.status === 202)).toHaveLength(10);
});

test('a full-analysis job that failed with internal_error offers "Re-run" with its own pipeline', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await setFaults(request, account.account_id, { processingFailure: { code: 'internal_error', count: 1 } });
  await signIn(page, account.keys.full, '/upload');
  await page.getByRole('radio', { name: /Full analysis/ }).check();
  await uploadTranscriptions(page, [{ name: 'outage.wav', buffer: sineWav(30_000, 16_000, 610) }]);
  await expect.poll(async () => (await simJobs(request, account.account_id)).map((job) => job.status), { timeout: 30_000 }).toEqual(['failed']);
  const [old] = await simJobs(request, account.account_id);
  if (!old) throw new Error('the simulator holds no job');
  // Past NovaPulse's 60 s window for the same file, pipeline, language and metadata.
  expect((await request.post(`/__sim/accounts/${account.account_id}/advance`, { data: { seconds: 61 } })).ok()).toBe(true);

  // The queue would hold the same upload within 60 s of its acceptance (on this browser's clock): clear it.
  await page.getByRole('button', { name: 'Clear accepted and cancelled (1)' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed jobs' }).click();
  await page.getByRole('region', { name: /\(internal_error\)/ }).getByRole('link', { name: old.id }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${old.id}$`));
  await expect(page.getByRole('button', { name: 'Re-run with full analysis' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Re-run', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Re-runs' }).getByText(/^Re-run as job_\S+ \((queued|processing|completed)\)$/)).toBeVisible({ timeout: 30_000 });
  const fresh = (await simJobs(request, account.account_id)).filter((job) => job.id !== old.id);
  expect(fresh.map((job) => [job.pipeline, job.file.sha256, job.language, job.metadata])).toEqual([[old.pipeline, old.file.sha256, old.language, old.metadata]]);
  expect(old.pipeline).toBe('full-analysis');
});

test("a failed row's own button re-runs that one job with full analysis, and no other", async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await setFaults(request, account.account_id, { processingFailure: { code: 'internal_error', count: 2 } });
  await signIn(page, account.keys.full, '/upload');
  const files = [1, 2].map((n) => ({ name: `row-${n}.wav`, buffer: sineWav(30_000, 16_000, 300 + n * 40) }));
  await uploadTranscriptions(page, files);
  await expect.poll(async () => (await simJobs(request, account.account_id)).map((job) => job.status), { timeout: 30_000 }).toEqual(['failed', 'failed']);
  const failed = await simJobs(request, account.account_id);
  const chosen = failed[0] as SimJob;
  const other = failed[1] as SimJob;

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed jobs' }).click();
  const rows = page.getByRole('list', { name: 'Failures, newest first' });
  await rows.getByRole('button', { name: rowRerunName(chosen.id) }).focus();
  await page.keyboard.press('Enter');
  await expect(rows.getByRole('listitem').filter({ has: page.getByRole('link', { name: chosen.id }) })).toContainText(/Re-run (as job_\S+ \(queued\)|waiting in the upload queue)/);
  await expect(rows.getByRole('button', { name: rowRerunName(other.id) })).toBeEnabled();
  await expectNoSeriousAxeViolations(page);

  await expect
    .poll(async () => (await simJobs(request, account.account_id)).filter((job) => !failed.some((old) => old.id === job.id)).length, { timeout: 30_000 })
    .toBe(1);
  const fresh = (await simJobs(request, account.account_id)).filter((job) => !failed.some((old) => old.id === job.id));
  expect(fresh.map((job) => [job.pipeline, job.file.sha256, job.language, job.metadata])).toEqual([['full-analysis', chosen.file.sha256, chosen.language, chosen.metadata]]);
  expect((await jobPosts(request, account.account_id)).filter((entry) => entry.status === 202)).toHaveLength(3);
});

test('a re-run tried from two places a minute apart makes one job: the job page, then its row and group in a second tab', async ({ page, context, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await setFaults(request, account.account_id, { processingFailure: { code: 'internal_error', count: 1 } });
  // The browser's clock runs as usual until the minute is skipped below.
  await page.clock.install();
  await signIn(page, account.keys.full, '/upload');
  await uploadTranscriptions(page, [{ name: 'twice-tried.wav', buffer: sineWav(30_000, 16_000, 470) }]);
  await expect.poll(async () => (await simJobs(request, account.account_id)).map((job) => job.status), { timeout: 30_000 }).toEqual(['failed']);
  const [old] = await simJobs(request, account.account_id);
  if (!old) throw new Error('the simulator holds no job');

  await queueItem(page, 'twice-tried.wav').getByRole('link', { name: old.id }).click();
  await page.getByRole('button', { name: 'Re-run with full analysis' }).click({ timeout: 30_000 });
  const reruns = page.getByRole('region', { name: 'Re-runs' });
  await expect(reruns.getByText(/^Re-run as job_\S+ \((queued|processing|completed|failed)\)$/)).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await simJobs(request, account.account_id)).length, { timeout: 30_000 }).toBe(2);
  const fresh = (await simJobs(request, account.account_id)).find((job) => job.id !== old.id);
  if (!fresh) throw new Error('no re-run job');

  // A minute later, for NovaPulse (its 60 s duplicate window is over) and for this browser (its own hold too).
  expect((await request.post(`/__sim/accounts/${account.account_id}/advance`, { data: { seconds: 61 } })).ok()).toBe(true);
  await page.clock.fastForward('01:01');

  // The first tab's Failed jobs row, then a second tab of the same browser.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed jobs' }).click();
  const rows = page.getByRole('list', { name: 'Failures, newest first' });
  const row = rows.getByRole('listitem').filter({ has: page.getByRole('link', { name: old.id }) });
  await expect(row).toContainText(`Re-run as ${fresh.id}`, { timeout: 30_000 });
  await expect(row.getByRole('button')).toHaveCount(0);

  const second = await context.newPage();
  await signIn(second, account.keys.full, '/failed');
  const group = second.getByRole('region', { name: /\(internal_error\)/ });
  await expect(group.getByText('1 failure', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(group.getByText('All 1 already re-run')).toBeVisible();
  await expect(group.getByRole('button', { name: /^Re-run/ })).toHaveCount(0);
  const secondRow = second.getByRole('list', { name: 'Failures, newest first' }).getByRole('listitem').filter({ has: second.getByRole('link', { name: old.id }) });
  await expect(secondRow).toContainText(`Re-run as ${fresh.id}`);
  await expect(secondRow.getByRole('link', { name: fresh.id })).toHaveAttribute('href', `/jobs/${fresh.id}`);
  await expectNoSeriousAxeViolations(second);

  // Nothing more was sent from either tab: one re-run, one job.
  await second.waitForTimeout(2_000);
  expect((await jobPosts(request, account.account_id)).filter((entry) => entry.status === 202)).toHaveLength(2);
  expect((await simJobs(request, account.account_id)).map((job) => job.pipeline).sort()).toEqual(['full-analysis', 'transcription']);
});

test('a group of 5 failures uploaded elsewhere (not kept here) re-runs in one step from one multi-file pick in shuffled order, a stranger refused by name: exactly 5 new jobs', async ({
  page,
  request,
}) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await setFaults(request, account.account_id, { processingFailure: { code: 'internal_error', count: 5 } });
  // A colleague's uploads: straight to the API, so this browser never held their bytes.
  const files = [1, 2, 3, 4, 5].map((n) => ({ name: `colleague-${n}.wav`, buffer: sineWav(30_000, 16_000, 700 + n * 45) }));
  for (const file of files) {
    const created = await request.post('/v1/jobs', {
      headers: { Authorization: `Bearer ${account.keys.full}` },
      multipart: { file: { name: file.name, mimeType: 'audio/wav', buffer: file.buffer }, pipeline: 'transcription' },
    });
    expect(created.status()).toBe(202);
  }
  await expect.poll(async () => (await simJobs(request, account.account_id)).map((job) => job.status), { timeout: 30_000 }).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
  const failed = await simJobs(request, account.account_id);
  // Past NovaPulse's 60 s window for the same file, pipeline, language and metadata.
  expect((await request.post(`/__sim/accounts/${account.account_id}/advance`, { data: { seconds: 61 } })).ok()).toBe(true);

  await signIn(page, account.keys.full, '/failed');
  const group = page.getByRole('region', { name: /\(internal_error\)/ });
  await expect(group.getByText('5 failures', { exact: true })).toBeVisible({ timeout: 30_000 });
  // Before any click, the group and every row say the files are not here.
  await expect(group.getByText('None of the 5 files is kept in this browser: the re-run asks you to pick them (several at once, in any order).')).toBeVisible();
  const rows = page.getByRole('list', { name: 'Failures, newest first' });
  for (const job of failed) await expect(rows.getByRole('listitem').filter({ has: page.getByRole('link', { name: job.id }) })).toContainText('File not kept: you pick it');

  const stranger = { name: 'unrelated-call.wav', buffer: sineWav(30_000, 16_000, 1_990) };
  const [one, two, three, four, five] = files as [(typeof files)[0], (typeof files)[0], (typeof files)[0], (typeof files)[0], (typeof files)[0]];
  const shuffled = [four, stranger, one, five, three, two];
  const choosing = page.waitForEvent('filechooser');
  await group.getByRole('button', { name: 'Re-run all 5 (pick 5 files)' }).click();
  const chooser = await choosing;
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles(shuffled.map((file) => ({ name: file.name, mimeType: 'audio/wav', buffer: file.buffer })));

  await expect(group.getByRole('alert').filter({ hasText: 'unrelated-call.wav' })).toContainText('unrelated-call.wav is not the file of any job waiting here');
  const batch = group.getByRole('region', { name: 'Re-run batch' });
  await expect(batch.getByRole('heading')).toHaveText('Re-run batch (5 files)');
  await expect(batch.getByRole('progressbar', { name: 'Re-run batch: overall progress' })).toHaveAttribute('value', '100', { timeout: 60_000 });
  await expect(group.getByRole('list', { name: 'Files still to pick' })).toHaveCount(0);
  for (const job of failed) await expect(group.getByRole('listitem', { name: `${job.file.name} (from ${job.id})` }).getByRole('link')).toHaveText(/^job_/);
  await expectNoSeriousAxeViolations(page);

  const fresh = (await simJobs(request, account.account_id)).filter((job) => !failed.some((old) => old.id === job.id));
  expect(fresh).toHaveLength(5);
  expect(fresh.every((job) => job.pipeline === 'transcription')).toBe(true);
  expect(fresh.map((job) => job.file.sha256).sort()).toEqual(failed.map((job) => job.file.sha256).sort());
  expect(fresh.some((job) => job.file.name === stranger.name)).toBe(false);
  expect((await jobPosts(request, account.account_id)).filter((entry) => entry.status === 202)).toHaveLength(10);
});
