// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { queueRow, setupAppHarness, signedInOnUpload, uploadFiles, wavBytes, wavFile } from '../testing/render-app';

const harness = setupAppHarness();

/** One count of the batch summary, as shown beside its label. */
function batchCount(label: string): string | null {
  const summary = screen.getByRole('region', { name: 'Upload batch' });
  const term = within(summary).queryByText(label, { selector: 'dt' });
  return term?.nextElementSibling?.textContent ?? null;
}

describe('the Upload page batch', { timeout: 30_000 }, () => {
  it('the same bytes twice in one pick (a recording also saved under another name): one job; the copy is skipped, names the file and its job, and the batch ends', async () => {
    const account = harness.account({ tier: 'starter', timing: { queueMs: [0, 0], processMs: [600_000, 600_000] } });
    const { user } = await signedInOnUpload(account);
    const bytes = wavBytes('one-recording');
    await uploadFiles(user, [new File([bytes], 'take.wav', { type: 'audio/wav' }), new File([bytes.slice()], 'take.mp3', { type: 'audio/mpeg' })]);

    const copy = () => queueRow('take.mp3');
    await within(copy()).findByText('Skipped: a repeat', undefined, { timeout: 10_000 });
    await waitFor(() => expect(account.jobs()).toHaveLength(1), { timeout: 10_000 });
    const jobId = account.jobs()[0]!.id;
    expect(account.jobs()[0]!.file.name).toBe('take.wav');
    expect(copy()).toHaveTextContent('It has the same bytes as take.wav, in this batch.');
    await within(copy()).findByRole('link', { name: jobId }, { timeout: 5_000 });
    expect(copy()).toHaveTextContent('Not sent, so it does not make a second job.');
    expect(within(copy()).getByRole('button', { name: 'Send anyway: take.mp3' })).toBeVisible();
    expect(within(copy()).queryByRole('button', { name: /^Submit when the window ends/ })).toBeNull();

    await waitFor(() => expect(batchCount('Accepted')).toBe('1'), { timeout: 10_000 });
    expect(batchCount('Skipped')).toBe('1');
    expect(batchCount('Waiting')).toBe('0');
    expect(screen.getByRole('region', { name: 'Upload batch' })).toHaveTextContent('Done');
    expect(account.uploadsAnswered()).toHaveLength(1);
  });

  it('a repeat held for the duplicate window: its "Submit when the window ends" and "Edit metadata" buttons name its file, as Cancel and Remove do', async () => {
    const account = harness.account({ tier: 'starter', timing: { queueMs: [0, 0], processMs: [600_000, 600_000] } });
    const { user } = await signedInOnUpload(account);
    const bytes = wavBytes('said-twice');
    await uploadFiles(user, [new File([bytes], 'first.wav', { type: 'audio/wav' })]);
    await within(queueRow('first.wav')).findByText('Accepted', undefined, { timeout: 10_000 });
    await uploadFiles(user, [new File([bytes.slice()], 'again.wav', { type: 'audio/wav' })]);

    const held = queueRow('again.wav');
    expect(await within(held).findByRole('button', { name: 'Submit when the window ends: again.wav' }, { timeout: 10_000 })).toBeVisible();
    expect(within(held).getByRole('button', { name: 'Edit metadata: again.wav' })).toBeVisible();
    expect(within(held).getByRole('button', { name: 'Cancel again.wav' })).toBeVisible();
    expect(account.jobs()).toHaveLength(1);
  });

  it('a file refused before sending is counted and named in the batch summary, beside the files sent', async () => {
    const account = harness.account({ tier: 'starter' });
    const { user } = await signedInOnUpload(account);
    const input = screen.getByLabelText('Choose audio files');
    await waitFor(() => expect(input).toBeEnabled(), { timeout: 5_000 });
    await user.upload(input, [wavFile('good.wav'), new File(['just some notes'], 'notes.txt', { type: 'audio/wav' })]);
    const submit = await screen.findByRole('button', { name: 'Upload 1 file' }, { timeout: 5_000 });
    await waitFor(() => expect(submit).toBeEnabled(), { timeout: 5_000 });
    await user.click(submit);

    const summary = await screen.findByRole('region', { name: 'Upload batch' });
    expect(within(summary).getByRole('heading')).toHaveTextContent('Upload batch (2 files)');
    expect(batchCount('Refused')).toBe('1');
    const refused = within(summary).getByRole('listitem', { name: 'notes.txt' });
    expect(refused).toHaveTextContent('notes.txt is not MP3, WAV, M4A, FLAC or OGG audio.');
    await waitFor(() => expect(batchCount('Accepted')).toBe('1'), { timeout: 10_000 });
    expect(account.uploadsAnswered()).toHaveLength(1);
  });

  it('during a maintenance window, queued rows say they wait for it (its Retry-After), not for a free slot', async () => {
    const account = harness.account({ tier: 'starter' });
    const { user } = await signedInOnUpload(account);
    harness.simulator.setFaults(account.accountId, { maintenanceSeconds: 120 });
    await uploadFiles(user, [wavFile('during-1.wav'), wavFile('during-2.wav'), wavFile('during-3.wav')]);
    await waitFor(() => expect(account.requests().some((entry) => entry.status === 503)).toBe(true), { timeout: 10_000 });
    await waitFor(() => expect(queueRow('during-3.wav')).toHaveTextContent(/Waiting for NovaPulse's maintenance window to end \(Retry-After, about \d+ s\)/), {
      timeout: 10_000,
    });
    expect(screen.getByRole('region', { name: /Upload queue/ })).not.toHaveTextContent('Waiting for a free slot');
  });
});
