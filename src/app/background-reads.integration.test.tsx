// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { settingsEvents } from '../features/settings/settings-store';
import { enterKey, renderApp, setupAppHarness } from '../testing/render-app';

const harness = setupAppHarness();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Issue 13, "Background reads outside the budget". */
describe('reads nobody clicked for', { timeout: 40_000 }, () => {
  it('entering the same key again re-reads the gauges and the newest page of the list, never the pages already loaded', async () => {
    const account = harness.account({ tier: 'growth', seedJobs: 320 });
    settingsEvents().refreshChanged(0);
    const { user } = renderApp({ path: '/jobs' });
    await enterKey(user, account.keys.full);
    const list = await screen.findByRole('list', { name: /jobs/i }, { timeout: 10_000 });
    expect(list).toBeVisible();
    for (let page = 2; page <= 3; page++) {
      await user.click(await screen.findByRole('button', { name: 'Load more' }, { timeout: 10_000 }));
      await waitFor(() => expect(pageReads(account.requests()).filter((read) => read.cursor).length).toBe(page - 1), { timeout: 10_000 });
    }
    await pause(500);
    const before = account.requests().length;

    await user.click(screen.getByRole('button', { name: 'API key' }));
    await enterKey(user, account.keys.full);
    await waitFor(() => expect(account.requests().slice(before).some((entry) => entry.path === '/v1/account')).toBe(true), { timeout: 5_000 });
    await pause(1_500);
    const after = pageReads(account.requests().slice(before));
    // The newest page once (new jobs show at the top); the two pages scrolled through are not read again.
    expect(after).toEqual([{ cursor: null }]);
  });

  it('a job page at the 2 s refresh reads the job once: its status comes from the shared poll, not a second poll of its own', async () => {
    const account = harness.account({ tier: 'starter', seedJobs: 5 });
    const settled = account.jobs().find((job) => job.finishesAt < Date.now());
    expect(settled).toBeDefined();
    settingsEvents().refreshChanged(2);
    const { user } = renderApp({ path: `/jobs/${settled!.id}` });
    await enterKey(user, account.keys.full);
    await screen.findByRole('heading', { name: settled!.file.name }, { timeout: 10_000 });
    const since = Date.now();
    await pause(7_000);
    const jobReads = account.requests().filter((entry) => entry.method === 'GET' && entry.path === `/v1/jobs/${settled!.id}`);
    expect(jobReads).toHaveLength(1);
    expect(jobReads[0]!.startedAt).toBeLessThan(since);
  });
});

describe('the gauges at the 2 s refresh on a starter key (60 requests a minute)', { timeout: 60_000 }, () => {
  it('once another client of the key has spent the window down to its reserve, stop reading the account until the reset', async () => {
    const account = harness.account({ tier: 'starter', seedJobs: 5, name: 'Gauge Watchers' });
    settingsEvents().refreshChanged(2);
    const { user } = renderApp();
    await enterKey(user, account.keys.full);
    // The Overview shows the account twice: the strip on every page and the account summary (its heading).
    await screen.findByRole('heading', { name: 'Gauge Watchers' }, { timeout: 10_000 });
    await pause(1_000);
    // Another client of the same key (a script, a colleague) spends the minute down to 14 left.
    // The window is the simulator's current minute: start the watch early in one, so its 12 s stay inside it.
    const probe = await harness.simulator.handle({ method: 'GET', path: '/v1/account', authorization: `Bearer ${account.keys.full}` });
    const resetInSeconds = Number(probe.headers['X-RateLimit-Reset']);
    if (resetInSeconds < 20) await pause(resetInSeconds * 1_000 + 500);
    let remaining = 60;
    while (remaining > 14) {
      const answer = await harness.simulator.handle({ method: 'GET', path: '/v1/account', authorization: `Bearer ${account.keys.full}` });
      remaining = Number(answer.headers['X-RateLimit-Remaining']);
    }
    expect(remaining).toBe(14);
    const burnt = account.requests().length;
    await pause(12_000);
    const reads = account.requests().slice(burnt).filter((entry) => entry.path === '/v1/account');
    // docs/decisions.md: reads nobody clicked for leave 25 % of the window (15 of 60) to uploads and clicks. The
    // console learns the count from its next read at the latest, then waits for the reset (tens of seconds away).
    // A gauge polling on its own interval read 6 times in these 12 s.
    expect(reads.length).toBeLessThanOrEqual(2);
    expect(reads.every((entry) => entry.status === 200)).toBe(true);
  });
});

/** GET /v1/jobs reads of a list (not the poll's ?ids= reads), with the cursor each asked for. */
function pageReads(entries: ReturnType<ReturnType<typeof harness.account>['requests']>) {
  return entries
    .map((entry) => ({ entry, query: new URLSearchParams(entry.query) }))
    .filter(({ entry, query }) => entry.method === 'GET' && entry.path === '/v1/jobs' && !query.has('ids'))
    .map(({ query }) => ({ cursor: query.get('cursor') }));
}
