// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { rowRerunName } from '../testing/rerun-names';
import { enterKey, goTo, renderApp, type SimAccountHandle, setupAppHarness, uploadFiles, wavBytes, wavFile } from '../testing/render-app';
import { FAST_JOBS, failureRow, fakeDateEachTest, simJobs } from '../testing/rerun-harness';

const harness = setupAppHarness();

/** The bytes `startJobElsewhere` sent for `name`, as the colleague's file on disk. */
const colleaguesFile = (name: string) => new File([wavBytes(`elsewhere:${name}`)], name, { type: 'audio/wav' });

/** Failed jobs made by another client of the account: this browser never held their bytes. */
async function colleaguesFailures(account: SimAccountHandle, names: string[]) {
  harness.simulator.setFaults(account.accountId, { processingFailure: { code: 'internal_error', count: names.length } });
  const ids: string[] = [];
  for (const name of names) ids.push(await account.startJobElsewhere(name));
  await waitFor(() => expect(simJobs(harness.simulator, account).filter((job) => ids.includes(job.id)).map((job) => job.status)).toEqual(names.map(() => 'failed')), { timeout: 15_000 });
  // Past NovaPulse's 60 s window for the same upload.
  harness.simulator.advanceTime(account.accountId, 61_000);
  return ids;
}

describe('re-run where the bytes are', { timeout: 60_000 }, () => {
  fakeDateEachTest();

  it("a colleague's failed row says its file is not kept, its click asks for the file, other bytes are refused with nothing sent, and the job's own bytes re-run it", async () => {
    const account = harness.account({ tier: 'growth', timing: FAST_JOBS });
    const [id] = (await colleaguesFailures(account, ['their-call.wav'])) as [string];
    const view = renderApp({ path: '/failed' });
    await enterKey(view.user, account.keys.full);
    await screen.findByText('1 failed job in the last 7 days', undefined, { timeout: 10_000 });
    const row = failureRow(id);
    await within(row).findByText('File not kept: you pick it');
    const sameAgain = within(row).getByRole('button', { name: rowRerunName(id, 'Re-run') });
    expect(sameAgain).toHaveAccessibleName(`Re-run: their-call.wav (${id}), pick the file`);
    await view.user.click(sameAgain);
    const input = within(row).getByLabelText(`File to re-run their-call.wav (${id}) with`);

    await view.user.upload(input, new File([wavBytes('some other call')], 'their-call.wav', { type: 'audio/wav' }));
    expect(await within(row).findByRole('alert')).toHaveTextContent('their-call.wav is not the file this job was made from');
    expect(account.uploadsAnswered()).toHaveLength(1);

    await view.user.upload(input, colleaguesFile('their-call.wav'));
    await waitFor(() => expect(simJobs(harness.simulator, account)).toHaveLength(2), { timeout: 15_000 });
    const fresh = simJobs(harness.simulator, account).find((job) => job.id !== id);
    expect(fresh).toMatchObject({ name: 'their-call.wav', pipeline: 'transcription', sha256: simJobs(harness.simulator, account).find((job) => job.id === id)?.sha256 });
    await waitFor(() => expect(failureRow(id)).toHaveTextContent(`Re-run as ${fresh?.id}`), { timeout: 10_000 });
  });

  it('a group of kept and not-kept files: one click sends the kept at once and asks for the rest; a pick in any order with a stranger re-runs each once and names the stranger', async () => {
    const account = harness.account({ tier: 'growth', timing: FAST_JOBS });
    const theirs = await colleaguesFailures(account, ['a.wav', 'b.wav']);
    // One more failure, uploaded from this browser: its bytes are kept.
    harness.simulator.setFaults(account.accountId, { processingFailure: { code: 'internal_error', count: 1 } });
    const view = renderApp({ path: '/upload' });
    await view.user.click(await screen.findByRole('checkbox', { name: 'Remember on this device' }));
    await enterKey(view.user, account.keys.full);
    await uploadFiles(view.user, [wavFile('mine.wav')]);
    await waitFor(() => expect(simJobs(harness.simulator, account).map((job) => job.status)).toEqual(['failed', 'failed', 'failed']), { timeout: 15_000 });
    const mine = simJobs(harness.simulator, account).find((job) => job.name === 'mine.wav')?.id as string;
    harness.simulator.advanceTime(account.accountId, 61_000);
    vi.setSystemTime(Date.now() + 61_000);

    await goTo(view.user, 'Failed jobs');
    await screen.findByText('3 failed jobs in the last 7 days', undefined, { timeout: 10_000 });
    const group = screen.getByRole('region', { name: /\(internal_error\)/ });
    await within(group).findByText('1 of 3 files are kept in this browser; the re-run asks you to pick the other 2.');
    expect(within(failureRow(mine)).getByText('File kept here')).toBeVisible();
    for (const id of theirs) expect(within(failureRow(id)).getByText('File not kept: you pick it')).toBeVisible();

    await view.user.click(within(group).getByRole('button', { name: 'Re-run all 3 (pick 2 files)' }));
    // The kept one goes without waiting for the pick.
    await waitFor(() => expect(simJobs(harness.simulator, account).filter((job) => job.name === 'mine.wav')).toHaveLength(2), { timeout: 15_000 });
    const toPick = within(group).getByRole('list', { name: 'Files still to pick' });
    expect(within(toPick).getAllByRole('listitem').map((item) => item.textContent?.split(':')[0]).sort()).toEqual(['a.wav', 'b.wav']);

    const stranger = new File([wavBytes('nobody’s call')], 'stranger.wav', { type: 'audio/wav' });
    await view.user.upload(within(group).getByLabelText('Files for the group’s re-run'), [colleaguesFile('b.wav'), stranger, colleaguesFile('a.wav')]);
    expect(await within(group).findByRole('alert')).toHaveTextContent('stranger.wav is not the file of any job waiting here');
    await waitFor(() => expect(simJobs(harness.simulator, account)).toHaveLength(6), { timeout: 15_000 });
    const names = simJobs(harness.simulator, account).map((job) => job.name);
    expect(names.filter((name) => name === 'a.wav')).toHaveLength(2);
    expect(names.filter((name) => name === 'b.wav')).toHaveLength(2);
    expect(names).not.toContain('stranger.wav');
    await waitFor(() => expect(within(group).queryByRole('list', { name: 'Files still to pick' })).toBeNull());
  });
});
