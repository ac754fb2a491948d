import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { accountJobs, createAccount, signIn } from './support/simulator';

const FILE = 'standup-0101.wav';
const FAST_JOBS = { queueMs: [200, 400], processMs: [800, 1_500] };

interface Segment {
  start: number;
  end: number;
  text: string;
}

test('the job page plays the file uploaded from this browser, and the transcript line being heard follows the player', async ({ page, request }) => {
  const account = await createAccount(request, { timing: FAST_JOBS });
  await signIn(page, account.keys.full, '/upload');
  await page.getByLabel('Choose audio files').setInputFiles(`e2e/fixtures/audio/${FILE}`);
  await page.getByRole('button', { name: 'Upload 1 file' }).click();
  const item = page.getByRole('region', { name: /Upload queue/ }).getByRole('listitem', { name: FILE, exact: true });
  await expect(item.getByText('Accepted', { exact: true })).toBeVisible({ timeout: 30_000 });
  const [job] = await accountJobs(request, account.account_id);
  await item.getByRole('link', { name: job?.id }).click();
  await expect(page.getByRole('heading', { level: 1, name: FILE })).toBeVisible();

  const player = page.getByLabel(`Play ${FILE}`);
  await expect(player).toBeVisible();
  // It plays: muted, as headless Chromium lets a page start playback without a gesture.
  await player.evaluate((audio: HTMLAudioElement) => {
    audio.muted = true;
    return audio.play();
  });
  await expect.poll(() => player.evaluate((audio: HTMLAudioElement) => audio.currentTime)).toBeGreaterThan(0);
  await player.evaluate((audio: HTMLAudioElement) => audio.pause());
  expect(await player.evaluate((audio: HTMLAudioElement) => audio.duration)).toBeCloseTo(1.5, 1);

  const lines = page.getByRole('list', { name: 'Transcript lines, following the player' });
  await expect(lines).toBeVisible({ timeout: 30_000 });
  const response = await request.get(`/v1/jobs/${job?.id}/transcript`, { headers: { Authorization: `Bearer ${account.keys.full}` } });
  const segments = ((await response.json()) as { transcript: { segments: Segment[] } }).transcript.segments;
  expect(segments.length).toBeGreaterThanOrEqual(3);
  const items = lines.getByRole('listitem');
  await expect(items).toHaveCount(segments.length);

  // Moved by the player's own position: the line NovaPulse's transcript puts at that time is the one marked.
  const second = segments[1] as Segment;
  await player.evaluate((audio: HTMLAudioElement, at: number) => {
    audio.currentTime = at;
  }, (second.start + second.end) / 2);
  await expect(items.nth(1)).toHaveAttribute('aria-current', 'true');
  await expect(items.nth(1)).toContainText(second.text);
  await expect(lines.locator('[aria-current="true"]')).toHaveCount(1);

  // Picking the last line from the keyboard plays from its start, and marks it.
  const last = segments.length - 1;
  await items.nth(last).getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(items.nth(last)).toHaveAttribute('aria-current', 'true');
  await expect(items.nth(1)).not.toHaveAttribute('aria-current', 'true');
  // It plays on from there (a seek alone would leave it at the line's start).
  await expect.poll(() => player.evaluate((audio: HTMLAudioElement) => audio.currentTime)).toBeGreaterThan((segments[last] as Segment).start);

  const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => violation.id)).toEqual([]);
});
