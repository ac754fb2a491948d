// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { goTo, reloadApp, type SimAccountHandle, setupAppHarness, signedInOnUpload, uploadFiles, wavFile } from '../testing/render-app';
import { rowRerunName } from '../testing/rerun-names';
import { FAST_JOBS, failureRow, fakeDateEachTest, simJobs } from '../testing/rerun-harness';

const harness = setupAppHarness();

/** The full-analysis jobs made from this account's files: the re-runs, as NovaPulse counts them. */
function rerunJobs(account: SimAccountHandle) {
  return simJobs(harness.simulator, account).filter((job) => job.pipeline === 'full-analysis');
}

/** Uploads `names` as transcription jobs that fail while processing (internal_error), and waits until NovaPulse says they failed. */
async function failedUploads(account: SimAccountHandle, names: string[]) {
  harness.simulator.setFaults(account.accountId, { processingFailure: { code: 'internal_error', count: names.length } });
  const view = await signedInOnUpload(account, { remember: true });
  await uploadFiles(view.user, names.map((name) => wavFile(name)));
  const ours = () => simJobs(harness.simulator, account).filter((job) => names.includes(job.name));
  await waitFor(() => expect(ours().map((job) => job.status)).toEqual(names.map(() => 'failed')), { timeout: 15_000 });
  const byName = new Map(simJobs(harness.simulator, account).map((job) => [job.name, job.id]));
  return { view, ids: names.map((name) => byName.get(name) as string) };
}

async function onFailedJobs(user: Parameters<typeof goTo>[0], count: number) {
  await goTo(user, 'Failed jobs');
  await screen.findByText(`${count} failed job${count === 1 ? '' : 's'} in the last 7 days`, undefined, { timeout: 10_000 });
}

const group = (code: string) => screen.getByRole('region', { name: new RegExp(`\\(${code}\\)`) });

/** The browser's clock and the simulator's (which reads it) move on by `ms`: past NovaPulse's 60 s window and the queue's own hold. */
function minutePasses(ms = 61_000) {
  vi.setSystemTime(Date.now() + ms);
}

