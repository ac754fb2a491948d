// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { strFromU8, unzipSync } from 'fflate';
import { TextEncoder as NodeTextEncoder } from 'node:util';
import { enterKey, renderApp, type SimAccountHandle, setupAppHarness } from '../testing/render-app';

const harness = setupAppHarness();

/**
 * In Vitest's jsdom, TextEncoder hands out Node's Uint8Array, not the page's, so client-zip (which checks
 * `instanceof Uint8Array`) took encoded text for a stream. A browser has one realm; this gives the page's arrays.
 */
class PageRealmTextEncoder extends NodeTextEncoder {
  override encode(input?: string) {
    const bytes = super.encode(input);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as ReturnType<NodeTextEncoder['encode']>;
  }
}
beforeAll(() => vi.stubGlobal('TextEncoder', PageRealmTextEncoder));
afterAll(() => vi.unstubAllGlobals());

interface SimTranscript {
  text: string;
  segments: { start: number; end: number; speaker?: string | null; text: string }[];
}

/** The account's jobs as NovaPulse shows them now, from the simulator's records. */
function jobViews(account: SimAccountHandle) {
  const records = harness.simulator.account(account.accountId);
  return records.jobs.map((job) => harness.simulator.jobView(records, job));
}

/** A job's transcript as NovaPulse answers it, asked with the read-only key (the console's key keeps its own window). */
async function apiTranscript(account: SimAccountHandle, jobId: string): Promise<SimTranscript> {
  const response = await harness.simulator.handle({ method: 'GET', path: `/v1/jobs/${jobId}/transcript`, authorization: `Bearer ${account.keys.readOnly}` });
  if (response.status !== 200 || !('body' in response)) throw new Error(`no transcript for ${jobId}: ${response.status}`);
  return (response.body as { transcript: SimTranscript }).transcript;
}

/** The plain-text format as the console documents it: one line per segment, `Speaker X: ` before it when a speaker is named. */
const asTxt = (transcript: SimTranscript) => `${transcript.segments.map((segment) => (segment.speaker ? `Speaker ${segment.speaker}: ${segment.text}` : segment.text)).join('\n')}\n`;

/** Files the page saves through a download link: their names and the Blob behind each. */
function captureDownloads() {
  const blobs = new Map<string, Blob>();
  const saved: { name: string; blob: Blob }[] = [];
  const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  const revokeObjectURL = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.getAttribute('href') ?? '');
    if (this.download && blob) saved.push({ name: this.download, blob });
  });
  return {
    saved,
    restore() {
      createObjectURL.mockRestore();
      revokeObjectURL.mockRestore();
      click.mockRestore();
    },
  };
}

async function unzip(blob: Blob): Promise<Record<string, string>> {
  const files = unzipSync(new Uint8Array(await blob.arrayBuffer()));
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

const stem = (fileName: string) => fileName.slice(0, fileName.lastIndexOf('.'));
const transcriptReads = () => harness.sent.filter((request) => request.method === 'GET' && /^\/v1\/jobs\/[^/]+\/transcript$/.test(request.url.pathname));

async function signedInOnJobs(account: SimAccountHandle, rows: number) {
  const view = renderApp({ path: '/jobs' });
  await enterKey(view.user, account.keys.full);
  const list = await screen.findByRole('list', { name: 'Jobs, newest first' }, { timeout: 5_000 });
  await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(rows), { timeout: 5_000 });
  return view;
}

