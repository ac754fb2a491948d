// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { goTo, jobsPerFile, setupAppHarness, signedInOnUpload, uploadFiles, wavFile } from '../testing/render-app';

/**
 * Issue 14: NovaPulse on another origin that sends its headers but does not expose them (no
 * Access-Control-Expose-Headers): the page reads only the CORS-safelisted ones. The simulator's `headersHidden`
 * fault answers as the page then sees it; its log still records what was sent.
 */
const harness = setupAppHarness();

const LIMIT = 6;
const MINUTE = 60_000;

/** Moves fake time (the console's timers and the simulator's clock both read it), letting the network answer. */
async function advance(ms: number) {
  for (let left = ms; left > 0; left -= 250) {
    await vi.advanceTimersByTimeAsync(Math.min(250, left));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describe('an API that hides its headers from the page (CORS without Expose-Headers)', { timeout: 120_000 }, () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => vi.useRealTimers());

  it('a batch of 10 on a key allowed 6 a minute: one job per file, at most one 429 probe a minute; the gauge and Settings say what is missing', async () => {
    // Jobs end in 2 s, so slots are no bottleneck: the rate limit is.
    const account = harness.account({ tier: 'growth', timing: { queueMs: [0, 0], processMs: [2_000, 2_000] } });
    harness.simulator.setFaults(account.accountId, { rateLimit: LIMIT, headersHidden: true });
    const { user } = await signedInOnUpload(account);
    const names = Array.from({ length: 10 }, (_, index) => `call-${index + 1}.wav`);
    await uploadFiles(
      user,
      names.map((name) => wavFile(name)),
    );

    for (let spent = 0; spent < 6 * MINUTE && account.jobs().length < names.length; spent += 1_000) await advance(1_000);
    expect(jobsPerFile(account)).toEqual(Object.fromEntries(names.map((name) => [name, 1])));

    // The simulator's own records, by its fixed one-minute windows.
    const perWindow = new Map<number, { refused: number }>();
    for (const entry of account.requests()) {
      const window = Math.floor(entry.startedAt / MINUTE);
      const counts = perWindow.get(window) ?? { refused: 0 };
      if (entry.status === 429) counts.refused += 1;
      perWindow.set(window, counts);
    }
    // NovaPulse itself refuses what is over the limit, so the console's share of the damage is its 429s: at most the
    // one probe a minute (29 in one minute before the console paced itself).
    for (const [window, counts] of perWindow) expect(counts.refused, `429s in window ${window}`).toBeLessThanOrEqual(1);

    const usage = screen.getByRole('region', { name: 'Usage' });
    expect(within(usage).getByText('Not readable: the API does not expose X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset to this page.')).toBeVisible();
    expect(within(usage).queryByRole('meter', { name: 'Requests this minute' })).toBeNull();
    expect(within(usage).getByText(`kept to ${LIMIT} a minute by the console`)).toBeVisible();

    await goTo(user, 'Settings');
    const diagnosis = await screen.findByRole('region', { name: 'API headers' });
    await waitFor(() => expect(diagnosis).toHaveTextContent('answers, but this page cannot read: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-Id, Date.'));
    expect(within(diagnosis).getByText('Access-Control-Expose-Headers: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, RateLimit, Retry-After, X-Request-Id, Date')).toBeVisible();
  });

  it('with the headers readable, the same page shows the count as a meter and Settings finds nothing missing', async () => {
    const account = harness.account({ tier: 'starter' });
    const { user } = await signedInOnUpload(account);
    const usage = screen.getByRole('region', { name: 'Usage' });
    expect(await within(usage).findByRole('meter', { name: 'Requests this minute' })).toBeVisible();
    expect(within(usage).queryByText(/Not readable/)).toBeNull();
    await goTo(user, 'Settings');
    const diagnosis = await screen.findByRole('region', { name: 'API headers' });
    expect(diagnosis).toHaveTextContent('Every header the console reads is readable from');
  });
});
