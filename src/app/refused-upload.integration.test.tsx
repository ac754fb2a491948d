// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { enterKey, goTo, queueRow, renderApp, setupAppHarness, uploadFiles, wavFile } from '../testing/render-app';

const harness = setupAppHarness();

describe('an upload NovaPulse refused as sent (finding 17)', { timeout: 30_000 }, () => {
  it('offers no "Retry now" on a 400, marks the refused value, and sends the corrected upload once', async () => {
    const account = harness.account({ tier: 'growth' });
    const { user } = renderApp();
    await enterKey(user, account.keys.full);
    await goTo(user, 'Upload');
    await screen.findByRole('heading', { name: 'Upload audio' });
    harness.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'invalid_language_code', remaining: 1 }] });
    await uploadFiles(user, [wavFile('refused.wav')]);

    const row = () => queueRow('refused.wav');
    await within(row()).findByText('Language code not valid', undefined, { timeout: 10_000 });
    expect(within(row()).queryByRole('button', { name: /retry now/i })).toBeNull();
    const form = within(row()).getByRole('form', { name: 'Correct and send refused.wav again' });
    const language = within(form).getByRole('textbox', { name: 'Language' });
    expect(language).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByRole('combobox', { name: 'Pipeline' })).toHaveAttribute('aria-invalid', 'false');
    expect(language).toHaveAccessibleDescription(/refused the language value/i);

    // A value that names no language is caught here, before anything is sent.
    await user.clear(language);
    await user.type(language, 'zz');
    await user.click(within(form).getByRole('button', { name: 'Send again with these values' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(/zz/);
    expect(account.uploadsAnswered()).toHaveLength(1);

    await user.clear(language);
    await user.type(language, 'fr-FR');
    await user.click(within(form).getByRole('button', { name: 'Send again with these values' }));
    await waitFor(() => expect(account.jobs()).toHaveLength(1), { timeout: 10_000 });
    expect(account.jobs()[0]!.language).toBe('fr-FR');
    expect(account.uploadsAnswered().map((entry) => entry.status)).toEqual([400, 202]);
    await within(row()).findByText('Accepted');
  });

  it('still offers "Retry now" once retries of a server failure run out', async () => {
    const account = harness.account({ tier: 'growth' });
    const { user } = renderApp();
    await enterKey(user, account.keys.full);
    await goTo(user, 'Upload');
    await screen.findByRole('heading', { name: 'Upload audio' });
    harness.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'quota_frozen', status: 422 }] });
    await uploadFiles(user, [wavFile('unknown-4xx.wav')]);
    await within(queueRow('unknown-4xx.wav')).findByText('Unrecognised error', undefined, { timeout: 10_000 });
    // An unknown 4xx is a request refused as sent: corrected, not retried.
    expect(within(queueRow('unknown-4xx.wav')).queryByRole('button', { name: /retry now/i })).toBeNull();

    harness.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'insufficient_permissions', remaining: 1 }] });
    await uploadFiles(user, [wavFile('scope.wav')]);
    await within(queueRow('scope.wav')).findByText('Key lacks a permission', undefined, { timeout: 10_000 });
    // With another key the same request can succeed.
    expect(within(queueRow('scope.wav')).getByRole('button', { name: 'Retry now: scope.wav' })).toBeVisible();
  });
});

describe('a key that may upload but not read the account (finding 13)', { timeout: 30_000 }, () => {
  it('uploads anyway, one at a time, and says why', async () => {
    const account = harness.account({ tier: 'growth' });
    const key = harness.simulator.account(account.accountId).keys[0]!;
    key.scopes = key.scopes.filter((scope) => scope !== 'account:read');
    const { user } = renderApp();
    await enterKey(user, account.keys.full);
    await goTo(user, 'Upload');
    await screen.findByRole('heading', { name: 'Upload audio' });
    await uploadFiles(user, [wavFile('no-scope-1.wav'), wavFile('no-scope-2.wav')]);
    await waitFor(() => expect(account.jobs()).toHaveLength(2), { timeout: 15_000 });
    expect(await screen.findByText('Uploads go one at a time with this key')).toBeVisible();
    expect(screen.getByText(/lacks the account:read scope/)).toBeVisible();
    const uploads = account.uploadsAnswered();
    expect(uploads.map((entry) => entry.status)).toEqual([202, 202]);
    expect(uploads[1]!.startedAt).toBeGreaterThanOrEqual(uploads[0]!.answeredAt);
  });
});

describe('files dropped before the account limits have loaded', { timeout: 30_000 }, () => {
  it('wait as "checking" and are checked once the limits arrive: never dropped', async () => {
    const account = harness.account({ tier: 'growth' });
    const held = harness.holdNext((request) => request.method === 'GET' && new URL(request.url).pathname === '/v1/account');
    const { user } = renderApp({ path: '/upload' });
    await enterKey(user, account.keys.full);
    await held.arrived;
    const zone = await screen.findByRole('region', { name: 'Files' }, { timeout: 10_000 });
    const file = wavFile('early.wav');
    fireEvent.drop(zone, { dataTransfer: { files: [file], items: [], types: ['Files'] } });
    await screen.findByText(/Checking 1 file/, undefined, { timeout: 10_000 });
    held.release('answer');
    const submit = await screen.findByRole('button', { name: 'Upload 1 file' }, { timeout: 10_000 });
    await waitFor(() => expect(submit).toBeEnabled());
    await user.click(submit);
    await waitFor(() => expect(account.jobs()).toHaveLength(1), { timeout: 10_000 });
    expect(account.jobs()[0]!.file.name).toBe('early.wav');
  });
});
