// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { enterKey, renderApp, setupAppHarness } from '../testing/render-app';

const harness = setupAppHarness();

describe('the assembled console', () => {
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
});
