import { HttpResponse, http } from 'msw';
import { setupSimulatorHost, TEST_API_BASE } from '../testing/simulator-host';
import { ApiError } from './api-error';
import { fetchAccount } from './endpoints/get-account';
import { fetchJob } from './endpoints/get-job';
import { fetchJobs } from './endpoints/list-jobs';

const host = setupSimulatorHost();

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

function answer(path: string, response: () => Response | Promise<Response>) {
  host.server.use(http.get(`${TEST_API_BASE}${path}`, response));
}

describe('API client against the simulator', () => {
  it('sends the key as a Bearer token and returns the validated body', async () => {
    const account = host.account({ tier: 'starter', name: 'Umbrella Support' });
    const { client, exchanges } = host.client(account.keys.full);
    const data = await fetchAccount(client);
    expect(data.account).toEqual({ id: account.accountId, name: 'Umbrella Support', tier: 'starter' });
    expect(data.limits.concurrent_jobs).toBe(2);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ method: 'GET', path: '/v1/account', status: 200, code: null });
    expect(exchanges[0]?.rateLimit).toMatchObject({ limit: 60, remaining: 59 });
    expect(JSON.stringify(exchanges)).not.toContain(account.keys.full);
  });

  it('turns an error envelope into an ApiError with code, status, message and request id', async () => {
    const account = host.account();
    const { client } = host.client(account.keys.full);
    const error = await failure(fetchJob(client, 'job_missing'));
    expect(error).toMatchObject({ kind: 'envelope', code: 'job_not_found', status: 404 });
    expect(error.message).toContain('job_missing');
    expect(error.requestId).toMatch(/^req_/);
    expect(error.entry.resolution).toContain('Verify the job ID');
  });

  it('reads Retry-After in seconds and as an HTTP-date off a failure', async () => {
    const account = host.account();
    const { client } = host.client(account.keys.full);
    host.simulator.setFaults(account.accountId, { maintenanceSeconds: 90, maintenanceRetryAfter: 'seconds' });
    expect((await failure(fetchAccount(client))).retryAfterMs).toBe(90_000);

    const other = host.account();
    const second = host.client(other.keys.full);
    host.simulator.setFaults(other.accountId, { maintenanceSeconds: 45, maintenanceRetryAfter: 'http-date' });
    const error = await failure(fetchAccount(second.client));
    expect(error.code).toBe('service_unavailable');
    expect(error.retryAfterMs).toBe(45_000);
  });

  it('reads the rate-limit headers off a 429 and holds the gate until Retry-After', async () => {
    const account = host.account();
    host.simulator.setFaults(account.accountId, { rateLimit: 2 });
    const { client, gate } = host.client(account.keys.full);
    await fetchAccount(client);
    await fetchAccount(client);
    const error = await failure(fetchAccount(client));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.rateLimit).toMatchObject({ limit: 2, remaining: 0 });
    expect(error.retryAfterMs).toBe(error.rateLimit!.resetSeconds * 1000);
    expect(gate.getState()).toMatchObject({ heldUntil: host.clock.now + error.retryAfterMs!, heldBy: 'rate_limit_exceeded' });
  });

  it('keeps an unknown code as such, retried by status class', async () => {
    const account = host.account();
    host.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'GET /v1/account', code: 'quota_frozen', status: 422, remaining: 1 }] });
    const error = await failure(fetchAccount(host.client(account.keys.full).client));
    expect(error).toMatchObject({ kind: 'unknown-code', code: 'quota_frozen', status: 422 });
    expect(error.entry.retry.kind).toBe('never');
  });

  it('turns a proxy HTML 502 page into a malformed-response ApiError', async () => {
    const account = host.account();
    host.simulator.setFaults(account.accountId, { forced: [{ endpoint: '*', raw: 'html-502', remaining: 1 }] });
    const error = await failure(fetchAccount(host.client(account.keys.full).client));
    expect(error).toMatchObject({ kind: 'malformed', code: 'malformed_response', status: 502 });
    expect(error.rawBody).toContain('502 Bad Gateway');
    expect(error.entry.retry.kind).toBe('backoff');
  });

  it('turns invalid JSON and a wrong-shaped error body into malformed responses', async () => {
    const account = host.account();
    host.simulator.setFaults(account.accountId, {
      forced: [
        { endpoint: 'GET /v1/account', raw: 'invalid-json', status: 500, remaining: 1 },
        { endpoint: 'GET /v1/jobs', raw: 'wrong-shape', status: 400, remaining: 1 },
      ],
    });
    const { client } = host.client(account.keys.full);
    expect(await failure(fetchAccount(client))).toMatchObject({ kind: 'malformed', status: 500 });
    const wrongShape = await failure(fetchJobs(client, {}));
    expect(wrongShape).toMatchObject({ kind: 'malformed', status: 400 });
    expect(wrongShape.entry.retry.kind).toBe('never');
  });

  it('validates success bodies: a 200 of the wrong shape is malformed, never cast', async () => {
    answer('/v1/account', () => HttpResponse.json({ account: { id: 1 } }));
    const error = await failure(fetchAccount(host.client('np_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').client));
    expect(error).toMatchObject({ kind: 'malformed', code: 'malformed_response', status: 200 });
    expect(error.message).toMatch(/account/);
  });

  it('ignores fields it does not know', async () => {
    const account = host.account({ seedJobs: 3 });
    const { client } = host.client(account.keys.full);
    const original = await fetchJobs(client, { limit: 1 });
    answer('/v1/jobs', () => HttpResponse.json({ data: original.data.map((job) => ({ ...job, shiny_new_field: { x: 1 } })), next_cursor: null, extra: true }));
    const withExtras = await fetchJobs(client, { limit: 1 });
    expect(withExtras.data[0]).toEqual(original.data[0]);
  });

  it('turns a network failure into a network ApiError', async () => {
    answer('/v1/account', () => HttpResponse.error());
    const error = await failure(fetchAccount(host.client('np_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').client));
    expect(error).toMatchObject({ kind: 'network', code: 'network_error', status: null });
    expect(error.entry.retry.kind).toBe('backoff');
  });

  it('turns an abort into an aborted ApiError', async () => {
    answer('/v1/account', () => new Promise<Response>(() => {}));
    const controller = new AbortController();
    const pending = fetchAccount(host.client('np_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').client, controller.signal);
    controller.abort();
    expect(await failure(pending)).toMatchObject({ kind: 'aborted', code: 'aborted' });
  });

  it('closes the auth gate on a 401 and holds every later request until a new key is set', async () => {
    const account = host.account();
    const session = host.client(account.keys.expired);
    const first = await failure(fetchAccount(session.client));
    expect(first.code).toBe('expired_api_key');
    expect(session.gate.getState()).toMatchObject({ auth: 'closed', authCode: 'expired_api_key' });

    let settled = false;
    const waiting = fetchAccount(session.client).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    expect(session.exchanges).toHaveLength(1);

    session.setKey(account.keys.full);
    const data = await waiting;
    expect(data.account.id).toBe(account.accountId);
    expect(session.exchanges).toHaveLength(2);
  });

  it('sends nothing without a key until one is set', async () => {
    const account = host.account();
    const session = host.client(null);
    const waiting = fetchAccount(session.client);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(session.exchanges).toHaveLength(0);
    session.setKey(account.keys.full);
    expect((await waiting).account.id).toBe(account.accountId);
  });

  it('refuses more than 100 ids in one poll before sending anything', async () => {
    const session = host.client('np_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const ids = Array.from({ length: 101 }, (_, index) => `job_${index}`);
    expect(() => fetchJobs(session.client, { ids })).toThrow(RangeError);
    expect(session.exchanges).toHaveLength(0);
  });
});

