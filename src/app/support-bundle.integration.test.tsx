// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { enterKey, goTo, renderApp, setupAppHarness } from '../testing/render-app';

const harness = setupAppHarness();

describe('the assembled console: support bundles of processing failures', { timeout: 30_000 }, () => {
  it('a job that failed while processing: its bundle (Failed jobs and the job page) says so, and claims no HTTP status', async () => {
    const account = harness.account({ tier: 'growth' });
    const jobId = await account.startJobElsewhere('broke-while-processing.wav');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(harness.simulator.failProcessingJobs(account.accountId, 'internal_error')).toBe(1);
    const failedJob = account.jobs()[0]!;
    expect(failedJob.id).toBe(jobId);

    const { user } = renderApp();
    await enterKey(user, account.keys.full);
    await goTo(user, 'Failed jobs');
    await user.click(await screen.findByRole('button', { name: 'Select everything matching (1)' }, { timeout: 10_000 }));
    await user.click(screen.getByRole('button', { name: 'Support bundle for the selection' }));
    const selection = within(screen.getByRole('region', { name: 'Support bundle for the selection' })).getByText(/NovaPulse Console support bundle/).textContent ?? '';
    expect(selection).toContain(`job id: ${jobId}`);
    expect(selection).toContain('failure: the job failed while processing (its status is "failed"; no HTTP request failed)');
    expect(selection).toContain("error: internal_error (the job's error code)");
    expect(selection).not.toMatch(/HTTP \d{3}/);

    await user.click(screen.getAllByRole('link', { name: jobId })[0]!);
    const bundle = await screen.findByLabelText(/^Support bundle/, undefined, { timeout: 10_000 });
    await waitFor(() => expect((bundle as HTMLTextAreaElement).value).toContain(`job id: ${jobId}`));
    const onPage = (bundle as HTMLTextAreaElement).value;
    expect(onPage).toContain('failure: the job failed while processing (its status is "failed"; no HTTP request failed)');
    expect(onPage).not.toMatch(/HTTP \d{3}|no answer from the server/);
  });
});
