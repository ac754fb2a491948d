// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { enterKey, goTo, jobsPerFile, queueRow, renderApp, setupAppHarness, uploadFiles, wavFile } from '../testing/render-app';

const harness = setupAppHarness();

/** Issue 13, "A batch stalls after the Overview was opened": the path a person takes from sign-in. */
describe('signed in on the Overview, then a batch larger than the free slots', { timeout: 60_000 }, () => {
  it('every file becomes one job, each row follows its job to the end, and the page throws nothing', async () => {
    const account = harness.account({ tier: 'starter', timing: { queueMs: [0, 0], processMs: [30_000, 30_000] } });
    const truth = await account.accountView();
    // Starter: 2 slots, so 4 files must wait for the first jobs to end.
    expect(truth.limits.concurrent_jobs).toBe(2);
    const pageErrors: unknown[] = [];
    const onError = (event: ErrorEvent) => pageErrors.push(event.error);
    const onRejection = (event: PromiseRejectionEvent) => pageErrors.push(event.reason);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    const nodeRejections: unknown[] = [];
    const onNodeRejection = (reason: unknown) => nodeRejections.push(reason);
    process.on('unhandledRejection', onNodeRejection);
    const consoleErrors = vi.spyOn(console, 'error');
    try {
      const { user } = renderApp();
      await enterKey(user, account.keys.full);
      // Sign-in lands on the Overview; its 24-hour panel loads before the person moves on.
      const panel = await screen.findByRole('region', { name: 'Last 24 hours' });
      await within(panel).findByText(/No job was created in the last 24 hours|jobs? created/, {}, { timeout: 10_000 });

      await goTo(user, 'Upload');
      await screen.findByRole('heading', { name: 'Upload audio' });
      const files = ['first.wav', 'second.wav', 'third.wav', 'fourth.wav'].map((name) => wavFile(name));
      await uploadFiles(user, files);
      await waitFor(() => expect(account.jobs()).toHaveLength(2), { timeout: 10_000 });

      // The first two jobs finish in the simulator; the console must learn it from its poll and send the rest.
      harness.simulator.advanceTime(account.accountId, 31_000);
      await waitFor(() => expect(account.jobs()).toHaveLength(4), { timeout: 20_000 });
      harness.simulator.advanceTime(account.accountId, 31_000);
      for (const file of files) {
        await waitFor(() => expect(queueRow(file.name)).toHaveTextContent(/completed/i), { timeout: 20_000 });
      }
      expect(jobsPerFile(account)).toEqual({ 'first.wav': 1, 'second.wav': 1, 'third.wav': 1, 'fourth.wav': 1 });
      expect(account.requests().filter((entry) => entry.status === 429)).toEqual([]);
      expect([...pageErrors, ...nodeRejections]).toEqual([]);
      expect(consoleErrors.mock.calls.filter((call) => String(call[0]).includes('TypeError'))).toEqual([]);
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
      process.off('unhandledRejection', onNodeRejection);
      consoleErrors.mockRestore();
    }
  });
});
