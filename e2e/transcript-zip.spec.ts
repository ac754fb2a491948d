import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { accountJobs, createAccount, requestLog, signIn } from './support/simulator';

interface Transcript {
  text: string;
  segments: { start: number; end: number; speaker?: string | null; text: string }[];
}

/** SubRip as its format defines it, written here apart from the console's own code: `HH:MM:SS,mmm`. */
function srtTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
}

/** Numbered cues in order of start, a timing line, the text with its speaker named, a blank line between cues. */
function expectedSrt(transcript: Transcript): string {
  return [...transcript.segments]
    .sort((a, b) => a.start - b.start)
    .map((segment, index) => `${index + 1}\n${srtTime(segment.start)} --> ${srtTime(segment.end)}\n${segment.speaker ? `Speaker ${segment.speaker}: ` : ''}${segment.text}\n`)
    .join('\n');
}

async function downloadZip(page: Page, format: 'srt' | 'json', count: number): Promise<{ name: string; files: Record<string, string> }> {
  const bar = page.getByRole('region', { name: 'Selection and transcript download' });
  await bar.getByLabel('Format').selectOption(format);
  const [file] = await Promise.all([page.waitForEvent('download'), bar.getByRole('button', { name: `Download ${count} transcripts (.zip)` }).click()]);
  const entries = unzipSync(new Uint8Array(await readFile((await file.path()) as string)));
  return { name: file.suggestedFilename(), files: Object.fromEntries(Object.entries(entries).map(([name, bytes]) => [name, strFromU8(bytes)])) };
}

test('50 selected completed jobs download as one zip of 50 transcripts, each as the API answers it, in SRT and in JSON', async ({ page, request }) => {
  // 50 finished jobs and 3 that run for ten minutes: the zip holds the 50 and names the 3 it leaves out.
  const account = await createAccount(request, { tier: 'enterprise', seedJobs: 53, seedActiveJobs: 3, seedActiveProcessMs: [600_000, 600_000], seedFailedShare: 0 });
  const jobs = await accountJobs(request, account.account_id);
  const completed = jobs.filter((job) => job.status === 'completed');
  expect(completed).toHaveLength(50);
  const key = account.keys.full;
  // The expected content comes from NovaPulse itself, over HTTP.
  const transcripts = new Map(
    await Promise.all(
      completed.map(async (job) => {
        const response = await request.get(`/v1/jobs/${job.id}/transcript`, { headers: { Authorization: `Bearer ${key}` } });
        expect(response.status()).toBe(200);
        return [job.id, ((await response.json()) as { transcript: Transcript }).transcript] as const;
      }),
    ),
  );
  const entryName = (job: { id: string; file: { name: string } }, format: string) => `${job.file.name.replace(/\.[^.]+$/, '')}-${job.id}.${format}`;

  await signIn(page, key, '/jobs');
  await expect(page.getByRole('status').filter({ hasText: '53 jobs, all loaded' })).toBeVisible();
  const bar = page.getByRole('region', { name: 'Selection and transcript download' });
  await bar.getByRole('checkbox', { name: 'Select all 53 loaded' }).check();
  await expect(bar.getByText('53 selected')).toBeVisible();
  await expect(bar.getByText('3 selected jobs have no transcript and will be left out (3 not finished).')).toBeVisible();

  const readsBefore = (await requestLog(request, account.account_id)).length;
  const srt = await downloadZip(page, 'srt', 50);
  expect(srt.name).toMatch(/^novapulse-transcripts-srt-.+\.zip$/);
  expect(Object.keys(srt.files).sort()).toEqual(completed.map((job) => entryName(job, 'srt')).sort());
  for (const job of completed) expect(srt.files[entryName(job, 'srt')], job.id).toBe(expectedSrt(transcripts.get(job.id) as Transcript));
  await expect(bar.getByRole('status').filter({ hasText: `Saved ${srt.name} with 50 transcripts.` })).toBeVisible();
  // The console asked NovaPulse for the 50 transcripts, and for none of the jobs still running.
  const transcriptReads = (await requestLog(request, account.account_id)).slice(readsBefore).filter((entry) => entry.path.endsWith('/transcript'));
  expect(new Set(transcriptReads.filter((entry) => entry.status === 200).map((entry) => entry.path.split('/')[3]))).toEqual(new Set(completed.map((job) => job.id)));

  // On a phone, the same bar: nothing scrolls sideways, and JSON is the API's transcript as it was answered.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const json = await downloadZip(page, 'json', 50);
  expect(Object.keys(json.files)).toHaveLength(50);
  for (const job of completed) expect(JSON.parse(json.files[entryName(job, 'json')] as string), job.id).toEqual(transcripts.get(job.id));
});
