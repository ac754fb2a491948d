// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { enterKey, expectWaiting, jobsPerFile, queueRow, setupAppHarness, signedInOnUpload, uploadFiles, WAITING_FOR_KEY, wavFile } from '../testing/render-app';

const harness = setupAppHarness();

describe('the assembled console: key rotation', { timeout: 20_000 }, () => {
  it('a key that expired while uploads were queued, replaced by a new key: the uploads wait, then go once each on the new key', async () => {
    const account = harness.account({ tier: 'starter' });
    const { user } = await signedInOnUpload(account);
    harness.simulator.expireKeyNow(account.accountId);
    const files = [wavFile('new-key-1.wav'), wavFile('new-key-2.wav')];
    await uploadFiles(user, files);

    const dialog = await screen.findByRole('dialog', {}, { timeout: 5_000 });
    // error-behaviour.md: expired_api_key shows "generate a new key".
    expect(within(dialog).getByRole('alert')).toHaveTextContent(/generate a new key/i);
    for (const file of files) await expectWaiting(file.name, WAITING_FOR_KEY);
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
