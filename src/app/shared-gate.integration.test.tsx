// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { createRequestGate, sharedGateStore } from '../api/request-gate';
import { enterKey, goTo, reloadApp, renderApp, setupAppHarness } from '../testing/render-app';

const harness = setupAppHarness();

/** Every /v1 request with the time it left. */
const sentAt: { at: number; line: string }[] = [];
harness.server.events.on('request:start', ({ request }) => {
  const url = new URL(request.url);
  if (url.pathname.startsWith('/v1/')) sentAt.push({ at: Date.now(), line: `${request.method} ${url.pathname}` });
});
const sentBefore = (time: number) => sentAt.filter((entry) => entry.at < time).map((entry) => entry.line);

/** Another tab of the same browser: its own gate over the same localStorage and BroadcastChannel. */
function anotherTab() {
  return createRequestGate({ initiallyHasKey: true, holdStore: sharedGateStore(), keyIsShared: () => true });
}

async function signedInRemembered(account: ReturnType<typeof harness.account>) {
  const view = renderApp({ path: '/jobs' });
  await view.user.click(await screen.findByRole('checkbox', { name: 'Remember on this device' }));
  await enterKey(view.user, account.keys.full);
  await waitFor(() => expect(harness.sent.some((request) => request.url.pathname === '/v1/jobs')).toBe(true), { timeout: 5_000 });
  return view;
}

describe('the assembled console: one gate for every tab', { timeout: 20_000 }, () => {
  it('a page reloaded inside a Retry-After another tab learned sends nothing until it ends', async () => {
    const account = harness.account();
    const view = await signedInRemembered(account);
    let holdEnds = 0;
    await reloadApp(view, {
      path: '/jobs',
      whileGone: async () => {
        holdEnds = Date.now() + 3_000;
        anotherTab().hold(holdEnds, 'service_unavailable');
        sentAt.length = 0;
      },
    });
    expect(await screen.findByText(/NovaPulse is under maintenance\. Requests resume in \d s\./)).toBeVisible();
    await waitFor(() => expect(sentAt.length).toBeGreaterThan(0), { timeout: 8_000 });
    expect(sentBefore(holdEnds)).toEqual([]);
  });

  it("a tab already open hears another tab's Retry-After at once: its banner counts down and its next page waits", async () => {
    const account = harness.account();
    const view = await signedInRemembered(account);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const holdEnds = Date.now() + 3_000;
    anotherTab().hold(holdEnds, 'rate_limit_exceeded');
    expect(await screen.findByText(/Rate limit reached\. The console waits \d s, as NovaPulse asked/)).toBeVisible();
    sentAt.length = 0;
    await goTo(view.user, 'Failed jobs');
    await waitFor(() => expect(sentAt.length).toBeGreaterThan(0), { timeout: 8_000 });
    expect(sentBefore(holdEnds)).toEqual([]);
  });

  it('a remembered key refused in another tab: a page reloaded with it says so at once and sends nothing', async () => {
    const account = harness.account();
    const view = await signedInRemembered(account);
    await reloadApp(view, {
      path: '/jobs',
      whileGone: async () => {
        const other = anotherTab();
        other.keyRejected('expired_api_key', other.getState().keyGeneration);
        sentAt.length = 0;
      },
    });
    expect(await screen.findByRole('dialog', { name: 'API key expired' })).toBeVisible();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sentAt).toEqual([]);
  });
});
