// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import {
  APP_API_BASE,
  enterKey,
  expectWaiting,
  goTo,
  jobsPerFile,
  OTHER_API_BASE,
  queueRow,
  reloadApp,
  renderApp,
  setupAppHarness,
  signedInOnUpload,
  uploadedFileName,
  uploadFiles,
  WAITING_FOR_KEY,
  wavFile,
} from '../testing/render-app';

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
    for (const file of files) await expectWaiting(file.name, WAITING_FOR_KEY);
    expect(account.jobs()).toHaveLength(0);

    await enterKey(user, account.keys.full);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    for (const file of files) await within(queueRow(file.name)).findByText('Accepted', {}, { timeout: 8_000 });
    expect(jobsPerFile(account)).toEqual({ 'same-key-1.wav': 1, 'same-key-2.wav': 1 });
    expect(account.uploadsAnswered().filter((entry) => entry.status === 202)).toHaveLength(2);
  });

  it('a 401 answered late for the key just replaced neither reopens the dialog nor stops polling and uploads on the new key', async () => {
    const account = harness.account({ tier: 'starter' });
    const { user } = await signedInOnUpload(account);
    const oldKey = account.keys.full;
    await uploadFiles(user, [wavFile('before-rotation.wav')]);
    await within(queueRow('before-rotation.wav')).findByText('Accepted', {}, { timeout: 5_000 });

    // The next poll of the accepted job, on the old key, is slow to come back.
    const slowPoll = harness.holdNext((request) => request.method === 'GET' && new URL(request.url).pathname === '/v1/jobs' && request.headers.get('authorization') === `Bearer ${oldKey}`);
    await slowPoll.arrived;
    // Meanwhile the person rotates the key: the old one is expired in the dashboard, a new one entered here.
    harness.simulator.expireKeyNow(account.accountId);
    const newKey = harness.simulator.issueKey(account.accountId);
    await user.click(screen.getByRole('button', { name: 'API key' }));
    await enterKey(user, newKey);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    const answeredBefore = account.requests().length;
    slowPoll.release('answer');
    await slowPoll.done;
    // The late answer is the simulator's 401 for the old key...
    await waitFor(() => expect(account.requests().slice(answeredBefore).map((entry) => entry.code)).toContain('expired_api_key'));
    const lateAt = account.requests().findIndex((entry, index) => index >= answeredBefore && entry.code === 'expired_api_key');
    // ...and polling goes on with the new key: a later poll is answered 200.
    await waitFor(() => expect(account.requests().slice(lateAt + 1).some((entry) => entry.path === '/v1/jobs' && entry.method === 'GET' && entry.status === 200)).toBe(true), { timeout: 6_000 });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByText(/Requests are paused/)).toBeNull();

    await uploadFiles(user, [wavFile('after-rotation.wav')]);
    await within(queueRow('after-rotation.wav')).findByText('Accepted', {}, { timeout: 5_000 });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(jobsPerFile(account)).toEqual({ 'before-rotation.wav': 1, 'after-rotation.wav': 1 });
    const sentAfterLate = harness.sent.filter((request) => request.method === 'POST' && request.url.pathname === '/v1/jobs').at(-1);
    expect(sentAfterLate?.key).toBe(newKey);
  });

  it('uploads waiting for slots held by jobs started elsewhere go by themselves once those jobs end, never into a 429', async () => {
    const account = harness.account({ tier: 'starter' });
    const truth = await account.accountView();
    expect(truth.limits.concurrent_jobs).toBe(2);
    await account.startJobElsewhere('elsewhere-1.wav');
    await account.startJobElsewhere('elsewhere-2.wav');
    const { user } = await signedInOnUpload(account);
    await screen.findByRole('meter', { name: 'Concurrent jobs' });

    const files = [wavFile('waits-1.wav'), wavFile('waits-2.wav')];
    await uploadFiles(user, files);
    for (const file of files) await expectWaiting(file.name);
    // Give a misbehaving console the time to send anyway.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // The slots are known full (GET /v1/account said 2 of 2): nothing is sent to earn a 429.
    const consoleUploads = () => account.uploadsAnswered().filter((entry) => files.some((file) => file.name === entry.fileName));
    expect(consoleUploads().map((entry) => `${entry.fileName}: ${entry.status} ${entry.code}`)).toEqual([]);
    for (const file of files) expect(queueRow(file.name)).toHaveTextContent('Waiting for a free slot');

    // The outside jobs end (their ten minutes of processing pass in the simulator); nobody touches the console.
    harness.simulator.advanceTime(account.accountId, 601_000);
    expect((await account.accountView()).usage.active_jobs).toBe(0);
    // docs/decisions.md: while uploads wait, the account is re-read every 10 s.
    for (const file of files) await within(queueRow(file.name)).findByText('Accepted', {}, { timeout: 12_000 });

    expect(jobsPerFile(account)).toEqual({ 'elsewhere-1.wav': 1, 'elsewhere-2.wav': 1, 'waits-1.wav': 1, 'waits-2.wav': 1 });
    expect(account.requests().filter((entry) => entry.code === 'concurrent_jobs_exceeded')).toEqual([]);
  }, 30_000);

  it('changing the API endpoint during an upload does not fail it: it is sent to the new endpoint and accepted once', async () => {
    const account = harness.account({ tier: 'starter' });
    const { user } = await signedInOnUpload(account);
    const slowUpload = harness.holdNext((request) => request.method === 'POST' && new URL(request.url).origin === APP_API_BASE);
    await uploadFiles(user, [wavFile('moving.wav')]);
    await slowUpload.arrived;
    expect(within(queueRow('moving.wav')).getByText('Uploading')).toBeInTheDocument();

    await goTo(user, 'Settings');
    await user.type(await screen.findByLabelText('API base URL'), OTHER_API_BASE);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(`Saved. Requests now go to ${OTHER_API_BASE}; everything shown is loaded again from there.`);
    // The old endpoint's connection is gone.
    slowUpload.release('drop');

    await goTo(user, 'Upload');
    const row = await screen.findByRole('listitem', { name: 'moving.wav' });
    expect(row).not.toHaveTextContent(/Failed/);
    await within(row).findByText('Accepted', {}, { timeout: 8_000 });
    expect(jobsPerFile(account)).toEqual({ 'moving.wav': 1 });
    const uploads = harness.sent.filter((request) => request.method === 'POST' && request.url.pathname === '/v1/jobs');
    expect(uploads.at(-1)?.url.origin).toBe(OTHER_API_BASE);
    expect(account.uploadsAnswered().filter((entry) => entry.status === 202)).toHaveLength(1);
  });

  it('a reload mid-batch restores the queue from IndexedDB: nothing lost, one job per file, even for the upload cut off by the reload', async () => {
    const account = harness.account({ tier: 'starter', timing: { queueMs: [0, 0], processMs: [3_000, 3_000] } });
    const view = await signedInOnUpload(account, { remember: true });
    // The second upload's body reaches NovaPulse, but the page reloads before the answer comes back.
    const cutOff = harness.holdNext(async (request) => (await uploadedFileName(request)) === 'batch-2.wav');
    const files = ['batch-1.wav', 'batch-2.wav', 'batch-3.wav', 'batch-4.wav'].map((name) => wavFile(name));
    await uploadFiles(view.user, files);
    await cutOff.arrived;
    await within(queueRow('batch-1.wav')).findByText('Accepted', {}, { timeout: 5_000 });
    expect(jobsPerFile(account)['batch-2.wav']).toBeUndefined();

    await reloadApp(view, {
      path: '/upload',
      whileGone: async () => {
        // The body had arrived: NovaPulse creates the job, answering a page that is no longer there.
        cutOff.release('answer');
        await cutOff.done;
        await waitFor(() => expect(jobsPerFile(account)['batch-2.wav']).toBe(1));
      },
    });

    for (const file of files) await screen.findByRole('listitem', { name: file.name }, { timeout: 5_000 });
    for (const file of files) await within(queueRow(file.name)).findByText('Accepted', {}, { timeout: 15_000 });
    expect(jobsPerFile(account)).toEqual({ 'batch-1.wav': 1, 'batch-2.wav': 1, 'batch-3.wav': 1, 'batch-4.wav': 1 });
    expect(screen.getAllByRole('listitem').filter((item) => files.some((file) => item.getAttribute('aria-label') === file.name))).toHaveLength(4);
  }, 30_000);
});