describe('a re-run is remembered (one ledger under every button)', { timeout: 60_000 }, () => {
  fakeDateEachTest();

  it('re-run from the job page; a minute later its row on Failed jobs shows "Re-run as job_… (status)" and offers no second re-run', async () => {
    const account = harness.account({ tier: 'growth', timing: FAST_JOBS });
    const { view, ids } = await failedUploads(account, ['night-1.wav']);
    const [old] = ids as [string];
    await view.router.navigate({ to: '/jobs/$jobId', params: { jobId: old } });
    await view.user.click(await screen.findByRole('button', { name: 'Re-run with full analysis' }, { timeout: 10_000 }));
    await waitFor(() => expect(rerunJobs(account)).toHaveLength(1), { timeout: 25_000 });
    const [fresh] = rerunJobs(account);
    const reruns = await screen.findByRole('region', { name: 'Re-runs' });
    await waitFor(() => expect(reruns).toHaveTextContent(new RegExp(`Re-run as ${fresh?.id} \\((queued|processing|completed|failed)\\)`)), { timeout: 10_000 });

    minutePasses();
    await onFailedJobs(view.user, 1);
    const row = failureRow(old);
    await waitFor(() => expect(row).toHaveTextContent(`Re-run as ${fresh?.id}`));
    expect(within(row).getByRole('link', { name: fresh?.id })).toHaveAttribute('href', `/jobs/${fresh?.id}`);
    expect(within(row).queryByRole('button', { name: /Re-run with full analysis/ })).toBeNull();
    // The group leaves it out too: nothing there would send it again.
    expect(within(group('internal_error')).queryByRole('button', { name: /^Re-run/ })).toBeNull();
    expect(within(group('internal_error')).getByText('All 1 already re-run')).toBeVisible();
    expect(rerunJobs(account)).toHaveLength(1);
  });

  it('a second re-run from the job page is asked for first, and goes once confirmed', async () => {
    const account = harness.account({ tier: 'growth', timing: FAST_JOBS });
    const { view, ids } = await failedUploads(account, ['twice.wav']);
    const [old] = ids as [string];
    await view.router.navigate({ to: '/jobs/$jobId', params: { jobId: old } });
    await view.user.click(await screen.findByRole('button', { name: 'Re-run with full analysis' }, { timeout: 10_000 }));
    await waitFor(() => expect(rerunJobs(account)).toHaveLength(1), { timeout: 25_000 });
    minutePasses();

    await view.user.click(await screen.findByRole('button', { name: 'Re-run with full analysis again…' }));
    const confirm = screen.getByRole('alertdialog', { name: `Re-run ${old} again?` });
    expect(within(confirm).getByRole('button', { name: 'No, keep the earlier re-run' })).toHaveFocus();
    await view.user.click(within(confirm).getByRole('button', { name: 'No, keep the earlier re-run' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();

    await view.user.click(screen.getByRole('button', { name: 'Re-run with full analysis again…' }));
    await view.user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Yes, re-run again' }));
    await waitFor(() => expect(rerunJobs(account)).toHaveLength(2), { timeout: 25_000 });
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Re-runs' })).getAllByRole('listitem')).toHaveLength(2));
  });

  it('re-run from a row is remembered after leaving the page and coming back, and after a reload', async () => {
    const account = harness.account({ tier: 'growth', timing: FAST_JOBS });
    const { view, ids } = await failedUploads(account, ['kept-1.wav', 'kept-2.wav']);
    const [first, second] = ids as [string, string];
    await onFailedJobs(view.user, 2);
    await view.user.click(within(failureRow(first)).getByRole('button', { name: rowRerunName(first) }));
    await waitFor(() => expect(rerunJobs(account)).toHaveLength(1), { timeout: 25_000 });
    await waitFor(() => expect(failureRow(first)).toHaveTextContent(/Re-run as job_\S+ \(/), { timeout: 10_000 });
    minutePasses();

    await goTo(view.user, 'Upload');
    await onFailedJobs(view.user, 2);
    expect(failureRow(first)).toHaveTextContent(/Re-run as job_\S+ \(/);
    expect(within(failureRow(first)).queryByRole('button')).toBeNull();

    const reloaded = await reloadApp(view, { path: '/failed' });
    await screen.findByText('2 failed jobs in the last 7 days', undefined, { timeout: 10_000 });
    await waitFor(() => expect(failureRow(first)).toHaveTextContent(`Re-run as ${rerunJobs(account)[0]?.id}`));
    expect(within(failureRow(first)).queryByRole('button')).toBeNull();
    // The group counts only the one not yet re-run, and sends only it.
    const groupCard = group('internal_error');
    expect(within(groupCard).getByText('1 already re-run, left out')).toBeVisible();
    await reloaded.user.click(within(groupCard).getByRole('button', { name: 'Re-run all 1 with full analysis' }));
    await waitFor(() => expect(rerunJobs(account)).toHaveLength(2), { timeout: 25_000 });
    minutePasses();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(rerunJobs(account).map((job) => job.sha256).sort()).toEqual(
      simJobs(harness.simulator, account)
        .filter((job) => job.id === first || job.id === second)
        .map((job) => job.sha256)
        .sort(),
    );
  });

  it('a selection that grows (A,B then A,B,C) sends only C the second time', async () => {
    const account = harness.account({ tier: 'growth', timing: FAST_JOBS });
    const { view, ids } = await failedUploads(account, ['sel-a.wav', 'sel-b.wav', 'sel-c.wav']);
    const [a, b, c] = ids as [string, string, string];
    await onFailedJobs(view.user, 3);
    await view.user.click(screen.getByRole('checkbox', { name: `Select ${a}` }));
    await view.user.click(screen.getByRole('checkbox', { name: `Select ${b}` }));
    const selection = screen.getByRole('region', { name: 'Selection' });
    await view.user.click(within(selection).getByRole('button', { name: 'Re-run 2 selected with full analysis' }));
    await waitFor(() => expect(rerunJobs(account)).toHaveLength(2), { timeout: 25_000 });
    minutePasses();

    await view.user.click(screen.getByRole('checkbox', { name: `Select ${c}` }));
    expect(within(selection).getByText('2 already re-run, left out')).toBeVisible();
    await view.user.click(within(selection).getByRole('button', { name: 'Re-run 1 selected with full analysis' }));
    await waitFor(() => expect(rerunJobs(account)).toHaveLength(3), { timeout: 25_000 });
    minutePasses();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(rerunJobs(account)).toHaveLength(3);
    expect(new Set(rerunJobs(account).map((job) => job.sha256)).size).toBe(3);
  });

  it("a row's re-run, then the group's: the group counts and sends only the others", async () => {
    const account = harness.account({ tier: 'growth', timing: FAST_JOBS });
    const { view, ids } = await failedUploads(account, ['grp-1.wav', 'grp-2.wav', 'grp-3.wav']);
    const [first] = ids as [string];
    await onFailedJobs(view.user, 3);
    await view.user.click(within(failureRow(first)).getByRole('button', { name: rowRerunName(first) }));
    await waitFor(() => expect(rerunJobs(account)).toHaveLength(1), { timeout: 25_000 });
    minutePasses();

    const groupCard = group('internal_error');
    await waitFor(() => expect(within(groupCard).getByText('1 already re-run, left out')).toBeVisible());
    await view.user.click(within(groupCard).getByRole('button', { name: 'Re-run all 2 with full analysis' }));
    await waitFor(() => expect(rerunJobs(account)).toHaveLength(3), { timeout: 25_000 });
    minutePasses();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(rerunJobs(account)).toHaveLength(3);
    expect(within(groupCard).getByText('All 3 already re-run')).toBeVisible();
  });

  it('a group re-run while its count still reads pages says it re-runs those read so far, and never sends them again as the count grows', async () => {
    // 300 older failures of every kind (their files are not in this browser) and ours, the newest: two pages to count.
    const account = harness.account({ tier: 'growth', timing: FAST_JOBS, seedJobs: 300, seedFailedShare: 1 });
    const secondPage = harness.holdNext((request) => {
      const url = new URL(request.url);
      return url.pathname === '/v1/jobs' && url.searchParams.get('status') === 'failed' && url.searchParams.has('cursor');
    });
    const { view } = await failedUploads(account, ['count-1.wav', 'count-2.wav']);
    const before = rerunJobs(account).length;
    await goTo(view.user, 'Failed jobs');
    await secondPage.arrived;
    const groupCard = group('internal_error');
    expect(within(groupCard).getByText(/^Counting… \d+ so far$/)).toBeVisible();
    const readSoFar = within(groupCard).getByRole('button', { name: /^Re-run the \d+ read so far with full analysis/ });
    await view.user.click(readSoFar);
    await waitFor(() => expect(rerunJobs(account).length - before).toBe(2), { timeout: 10_000 });

    secondPage.release('answer');
    await screen.findByText(/^\d+ failed jobs in the last 7 days$/, undefined, { timeout: 20_000 });
    minutePasses();
    // Counted: the button names only the failures not yet re-run, ours left out.
    const all = await within(groupCard).findByRole('button', { name: /^Re-run all \d+ with full analysis/ });
    const total = Number(/(\d+) failures/.exec(within(groupCard).getByText(/^\d+ failures$/).textContent ?? '')?.[1]);
    const notYet = Number(/^Re-run all (\d+)/.exec(all.textContent ?? '')?.[1]);
    expect(notYet).toBeLessThan(total);
    // The seeded failures have no bytes in this browser: the button says so before the click, and the click asks for their files.
    expect(all).toHaveAccessibleName(`Re-run all ${notYet} with full analysis (pick ${notYet} files)`);
    await view.user.click(all);
    const toPick = await within(groupCard).findByRole('list', { name: 'Files still to pick' });
    expect(within(toPick).getAllByRole('listitem')).toHaveLength(notYet);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Nothing sent without bytes, and ours were not sent a second time.
    expect(rerunJobs(account).length - before).toBe(2);
  });
});
