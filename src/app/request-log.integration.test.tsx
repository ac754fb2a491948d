// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { type goTo, queueRow, reloadApp, setupAppHarness, signedInOnUpload, uploadFiles, wavFile } from '../testing/render-app';

const harness = setupAppHarness();

async function openRequestLog(user: Parameters<typeof goTo>[0]) {
  await user.click(screen.getByRole('button', { name: 'Request log' }));
  return screen.findByRole('complementary', { name: 'Request log' }, { timeout: 5_000 });
}

describe('the request log', { timeout: 30_000 }, () => {
  it('survives a reload of the tab: what the page sent before is listed under its own heading, the upload named by its file, and the key is nowhere in the tab\'s storage', async () => {
    const account = harness.account();
    const view = await signedInOnUpload(account, { remember: true });
    await uploadFiles(view.user, [wavFile('meeting.wav')]);
    await within(queueRow('meeting.wav')).findByText('Accepted', {}, { timeout: 10_000 });
    const [upload] = account.uploadsAnswered();
    expect(upload?.status).toBe(202);
    const before = new Set(account.requests().map((entry) => entry.requestId));

    await reloadApp(view, { path: '/jobs' });
    await screen.findByRole('heading', { name: 'Jobs' }, { timeout: 5_000 });
    await waitFor(() => expect(account.requests().some((entry) => !before.has(entry.requestId))).toBe(true));
    const drawer = await openRequestLog(view.user);

    const rows = within(drawer).getAllByRole('row');
    const heading = rows.findIndex((row) => within(row).queryByRole('columnheader', { name: 'Before this page was loaded (earlier in this tab)' }));
    expect(heading).toBeGreaterThan(0);
    const uploadRow = rows.find((row) => row.textContent?.includes(upload?.requestId ?? 'none'));
    expect(uploadRow).toBeDefined();
    expect(uploadRow).toHaveTextContent('POST /v1/jobs');
    expect(uploadRow).toHaveTextContent('meeting.wav');
    expect(uploadRow).toHaveTextContent('202');
    // Each row sits in its page load's group: the earlier page's under the heading, this page's above it.
    const idsIn = (part: HTMLElement[]) => part.flatMap((row) => (/req_\w+/.exec(row.textContent ?? '') ?? []).map(String));
    const above = idsIn(rows.slice(1, heading));
    const below = idsIn(rows.slice(heading + 1));
    expect(below).toContain(upload?.requestId);
    expect(above.length).toBeGreaterThan(0);
    expect(above.every((id) => !before.has(id))).toBe(true);
    expect(below.every((id) => before.has(id))).toBe(true);
    expect(drawer).toHaveTextContent('the newest 500, kept until the tab is closed');
    // StrictMode (as in the dev server) mounted each screen twice; the reads it cancelled and sent again are one row each.
    expect(drawer).not.toHaveTextContent('cancelled by the console');

    const stored = Object.values({ ...sessionStorage }).join('\n');
    expect(stored).toContain(upload?.requestId);
    expect(stored).not.toContain(account.keys.full);
  });
});
