// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { keptFiles } from '../features/upload/kept-files';
import { blobStore as blobs } from '../features/upload/upload-queue-store';
import { queueRow, setupAppHarness, signedInOnUpload, uploadFiles, wavFile } from '../testing/render-app';

const harness = setupAppHarness();

interface Segment {
  start: number;
  end: number;
  text: string;
}

/** The transcript as NovaPulse gives it, read from the simulator with the account's key. */
async function simulatorTranscript(key: string, jobId: string): Promise<Segment[]> {
  const response = await harness.simulator.handle({ method: 'GET', path: `/v1/jobs/${jobId}/transcript`, authorization: `Bearer ${key}` });
  if (response.status !== 200 || !('body' in response)) throw new Error(`no transcript: ${response.status}`);
  return (response.body as { transcript: { segments: Segment[] } }).transcript.segments;
}

/** Where the player is, as a browser would tell it after playing or a seek. */
function movePlayhead(player: HTMLMediaElement, seconds: number, event: 'timeupdate' | 'seeked' = 'timeupdate') {
  Object.defineProperty(player, 'currentTime', { value: seconds, writable: true, configurable: true });
  fireEvent(player, new Event(event));
}

describe('the job page plays the file this browser kept', { timeout: 30_000 }, () => {
  const created: Blob[] = [];
  const revoked: string[] = [];
  beforeEach(() => {
    created.length = 0;
    revoked.length = 0;
    // jsdom has no object URLs: these stand for them, so the test sees what was opened and released.
    URL.createObjectURL = (blob: Blob) => {
      created.push(blob);
      return `blob:kept-${created.length}`;
    };
    URL.revokeObjectURL = (url: string) => void revoked.push(url);
  });

  it('a kept file: a player over its bytes, the line being heard marked, a line picked plays from there, the URL released on leaving', async () => {
    const account = harness.account({ timing: { queueMs: [0, 0], processMs: [200, 300] } });
    const view = await signedInOnUpload(account);
    // Four seconds of 8 kHz audio: NovaPulse (the simulator) splits its transcript over that time.
    const file = wavFile('meeting.wav', 'meeting', 32_000);
    await uploadFiles(view.user, [file]);
    await within(queueRow('meeting.wav')).findByText('Accepted', {}, { timeout: 10_000 });
    const [job] = account.jobs();
    if (!job) throw new Error('no job');
    await view.router.navigate({ to: '/jobs/$jobId', params: { jobId: job.id } });

    const player = (await screen.findByLabelText('Play meeting.wav', {}, { timeout: 5_000 })) as HTMLAudioElement;
    expect(player.tagName).toBe('AUDIO');
    expect(player).toHaveAttribute('controls');
    expect(player.getAttribute('src')).toBe(`blob:kept-${created.length}`);
    expect(created.at(-1)?.size).toBe(file.size);

    const lines = await screen.findByRole('list', { name: 'Transcript lines, following the player' }, { timeout: 10_000 });
    const segments = await simulatorTranscript(account.keys.full, job.id);
    expect(segments.length).toBeGreaterThanOrEqual(3);
    const [, second, third] = segments as [Segment, Segment, Segment];
    expect(within(lines).getAllByRole('listitem')).toHaveLength(segments.length);

    movePlayhead(player, (second.start + second.end) / 2);
    const heard = () => within(lines).getByRole('listitem', { current: true });
    expect(heard()).toHaveTextContent(second.text);
    expect(within(lines).getAllByRole('listitem').filter((item) => item.getAttribute('aria-current'))).toHaveLength(1);

    // Picking a line (from the keyboard) moves the player there and plays.
    let played = 0;
    player.play = () => {
      played += 1;
      return Promise.resolve();
    };
    const pick = within(within(lines).getAllByRole('listitem')[2] as HTMLElement).getByRole('button');
    pick.focus();
    await view.user.keyboard('{Enter}');
    expect(player.currentTime).toBe(third.start);
    expect(played).toBe(1);
    fireEvent(player, new Event('seeked'));
    expect(heard()).toHaveTextContent(third.text);

    const url = player.getAttribute('src');
    await view.router.navigate({ to: '/jobs' });
    await screen.findByRole('heading', { name: 'Jobs' });
    // Released as the page goes: under Preact the cleanup comes a moment after the next page shows, not in its render.
    await waitFor(() => expect(revoked).toContain(url));

    // Once the queue has saved the upload, its bytes live in the kept files: the page plays them from there.
    await waitFor(async () => expect(await blobs.ids()).toEqual([]), { timeout: 5_000 });
    expect((await keptFiles.get(job.file.sha256))?.size).toBe(file.size);
    await view.router.navigate({ to: '/jobs/$jobId', params: { jobId: job.id } });
    const again = (await screen.findByLabelText('Play meeting.wav', {}, { timeout: 5_000 })) as HTMLAudioElement;
    expect(again.getAttribute('src')).toBe(`blob:kept-${created.length}`);
    expect(created.at(-1)?.size).toBe(file.size);
  });

  it("a job whose file this browser does not keep (a colleague's upload): one quiet line, no player", async () => {
    const account = harness.account();
    const jobId = await account.startJobElsewhere('colleague.wav');
    const view = await signedInOnUpload(account);
    await view.router.navigate({ to: '/jobs/$jobId', params: { jobId } });
    await screen.findByRole('heading', { level: 1, name: 'colleague.wav' }, { timeout: 5_000 });
    await screen.findByText('The file is not kept in this browser, so it cannot be played here.', {}, { timeout: 5_000 });
    expect(screen.queryByLabelText('Play colleague.wav')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Listen' })).toBeNull();
    expect(created).toEqual([]);
  });
});
