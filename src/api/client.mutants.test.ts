import { z } from 'zod/mini';
import { ApiError } from './api-error';
import { buildUrl, createApiClient, type Exchange } from './client';
import { createRequestGate, sharedGateStore } from './request-gate';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// The client over an injected fetch: what it sends, what it logs, what it throws.

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const KEY = 'np_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const accountSchema = z.object({ account: z.object({ name: z.string() }) });

function setup(respond: (url: string, init: RequestInit) => Response | Promise<Response>, options: { key?: string | null; baseUrl?: string } = {}) {
  let now = NOW;
  const clock = () => now;
  const calls: { url: string; init: RequestInit }[] = [];
  const exchanges: Exchange[] = [];
  const gate = createRequestGate({ initiallyHasKey: true, clock });
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url: String(url), init });
    now += 40; // each answer takes 40 ms
    return respond(String(url), init);
  }) as unknown as typeof fetch;
  const key = options.key === undefined ? KEY : options.key;
  const client = createApiClient({ baseUrl: options.baseUrl ?? 'https://api.example', getKey: () => key, gate, fetch: fetchImpl, clock, onExchange: (exchange) => exchanges.push(exchange) });
  return { client, gate, calls, exchanges, advance: (ms: number) => (now += ms) };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const caught = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(ApiError);
  return caught as ApiError;
}

const READABLE_RATE_LIMIT = { 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '50', 'X-RateLimit-Reset': '30' };
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const envelope = (code: string, status: number) => ({ error: { code, message: `${code} happened`, status } });

describe('buildUrl', () => {
  it('joins base and path without doubled slashes and leaves out empty query values', () => {
    expect(buildUrl('https://api.example//', '/v1/jobs', { status: 'failed', q: '', limit: 50, cursor: undefined, ids: 'a,b' })).toBe(
      'https://api.example/v1/jobs?status=failed&limit=50&ids=a%2Cb',
    );
    expect(buildUrl('', '/v1/account')).toBe('/v1/account');
    expect(buildUrl('https://api.example', '/v1/jobs', { q: '' })).toBe('https://api.example/v1/jobs');
  });
});

describe('what the client sends', () => {
  it('asks for JSON and sends the key as a Bearer token, and no Authorization header without a key', async () => {
    const withKey = setup(() => json({ account: { name: 'Acme' } }));
    await withKey.client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
    expect(withKey.calls[0]?.url).toBe('https://api.example/v1/account');
    expect(withKey.calls[0]?.init.headers).toEqual({ Accept: 'application/json', Authorization: `Bearer ${KEY}` });
    expect(withKey.calls[0]?.init.method).toBe('GET');

    const withoutKey = setup(() => json({ account: { name: 'Acme' } }), { key: null });
    await withoutKey.client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
    expect(withoutKey.calls[0]?.init.headers).toEqual({ Accept: 'application/json' });
  });

  it('sends nothing for a request cancelled while it waits at the gate', async () => {
    const { client, gate, calls } = setup(() => json({}));
    gate.keyRejected('expired_api_key');
    const controller = new AbortController();
    const pending = client.request({ method: 'GET', path: '/v1/account', signal: controller.signal }, accountSchema);
    controller.abort();
    const error = await failure(pending);
    expect(error).toMatchObject({ kind: 'aborted', code: 'aborted', status: null, message: 'The request was cancelled.', method: 'GET', path: '/v1/account' });
    expect(calls).toHaveLength(0);
  });
});

