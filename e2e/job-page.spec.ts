import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { accountJobs, createAccount, requestLog, setFaults, signIn } from './support/simulator';

const FILE = 'call-0412.mp3';
const FAST_JOBS = { queueMs: [200, 400], processMs: [800, 1_500] };

interface Transcript {
  text: string;
  segments: { start: number; end: number; speaker?: string | null; text: string }[];
}

async function expectNoSeriousAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function transcriptFromApi(request: APIRequestContext, key: string, jobId: string): Promise<Transcript> {
  const response = await request.get(`/v1/jobs/${jobId}/transcript`, { headers: { Authorization: `Bearer ${key}` } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { transcript: Transcript }).transcript;
}

async function download(page: Page, format: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Download transcript as ${format}` }).click()]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path()) as string, 'utf8') };
}

/** Reads SRT or WebVTT cues back: [start s, end s, text] for each, by the formats' own grammar. */
function parseCues(body: string, separator: ',' | '.'): { start: number; end: number; text: string }[] {
  const time = `(\\d{2,}):([0-5]\\d):([0-5]\\d)${separator === '.' ? '\\.' : ','}(\\d{3})`;
  const line = new RegExp(`^${time} --> ${time}$`);
  const seconds = (h = '', m = '', s = '', ms = '') => Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
  return body
    .trim()
    .split(/\n\n+/)
    .flatMap((block) => {
      const lines = block.split('\n');
      const at = lines.findIndex((candidate) => line.test(candidate));
      if (at < 0) return [];
      const [, h1, m1, s1, ms1, h2, m2, s2, ms2] = line.exec(lines[at] ?? '') as RegExpExecArray;
      return [{ start: seconds(h1, m1, s1, ms1), end: seconds(h2, m2, s2, ms2), text: lines.slice(at + 1).join('\n') }];
    });
}

test.describe.configure({ timeout: 120_000 });

test('the timeline lists each upload attempt with the simulator\'s request ids, and each transcript download matches the transcript', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  // One 500 before acceptance: two attempts for one job.
  await setFaults(request, account.account_id, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', remaining: 1 }] });
  await signIn(page, account.keys.full, '/upload');
  await page.getByLabel('Choose audio files').setInputFiles(`e2e/fixtures/audio/${FILE}`);
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name: FILE, exact: true });
  await expect(item.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 60_000 });

  const jobs = await accountJobs(request, account.account_id);
  expect(jobs).toHaveLength(1);
  const job = jobs[0] as (typeof jobs)[number];
  // In-app navigation: the attempts are this page load's.
  await item.getByRole('link', { name: job.id }).click();
  await expect(page.getByRole('heading', { level: 1, name: FILE })).toBeVisible();

  const sent = (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
  expect(sent.map((entry) => entry.status)).toEqual([500, 202]);
  const timeline = page.getByRole('region', { name: 'Timeline' });
  for (const [index, entry] of sent.entries()) {
    const row = timeline.getByRole('row', { name: new RegExp(`Upload attempt ${index + 1}\\b`) });
    await expect(row).toContainText(entry.requestId);
    await expect(row).toContainText(String(entry.status));
    if (entry.code) await expect(row).toContainText(entry.code);
  }
  await expect(timeline.getByRole('row', { name: /Upload attempt \d/ })).toHaveCount(sent.length);
  await expect(timeline.getByRole('row', { name: /Upload attempt 1\b/ })).toContainText('none (first attempt)');
  await expect(timeline.getByRole('row', { name: /Upload attempt 2\b/ })).toContainText(/\d+(\.\d)? s/);
  await expect(timeline.getByRole('row', { name: /Created \(NovaPulse\)/ })).toBeVisible();

  // The page shows completion by itself (the shared poll), then the downloads.
  await expect(page.getByRole('button', { name: 'Download transcript as SRT' })).toBeVisible({ timeout: 30_000 });
  await expect(timeline.getByRole('row', { name: /Seen completed/ })).toBeVisible();
  const transcript = await transcriptFromApi(request, account.keys.full, job.id);
  expect(transcript.segments.length).toBeGreaterThan(0);
  const stem = FILE.replace(/\.[^.]+$/, '');

  const json = await download(page, 'JSON');
  expect(json.name).toBe(`${stem}.json`);
  expect(JSON.parse(json.text)).toEqual(transcript);

  const txt = await download(page, 'TXT');
  expect(txt.name).toBe(`${stem}.txt`);
  const txtLines = txt.text.trimEnd().split('\n');
  expect(txtLines).toHaveLength(transcript.segments.length);
  for (const [index, segment] of transcript.segments.entries()) expect(txtLines[index]).toContain(segment.text);

  const srt = await download(page, 'SRT');
  expect(srt.name).toBe(`${stem}.srt`);
  const srtCues = parseCues(srt.text, ',');
  expect(srt.text.trim().split(/\n\n+/).map((block) => block.split('\n')[0])).toEqual(transcript.segments.map((_, index) => String(index + 1)));
  expect(srtCues).toHaveLength(transcript.segments.length);

  const vtt = await download(page, 'VTT');
  expect(vtt.name).toBe(`${stem}.vtt`);
  expect(vtt.text.startsWith('WEBVTT\n')).toBe(true);
  const vttCues = parseCues(vtt.text, '.');
  expect(vttCues).toHaveLength(transcript.segments.length);

  for (const [index, segment] of transcript.segments.entries()) {
    const srtCue = srtCues[index] as (typeof srtCues)[number];
    const vttCue = vttCues[index] as (typeof vttCues)[number];
    for (const cue of [srtCue, vttCue]) {
      expect(cue.start).toBeCloseTo(segment.start, 3);
      expect(cue.end).toBeCloseTo(segment.end, 3);
    }
    const speaker = segment.speaker ? `Speaker ${segment.speaker}` : null;
    expect(srtCue.text).toBe(speaker ? `${speaker}: ${segment.text}` : segment.text);
    expect(vttCue.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(speaker ? `<v ${speaker}>${segment.text}` : segment.text);
  }

  await expectNoSeriousAxeViolations(page);
});

test('a failed job shows its guidance and the support bundle before it is copied, without the key; axe finds nothing serious', async ({ page, request }) => {
  const account = await createAccount(request, { seedJobs: 30 });
  const failed = (await accountJobs(request, account.account_id)).find((job) => job.status === 'failed') as { id: string; error?: { code: string } } | undefined;
  expect(failed).toBeDefined();
  const { id, error } = failed as { id: string; error?: { code: string } };
  await signIn(page, account.keys.full, `/jobs/${id}`);
  const failure = page.getByRole('region', { name: /^Failed: / });
  await expect(failure).toBeVisible();
  await expect(failure.getByText('What to do:')).toBeVisible();
  const bundle = failure.getByLabel(/Support bundle/);
  await expect(bundle).toHaveAttribute('readonly', '');
  const text = await bundle.inputValue();
  expect(text).toContain(`job id: ${id}`);
  if (error) expect(text).toContain(error.code);
  expect(text).not.toContain(account.keys.full);
  await expect(failure.getByRole('button', { name: 'Copy support bundle' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Timeline' }).getByRole('row', { name: /Created \(NovaPulse\)/ })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});
