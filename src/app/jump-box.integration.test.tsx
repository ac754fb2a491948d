// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import { enterKey, renderApp, setupAppHarness } from '../testing/render-app';

const harness = setupAppHarness();

describe('the assembled console: the jump box and API keys', { timeout: 20_000 }, () => {
  it('a key pasted into the jump box is refused with a message: no navigation, no search, the key nowhere in a URL', async () => {
    const account = harness.account();
    const view = renderApp({ path: '/settings' });
    await enterKey(view.user, account.keys.full);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const before = view.router.state.location.href;
    const jump = screen.getByRole('searchbox', { name: 'Jump to a job' });
    await view.user.click(jump);
    await view.user.paste(account.keys.full);
    await view.user.keyboard('{Enter}');

    expect(await screen.findByRole('alert')).toHaveTextContent('That looks like an API key, so it was not searched for.');
    expect(jump).toHaveValue('');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(view.router.state.location.href).toBe(before);
    const secret = account.keys.full.slice(8);
    expect(harness.sent.filter((request) => request.url.href.includes(secret)).map((request) => request.url.href)).toEqual([]);

    // Anything else still searches, and the message goes once the person types again.
    await view.user.type(jump, 'call-0042.mp3{Enter}');
    await waitFor(() => expect(view.router.state.location.pathname).toBe('/jobs'));
    expect(view.router.state.location.search).toEqual({ q: 'call-0042.mp3' });
    expect(screen.queryByText(/That looks like an API key/)).toBeNull();
  });
});