describe('the request log', () => {
  it('logs each exchange with its own id, times, status, request id and rate limit', async () => {
    const { client, exchanges } = setup(() =>
      json({ account: { name: 'Acme' } }, 200, { 'X-Request-Id': 'req_1', 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '119', 'X-RateLimit-Reset': '60' }),
    );
    await client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
    await client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
    expect(exchanges).toEqual([
      { id: 1, method: 'GET', path: '/v1/account', startedAt: NOW, endedAt: NOW + 40, status: 200, requestId: 'req_1', code: null, retryAfterMs: null, rateLimit: { limit: 120, remaining: 119, resetSeconds: 60, resetAt: NOW + 40 + 60_000 }, unreadable: ['Date'] },
      { id: 2, method: 'GET', path: '/v1/account', startedAt: NOW + 40, endedAt: NOW + 80, status: 200, requestId: 'req_1', code: null, retryAfterMs: null, rateLimit: { limit: 120, remaining: 119, resetSeconds: 60, resetAt: NOW + 80 + 60_000 }, unreadable: ['Date'] },
    ]);
  });

  it('logs the query string as sent (reads of one path told apart), and none for a request without one', async () => {
    const { client, exchanges } = setup(() => json({ account: { name: 'Acme' } }));
    await client.request({ method: 'GET', path: '/v1/account', query: { status: 'failed', limit: 100, q: undefined } }, accountSchema);
    await client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
    expect(exchanges.map((exchange) => exchange.query)).toEqual(['status=failed&limit=100', undefined]);
  });

  it('logs a refused request with its code and Retry-After, and holds the gate on a 429 until then', async () => {
    const { client, exchanges, gate } = setup(() => json(envelope('rate_limit_exceeded', 429), 429, { 'Retry-After': '7', 'X-Request-Id': 'req_9' }));
    const error = await failure(client.request({ method: 'GET', path: '/v1/jobs' }, accountSchema));
    expect(error).toMatchObject({ kind: 'envelope', code: 'rate_limit_exceeded', status: 429, requestId: 'req_9', retryAfterMs: 7_000, method: 'GET', path: '/v1/jobs', at: NOW + 40 });
    expect(exchanges[0]).toMatchObject({ id: 1, status: 429, requestId: 'req_9', code: 'rate_limit_exceeded', retryAfterMs: 7_000, startedAt: NOW, endedAt: NOW + 40 });
    expect(gate.getState()).toMatchObject({ heldUntil: NOW + 40 + 7_000, heldBy: 'rate_limit_exceeded' });
  });

  it('holds the gate on a 503 with Retry-After, and not on one without', async () => {
    const held = setup(() => json(envelope('service_unavailable', 503), 503, { 'Retry-After': '30' }));
    await failure(held.client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(held.gate.getState()).toMatchObject({ heldUntil: NOW + 40 + 30_000, heldBy: 'service_unavailable' });
    // The rate-limit headers are readable, so no Retry-After means none was sent (not that it was hidden).
    const free = setup(() => json(envelope('service_unavailable', 503), 503, READABLE_RATE_LIMIT));
    await failure(free.client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(free.gate.getState()).toMatchObject({ heldUntil: 0, heldBy: null });
  });

  it('tells the other tabs of a 503 without Retry-After to wait the backoff base (5 s), without holding this one', async () => {
    const values = new Map<string, string>();
    const storage = { getItem: (name: string) => values.get(name) ?? null, setItem: (name: string, value: string) => void values.set(name, value), removeItem: (name: string) => void values.delete(name) };
    const share = sharedGateStore({ storage, channel: null });
    let now = NOW;
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => now, holdStore: share });
    const client = createApiClient({
      baseUrl: 'https://api.example',
      getKey: () => KEY,
      gate,
      clock: () => now,
      fetch: (async () => {
        now += 40;
        return json(envelope('service_unavailable', 503), 503, READABLE_RATE_LIMIT);
      }) as unknown as typeof fetch,
    });
    await failure(client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(gate.getState()).toMatchObject({ heldUntil: 0, heldBy: null });
    expect(share.read()).toEqual({ until: NOW + 40 + 5_000, code: 'service_unavailable' });
    expect(createRequestGate({ initiallyHasKey: true, clock: () => now, holdStore: share }).getState()).toMatchObject({ heldUntil: NOW + 40 + 5_000, heldBy: 'service_unavailable' });
  });

  it('does not hold the gate for a Retry-After on a 500 (decisions.md: on any 429 or 503)', async () => {
    const { client, gate } = setup(() => json(envelope('internal_error', 500), 500, { 'Retry-After': '30' }));
    const error = await failure(client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(error.retryAfterMs).toBe(30_000);
    expect(gate.getState()).toMatchObject({ heldUntil: 0, heldBy: null });
  });

  it('logs a lost connection and a cancel with no status, and says which it was', async () => {
    const lost = setup(() => Promise.reject(new TypeError('fetch failed')));
    const network = await failure(lost.client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(network).toMatchObject({ kind: 'network', code: 'network_error', status: null, message: 'Could not reach NovaPulse. Check the connection.', at: NOW + 40 });
    expect(lost.exchanges[0]).toEqual({ id: 1, method: 'GET', path: '/v1/account', startedAt: NOW, endedAt: NOW + 40, status: null, requestId: null, code: 'network_error', retryAfterMs: null, rateLimit: null });

    const cancelled = setup(() => Promise.reject(new DOMException('Aborted', 'AbortError')));
    const aborted = await failure(cancelled.client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(aborted).toMatchObject({ kind: 'aborted', code: 'aborted', status: null, message: 'The request was cancelled.' });
    expect(cancelled.exchanges[0]).toMatchObject({ status: null, code: 'aborted' });
  });

  it('passes on a failure the transport already named (a timeout), and logs its code', async () => {
    const stalled = setup(() => Promise.reject(new ApiError({ kind: 'timeout', code: 'timeout', status: null, message: 'No answer came for 120 s; the request was stopped.' })));
    const error = await failure(stalled.client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout' });
    expect(stalled.exchanges[0]).toMatchObject({ status: null, code: 'timeout' });
  });
});

describe('the server clock', () => {
  it('is 0 until a response carries a Date, then the offset of the last one that did', async () => {
    let date: string | null = 'Wed, 25 Nov 2026 10:00:30 GMT';
    const { client } = setup(() => json({ account: { name: 'Acme' } }, 200, date ? { Date: date } : {}));
    expect(client.serverTimeOffsetMs()).toBe(0);
    await client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
    expect(client.serverTimeOffsetMs()).toBe(30_000 - 40);
    date = null;
    await client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
    expect(client.serverTimeOffsetMs()).toBe(30_000 - 40);
  });
});

describe('unreadable answers', () => {
  it('keeps the first 300 characters of an unreadable error body and names the status', async () => {
    const page = `<html>${'x'.repeat(400)}</html>`;
    const { client } = setup(() => new Response(page, { status: 502, headers: { 'X-Request-Id': 'req_proxy' } }));
    const error = await failure(client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(error).toMatchObject({ kind: 'malformed', code: 'malformed_response', status: 502, requestId: 'req_proxy', message: 'Unexpected response from the server (HTTP 502).' });
    expect(error.rawBody).toBe(page.slice(0, 300));
  });

  it('says what is wrong with a 2xx body: not JSON, or which field', async () => {
    const notJson = setup(() => new Response('<html>ok</html>', { status: 200, headers: { 'X-Request-Id': 'req_2' } }));
    const first = await failure(notJson.client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(first).toMatchObject({ kind: 'malformed', status: 200, requestId: 'req_2', message: 'Unexpected response from the server: the body is not JSON.', rawBody: '<html>ok</html>', method: 'GET', path: '/v1/account', at: NOW + 40 });

    const wrongField = setup(() => json({ account: { name: 7 } }));
    const second = await failure(wrongField.client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(second.message).toMatch(/^Unexpected response from the server: account\.name: .+\.$/);

    const wrongShape = setup(() => json([1, 2]));
    const third = await failure(wrongShape.client.request({ method: 'GET', path: '/v1/account' }, accountSchema));
    expect(third.message).toMatch(/^Unexpected response from the server: body: .+\.$/);
  });
});

describe('the answer bound over fetch', () => {
  beforeEach(() => vi.useFakeTimers({ now: NOW }));
  afterEach(() => vi.useRealTimers());

  it('lets a plain GET wait as long as its answer takes (the bound is for uploads: fetch-transport.test.ts)', async () => {
    const never = () => new Promise<Response>(() => {});
    const plain = setup(never);
    let settled = false;
    void plain.client.request({ method: 'GET', path: '/v1/account' }, accountSchema).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(settled).toBe(false);
  });
});

describe('an API whose headers this page cannot read (CORS without Expose-Headers)', () => {
  const hidden = () => ({ 'Content-Type': 'application/json' });

  it('a 429 with no Retry-After readable holds every request the whole minute, then two after a second one', async () => {
    const { client, gate, advance } = setup(() => new Response(JSON.stringify(envelope('rate_limit_exceeded', 429)), { status: 429, headers: hidden() }));
    const first = await failure(client.request({ method: 'GET', path: '/v1/jobs' }, accountSchema));
    expect(first).toMatchObject({ retryAfterMs: 60_000, retryAfterAssumed: true });
    expect(gate.getState()).toMatchObject({ heldUntil: NOW + 40 + 60_000, heldBy: 'rate_limit_exceeded' });
    advance(60_000);
    const second = await failure(client.request({ method: 'GET', path: '/v1/jobs' }, accountSchema));
    expect(second.retryAfterMs).toBe(120_000);
  });

  it('a readable Retry-After is never replaced by an assumption', async () => {
    const { client } = setup(() => new Response(JSON.stringify(envelope('rate_limit_exceeded', 429)), { status: 429, headers: { 'Retry-After': '3' } }));
    expect(await failure(client.request({ method: 'GET', path: '/v1/jobs' }, accountSchema))).toMatchObject({ retryAfterMs: 3_000, retryAfterAssumed: false });
  });

  it('a 503 with its headers hidden holds the whole minute (its Retry-After may be among them)', async () => {
    const { client, gate } = setup(() => new Response(JSON.stringify(envelope('service_unavailable', 503)), { status: 503, headers: hidden() }));
    await failure(client.request({ method: 'GET', path: '/v1/jobs' }, accountSchema));
    expect(gate.getState()).toMatchObject({ heldUntil: NOW + 40 + 60_000, heldBy: 'service_unavailable' });
  });

  it('the request log says which headers were unreadable, and the assumed wait is not logged as the server’s', async () => {
    const { client, exchanges } = setup(() => new Response(JSON.stringify(envelope('rate_limit_exceeded', 429)), { status: 429, headers: hidden() }));
    await failure(client.request({ method: 'GET', path: '/v1/jobs' }, accountSchema));
    expect(exchanges[0]).toMatchObject({ status: 429, retryAfterMs: null, unreadable: ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'X-Request-Id', 'Date'] });
  });

  it('once the account named its limit (2 a minute), a third request in the minute waits until the first leaves it', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const sentAt: number[] = [];
      const gate = createRequestGate({ initiallyHasKey: true });
      const client = createApiClient({
        baseUrl: 'https://api.example',
        getKey: () => KEY,
        gate,
        fetch: (async () => {
          sentAt.push(Date.now());
          return new Response(JSON.stringify({ account: { name: 'Acme' } }), { status: 200, headers: hidden() });
        }) as unknown as typeof fetch,
      });
      client.pacer.limitKnown(2);
      await client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
      await client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
      const third = client.request({ method: 'GET', path: '/v1/account' }, accountSchema);
      await vi.advanceTimersByTimeAsync(59_000);
      expect(sentAt).toEqual([NOW, NOW]);
      await vi.advanceTimersByTimeAsync(1_001);
      await third;
      expect(sentAt).toEqual([NOW, NOW, NOW + 60_001]);
    } finally {
      vi.useRealTimers();
    }
  });
});
