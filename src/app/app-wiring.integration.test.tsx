// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { enterKey, goTo, queueRow, renderApp, type SimAccountHandle, setupAppHarness, uploadFiles, wavFile } from '../testing/render-app';

const harness = setupAppHarness();

describe('the assembled console', { timeout: 20_000 }, () => {
  it('signs in: the key dialog opens without a key, and the Overview shows the account and its gauges as the simulator counts them', async () => {
    const account = harness.account({ tier: 'starter', name: 'Harbour Logistics' });
    await account.startJobElsewhere('already-running.wav');
    const truth = await account.accountView();
    expect(truth.usage.active_jobs).toBe(1);
    const before = account.requests().length;
    const { user } = renderApp();

    const dialog = await screen.findByRole('dialog', { name: 'Enter your NovaPulse API key' });
    // Nothing goes out without a key.
    expect(harness.sent).toEqual([]);
    await enterKey(user, account.keys.full);
    await waitFor(() => expect(dialog).not.toBeVisible());
    expect(screen.queryByRole('dialog')).toBeNull();

    await screen.findByRole('heading', { name: 'Harbour Logistics' });
    const concurrency = screen.getByRole('meter', { name: 'Concurrent jobs' });
    expect(concurrency).toHaveAttribute('max', String(truth.limits.concurrent_jobs));
    expect(concurrency).toHaveAttribute('value', String(truth.usage.active_jobs));
    const audio = screen.getByRole('meter', { name: 'Audio this period' });
    expect(Number(audio.getAttribute('max'))).toBeCloseTo(truth.usage.audio_seconds_included / 3600, 6);
    expect(Number(audio.getAttribute('value'))).toBeCloseTo(truth.usage.audio_seconds_used / 3600, 6);
    const requests = screen.getByRole('meter', { name: 'Requests this minute' });
    expect(requests).toHaveAttribute('max', String(truth.limits.requests_per_minute));
    const consoleRequests = account.requests().slice(before);
    expect(harness.sent.length).toBeGreaterThan(0);
    expect(harness.sent.every((request) => request.key === account.keys.full)).toBe(true);
    const latest = consoleRequests.at(-1);
    expect(latest?.status).toBe(200);
    await waitFor(() => expect(requests).toHaveAttribute('value', String(truth.limits.requests_per_minute - (latest?.rateLimitRemaining ?? Number.NaN))));
  });

  /** Signs in with the full key and opens the Upload page, ready to pick files. */
  async function signedInOnUpload(account: SimAccountHandle, options: { remember?: boolean } = {}) {
    const view = renderApp();
    if (options.remember) await view.user.click(await screen.findByRole('checkbox', { name: 'Remember on this device' }));
    await enterKey(view.user, account.keys.full);
    await goTo(view.user, 'Upload');
    await screen.findByRole('heading', { name: 'Upload audio' });
    return view;
  }

  /** The simulator's jobs per file name: exactly one each means nothing was lost or sent twice. */
  function jobsPerFile(account: SimAccountHandle) {
    const counts: Record<string, number> = {};
    for (const job of account.jobs()) counts[job.file.name] = (counts[job.file.name] ?? 0) + 1;
    return counts;
  }

  it('a key refused once and entered again, the same key: the dialog opens, the uploads wait, then go once each', async () => {
    const account = harness.account({ tier: 'starter' });
    const { user } = await signedInOnUpload(account);
    // NovaPulse refuses the key once (a revocation undone in the dashboard, say); the same key works again after.
    harness.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'invalid_api_key', remaining: 1 }] });
    const files = [wavFile('same-key-1.wav'), wavFile('same-key-2.wav')];
    await uploadFiles(user, files);

    const dialog = await screen.findByRole('dialog', {}, { timeout: 5_000 });
    // error-behaviour.md: invalid_api_key shows "check Settings > API Keys in the NovaPulse dashboard".
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/Settings > API Keys/);
    expect(account.uploadsAnswered().map((entry) => entry.code)).toEqual(['invalid_api_key']);
    for (const file of files) {
      expect(within(queueRow(file.name)).queryByText('Failed')).toBeNull();
      expect(within(queueRow(file.name)).getByText('Waiting for a free slot')).toBeInTheDocument();
    }
    expect(account.jobs()).toHaveLength(0);

    await enterKey(user, account.keys.full);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    for (const file of files) await within(queueRow(file.name)).findByText('Accepted', {}, { timeout: 8_000 });
    expect(jobsPerFile(account)).toEqual({ 'same-key-1.wav': 1, 'same-key-2.wav': 1 });
    expect(account.uploadsAnswered().filter((entry) => entry.status === 202)).toHaveLength(2);
  });

  it('a key that expired while uploads were queued, replaced by a new key: the uploads wait, then go once each on the new key', async () => {
    const account = harness.account({ tier: 'starter' });
    const { user } = await signedInOnUpload(account);
    harness.simulator.expireKeyNow(account.accountId);
    const files = [wavFile('new-key-1.wav'), wavFile('new-key-2.wav')];
    await uploadFiles(user, files);

    const dialog = await screen.findByRole('dialog', {}, { timeout: 5_000 });
    // error-behaviour.md: expired_api_key shows "generate a new key".
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/generate a new key/i);
    for (const file of files) {
      expect(within(queueRow(file.name)).queryByText('Failed')).toBeNull();
      expect(within(queueRow(file.name)).getByText('Waiting for a free slot')).toBeInTheDocument();
    }
    expect(account.jobs()).toHaveLength(0);
    expect(account.uploadsAnswered().every((entry) => entry.code === 'expired_api_key')).toBe(true);

    const newKey = harness.simulator.issueKey(account.accountId);
    await enterKey(user, newKey);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    for (const file of files) await within(queueRow(file.name)).findByText('Accepted', {}, { timeout: 8_000 });
    expect(jobsPerFile(account)).toEqual({ 'new-key-1.wav': 1, 'new-key-2.wav': 1 });
    const accepted = harness.sent.filter((request) => request.method === 'POST' && request.url.pathname === '/v1/jobs' && request.key === newKey);
    expect(accepted.length).toBeGreaterThanOrEqual(2);
  });
});
