import { expect, test } from '@playwright/test';
import { accountJobs, createAccount, requestLog, signIn } from './support/simulator';

const FIXTURES = 'e2e/fixtures/audio';

test('files that look like audio but hold none are refused before sending, beside a good file that goes through; a language that names nothing is refused', async ({ page, request }) => {
  const account = await createAccount(request);
  await signIn(page, account.keys.full, '/upload');

  await page.getByLabel('Choose audio files').setInputFiles(['header-only.wav', 'video-only.m4a', 'moov-at-end.m4a'].map((name) => `${FIXTURES}/${name}`));
  const refused = page.getByRole('region', { name: /Not uploaded/ });
  await expect(refused.getByRole('listitem')).toHaveText([
    'header-only.wav holds no audio stream that can be decoded (the WAV header is followed by no audio data). Export it again from the recording app as MP3, WAV, M4A, FLAC or OGG.',
    'video-only.m4a holds no audio stream that can be decoded (the MP4 container holds only a video track). Export it again from the recording app as MP3, WAV, M4A, FLAC or OGG.',
  ]);
  const ready = page.getByRole('region', { name: 'Ready to upload' });
  await expect(ready.getByRole('listitem')).toHaveCount(1);
  await expect(ready.getByText(/moov-at-end\.m4a \(M4A/)).toBeVisible();

  const language = page.getByLabel('Language', { exact: true });
  await language.fill('zz');
  await expect(page.getByText('"zz" names no known language. Pick a language from the list, or enter a tag such as en-US, pt-BR or zh-Hant-TW.')).toBeVisible();
  await expect(language).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  await expect(language).toBeFocused();
  await language.fill('pt-BR');
  await expect(page.getByText('Brazilian Portuguese: pick from the list or type any language tag.')).toBeVisible();
  await page.getByRole('button', { name: 'Upload 1 file' }).click();

  const queued = page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name: 'moov-at-end.m4a', exact: true });
  await expect(queued.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  const uploads = (await requestLog(request, account.account_id)).filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
  expect(uploads.map((entry) => [entry.fileName, entry.status])).toEqual([['moov-at-end.m4a', 202]]);
  expect((await accountJobs(request, account.account_id)).map((job) => job.file.name)).toEqual(['moov-at-end.m4a']);
  const jobs = (await (await request.get(`/__sim/accounts/${account.account_id}/jobs`)).json()) as { jobs: { language: string }[] };
  expect(jobs.jobs.map((job) => job.language)).toEqual(['pt-BR']);
});