describe('the key and the gate', () => {
  it('reopens the gate when the same key is entered again after a 401 (finding 4)', async () => {
    const account = host.account();
    const { client, gate, setKey } = host.client(account.keys.full);
    host.simulator.expireKeyNow(account.accountId);
    expect((await failure(fetchAccount(client))).code).toBe('expired_api_key');
    expect(gate.getState().auth).toBe('closed');
    // The person renews the key in the dashboard and enters the very same key again.
    host.simulator.account(account.accountId).keys[0]!.expiresAt = null;
    setKey(account.keys.full);
    expect(gate.getState().auth).toBe('open');
    const data = await fetchAccount(client);
    expect(data.account.id).toBe(account.accountId);
  });

  it('does not close the gate on a 401 answered late for a key that has since been replaced (finding 5)', async () => {
    const account = host.account();
    const { client, gate, setKey } = host.client(account.keys.full);
    let releaseOldAnswer!: () => void;
    const oldAnswerHeld = new Promise<void>((resolve) => {
      releaseOldAnswer = resolve;
    });
    let held = true;
    host.server.use(
      http.get(`${TEST_API_BASE}/v1/jobs/job_late`, async () => {
        if (!held) return undefined;
        held = false;
        await oldAnswerHeld;
        return HttpResponse.json({ error: { code: 'expired_api_key', message: 'The API key has expired.', status: 401 } }, { status: 401 });
      }),
    );
    const late = failure(fetchJob(client, 'job_late'));
    await vi.waitFor(() => expect(held).toBe(false));
    const newKey = host.simulator.issueKey(account.accountId);
    setKey(newKey);
    releaseOldAnswer();
    expect((await late).code).toBe('expired_api_key');
    expect(gate.getState()).toMatchObject({ auth: 'open', authCode: null });
    expect((await fetchAccount(client)).account.id).toBe(account.accountId);
  });

  it('closes the gate on a 401 for the key in use', async () => {
    const account = host.account();
    const { client, gate } = host.client(account.keys.full);
    host.simulator.expireKeyNow(account.accountId);
    await failure(fetchAccount(client));
    expect(gate.getState()).toMatchObject({ auth: 'closed', authCode: 'expired_api_key' });
  });
});

