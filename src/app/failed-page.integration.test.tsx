// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { enterKey, goTo, renderApp, setupAppHarness, signedInOnUpload, uploadFiles, wavFile } from '../testing/render-app';

const harness = setupAppHarness();

describe('the Failed jobs page', { timeout: 30_000 }, () => {
  it('lists an upload NovaPulse refused (it never became a job) beside the failed jobs, marked as such', async () => {
    const account = harness.account({ tier: 'growth' });
    const { user } = renderApp();
    await enterKey(user, account.keys.full);
    await goTo(user, 'Upload');
    await screen.findByRole('heading', { name: 'Upload audio' });
    harness.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'invalid_language_code', remaining: 1 }] });
    await uploadFiles(user, [wavFile('refused.wav')]);
    await screen.findByText('Language code not valid', undefined, { timeout: 10_000 });
    expect(account.jobs()).toHaveLength(0);

    await goTo(user, 'Failed jobs');
    expect(await screen.findByText('0 failed jobs in the last 7 days, and 1 upload NovaPulse refused', undefined, { timeout: 10_000 })).toBeVisible();
    const refused = screen.getByRole('region', { name: 'Uploads NovaPulse refused' });
    expect(within(refused).getByText(/1 upload from this browser never became jobs/)).toBeVisible();
    const row = within(screen.getByRole('list', { name: 'Failures, newest first' })).getByRole('listitem');
    expect(row).toHaveTextContent('Refused upload (no job)');
    expect(row).toHaveTextContent('refused.wav');
    expect(row).toHaveTextContent('invalid_language_code');
  });
});

describe('the selection on Failed jobs', { timeout: 60_000 }, () => {
  it('does not survive a filter change that hides it', async () => {
    const account = harness.account({ tier: 'growth', timing: { queueMs: [0, 0], processMs: [200, 400] } });
    harness.simulator.setFaults(account.accountId, { processingFailure: { code: 'internal_error', count: 2 } });
    const { user } = await signedInOnUpload(account);
    await uploadFiles(user, [wavFile('hide-1.wav'), wavFile('hide-2.wav')]);
    const sim = harness.simulator.account(account.accountId);
    await waitFor(() => expect(account.jobs().map((job) => harness.simulator.jobStatus(sim, job).status)).toEqual(['failed', 'failed']), { timeout: 15_000 });
    const hidden = account.jobs().find((job) => job.file.name === 'hide-1.wav')?.id as string;

    await goTo(user, 'Failed jobs');
    await screen.findByText('2 failed jobs in the last 7 days', undefined, { timeout: 10_000 });
    await user.click(screen.getByRole('checkbox', { name: `Select ${hidden}` }));
    const selection = screen.getByRole('region', { name: 'Selection' });
    expect(selection).toHaveTextContent('1 selected');

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'hide-2');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText('1 failed job in the last 7 days', undefined, { timeout: 10_000 });
    expect(screen.queryByRole('checkbox', { name: `Select ${hidden}` })).toBeNull();
    expect(selection).toHaveTextContent('0 selected');

    await user.clear(screen.getByRole('searchbox', { name: 'Search' }));
    await screen.findByText('2 failed jobs in the last 7 days', undefined, { timeout: 10_000 });
    expect(screen.getByRole('checkbox', { name: `Select ${hidden}` })).not.toBeChecked();
  });
});

describe('counting failures through a fault (issue 13: "Counting paused" forever)', { timeout: 30_000 }, () => {
  it('a 401 while counting pauses it and offers Resume; the key entered again resumes it by itself, to the simulator’s true count', async () => {
    const account = harness.account({ tier: 'growth', seedJobs: 300, seedFailedShare: 1 });
    const since = Date.now() - 7 * 24 * 3_600_000;
    const trueCount = account.jobs().filter((job) => job.outcome.kind === 'failed' && job.finishesAt <= Date.now() && job.createdAt >= since).length;
    expect(trueCount).toBeGreaterThan(100);
    const { user } = renderApp();
    await enterKey(user, account.keys.full);
    await screen.findByRole('heading', { level: 1 });
    // The key is refused once, on the count's first page.
    harness.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'GET /v1/jobs', code: 'invalid_api_key', remaining: 1 }] });
    await goTo(user, 'Failed jobs');
    expect(await screen.findByRole('button', { name: 'Resume counting' }, { timeout: 10_000 })).toBeVisible();
    expect(screen.getByText(/Counting paused/)).toBeVisible();

    await enterKey(user, account.keys.full);
    expect(await screen.findByText(`${trueCount} failed jobs in the last 7 days`, undefined, { timeout: 15_000 })).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Resume counting' })).toBeNull();
  });
});