describe('the assembled console: the selected jobs transcripts in one zip', { timeout: 30_000 }, () => {
  it('zips every completed selected job through the API client (key, retry rules), names the jobs left out and why, before and after', async () => {
    const account = harness.account({ seedJobs: 9, seedActiveJobs: 1, seedActiveProcessMs: [600_000, 600_000], seedFailedShare: 0.3, seed: 1 });
    const jobs = jobViews(account);
    const completed = jobs.filter((job) => job.status === 'completed');
    const failed = jobs.filter((job) => job.status === 'failed');
    const running = jobs.filter((job) => job.status === 'queued' || job.status === 'processing');
    expect(completed.length).toBeGreaterThanOrEqual(3);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(running).toHaveLength(1);
    const expected = new Map<string, string>();
    for (const job of completed) expected.set(job.id, asTxt(await apiTranscript(account, job.id)));
    // The first transcript read fails with a 500 (retried by the catalogue's rule), the next with a 404 (not retried).
    harness.simulator.setFaults(account.accountId, {
      forced: [
        { endpoint: 'GET /v1/jobs/:id/transcript', code: 'internal_error', remaining: 1 },
        { endpoint: 'GET /v1/jobs/:id/transcript', code: 'job_not_found', remaining: 1 },
      ],
    });

    const view = await signedInOnJobs(account, jobs.length);
    // A list has no column headers: each row names its cells for a screen reader.
    const firstFailed = screen.getByRole('checkbox', { name: `Select ${failed[0]?.file.name} (${failed[0]?.id})` }).closest('li') as HTMLElement;
    expect(firstFailed.textContent).toContain(`Job ${failed[0]?.id}`);
    expect(firstFailed.textContent).toContain(`File ${failed[0]?.file.name} (`);
    expect(firstFailed.textContent).toContain(`Status failed${failed[0]?.error?.code}`);
    expect(firstFailed.textContent).toContain(`Pipeline ${failed[0]?.pipeline}`);
    expect(firstFailed.textContent).toContain('Created ');
    const bar = screen.getByRole('region', { name: 'Selection and transcript download' });
    expect(within(bar).getByRole('button', { name: 'Download transcripts (.zip)' })).toBeDisabled();
    await view.user.click(within(bar).getByRole('checkbox', { name: `Select all ${jobs.length} loaded` }));
    expect(within(bar).getByText(`${jobs.length} selected`)).toBeVisible();
    for (const job of jobs) expect(screen.getByRole('checkbox', { name: `Select ${job.file.name} (${job.id})` })).toBeChecked();
    // Said before the click: which jobs have no transcript, and why.
    const leftOutCount = failed.length + running.length;
    const before = within(bar).getByText(`${leftOutCount} selected jobs have no transcript and will be left out (1 not finished, ${failed.length} failed).`).closest('details') as HTMLElement;
    for (const job of failed) expect(within(before).getByText(new RegExp(`${job.file.name}\\): failed \\(${job.error?.code}\\): a failed job has no transcript`))).toBeInTheDocument();
    expect(within(before).getByText(new RegExp(`${running[0]?.file.name}\\): still (queued|processing).*: its transcript exists once it completes`))).toBeInTheDocument();

    const downloads = captureDownloads();
    try {
      await view.user.click(within(bar).getByRole('button', { name: `Download ${completed.length} transcripts (.zip)` }));
      await waitFor(() => expect(downloads.saved).toHaveLength(1), { timeout: 10_000 });
      const [zip] = downloads.saved;
      expect(zip?.name).toMatch(/^novapulse-transcripts-txt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.zip$/);
      const files = await unzip(zip?.blob as Blob);

      // One job's read was refused (404): left out, and named with the API's code; every other completed job is in.
      const reads = transcriptReads();
      expect(reads).toHaveLength(completed.length + 1);
      expect(reads.every((read) => read.key === account.keys.full)).toBe(true);
      expect(reads.some((read) => read.url.href.includes(account.keys.full.slice(8)))).toBe(false);
      const readIds = reads.map((read) => decodeURIComponent(read.url.pathname.split('/')[3] as string));
      expect(new Set(readIds)).toEqual(new Set(completed.map((job) => job.id)));
      const refused = completed.filter((job) => readIds.filter((id) => id === job.id).length === 1 && !files[`${stem(job.file.name)}-${job.id}.txt`]);
      expect(refused).toHaveLength(1);
      const included = completed.filter((job) => job !== refused[0]);
      expect(files).toEqual(Object.fromEntries(included.map((job) => [`${stem(job.file.name)}-${job.id}.txt`, expected.get(job.id)])));

      expect(within(bar).getByText(`with ${included.length} transcripts.`, { exact: false })).toHaveTextContent(zip?.name as string);
      const after = within(bar).getByText(`Left out of the last zip: ${leftOutCount + 1} jobs (1 not finished, ${failed.length} failed, 1 could not be fetched).`).closest('details') as HTMLElement;
      expect(after).toHaveAttribute('open');
      const refusedItem = within(after)
        .getAllByRole('listitem')
        .find((item) => item.textContent?.startsWith(`${refused[0]?.id} (${refused[0]?.file.name}): `));
      expect(refusedItem?.textContent).toMatch(/: its transcript could not be fetched: .+ \(job_not_found, HTTP 404, request req_\w+\)$/);
    } finally {
      downloads.restore();
    }

    await view.user.click(within(bar).getByRole('button', { name: 'Clear selection' }));
    expect(within(bar).getByText('None selected')).toBeVisible();
    expect(screen.getByRole('checkbox', { name: `Select ${jobs[0]?.file.name} (${jobs[0]?.id})` })).not.toBeChecked();
  });

  it('shows n of N fetched as a named progress bar, and a cancelled download saves nothing and asks for nothing more', async () => {
    const account = harness.account({ seedJobs: 12, seedFailedShare: 0, seed: 3 });
    const view = await signedInOnJobs(account, 12);
    const bar = screen.getByRole('region', { name: 'Selection and transcript download' });
    await view.user.click(within(bar).getByRole('checkbox', { name: 'Select all 12 loaded' }));
    await view.user.selectOptions(within(bar).getByLabelText('Format'), 'srt');
    const held = harness.holdNext((request) => new URL(request.url).pathname.endsWith('/transcript'));
    const downloads = captureDownloads();
    try {
      await view.user.click(within(bar).getByRole('button', { name: 'Download 12 transcripts (.zip)' }));
      await held.arrived;
      const progress = within(bar).getByRole('progressbar', { name: 'Transcripts fetched' });
      expect(progress).toHaveAttribute('max', '12');
      expect(within(bar).getByText('0 of 12 transcripts fetched')).toBeVisible();
      // The keyboard's focus goes from the (now disabled) Download button to Cancel, and back once it is done.
      expect(within(bar).getByRole('button', { name: 'Cancel download' })).toHaveFocus();
      await view.user.keyboard('{Enter}');
      expect(await within(bar).findByText('Download cancelled after 0 of 12 transcripts; no zip was saved.')).toBeVisible();
      expect(within(bar).getByRole('button', { name: 'Download 12 transcripts (.zip)' })).toHaveFocus();
      held.release('answer');
      await held.done;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(downloads.saved).toEqual([]);
      // Only the first window of reads (four at a time) was ever sent.
      expect(transcriptReads().length).toBeLessThanOrEqual(4);
      expect(within(bar).queryByRole('progressbar')).toBeNull();
      expect(within(bar).getByRole('button', { name: 'Download 12 transcripts (.zip)' })).toBeEnabled();
    } finally {
      downloads.restore();
    }
  });
});