describe('Retry-After on any response', () => {
  it('holds every request on the key after a concurrent_jobs_exceeded carrying Retry-After (finding 15)', async () => {
    const account = host.account();
    const { client, gate } = host.client(account.keys.full);
    host.simulator.setFaults(account.accountId, { forced: [{ endpoint: 'GET /v1/account', code: 'concurrent_jobs_exceeded', retryAfterSeconds: 20, remaining: 1 }] });
    const error = await failure(fetchAccount(client));
    expect(error.code).toBe('concurrent_jobs_exceeded');
    expect(gate.getState().heldUntil).toBe(host.clock.now + 20_000);
  });

  it('measures an HTTP-date Retry-After against the server clock in the Date header (finding 12)', async () => {
    const account = host.account({ clockOffsetMs: -90_000 });
    const { client, gate } = host.client(account.keys.full);
    host.simulator.setFaults(account.accountId, { maintenanceSeconds: 45, maintenanceRetryAfter: 'http-date' });
    const error = await failure(fetchAccount(client));
    expect(error.serverDate).toBe(host.clock.now - 90_000);
    expect(error.retryAfterMs).toBe(45_000);
    expect(gate.getState().heldUntil).toBe(host.clock.now + 45_000);
  });
});

describe('a read whose answer never comes', () => {
  it('ends as a timeout after 30 s, not never (found by the soak: a lost poll answer stranded the poller)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const account = host.account();
      const { client } = host.client(account.keys.full);
      host.server.use(http.get(`${TEST_API_BASE}/v1/jobs`, () => new Promise<Response>(() => {})));
      let outcome: unknown = null;
      void fetchJobs(client, { limit: 10 }).catch((error: unknown) => {
        outcome = error;
      });
      await vi.advanceTimersByTimeAsync(29_999);
      expect(outcome).toBeNull();
      await vi.advanceTimersByTimeAsync(1);
      expect(outcome).toBeInstanceOf(ApiError);
      expect(outcome).toMatchObject({ kind: 'timeout', code: 'timeout' });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the server clock', () => {
  it('is estimated from the responses Date headers (here 90 s behind the browser)', async () => {
    const account = host.account({ clockOffsetMs: -90_000 });
    const { client } = host.client(account.keys.full);
    expect(client.serverTimeOffsetMs()).toBe(0);
    await fetchAccount(client);
    expect(client.serverTimeOffsetMs()).toBe(-90_000);
  });
});
