import { createApiClient, type Exchange } from './client';
import { createJob } from './endpoints/create-job';
import { createExchangeLog, rateWindowReader } from './exchange-log';
import { keepExchangeLog, readEarlierExchanges, storedExchangesText } from './exchange-log-storage';
import { createBlindPacer } from './hidden-headers';
import { createRequestGate } from './request-gate';

const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
const ITEM = 'novapulse.request-log';

function exchange(id: number, overrides: Partial<Exchange> = {}): Exchange {
  return { id, method: 'GET', path: '/v1/account', startedAt: T0 + id, endedAt: T0 + id + 20, status: 200, requestId: `req_${id}`, code: null, retryAfterMs: null, rateLimit: null, ...overrides };
}

/** A Storage over a Map, as sessionStorage behaves for one tab. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (name: string) => items.get(name) ?? null,
    setItem: (name: string, value: string) => void items.set(name, value),
  };
}

function pageEvents() {
  const target = new EventTarget();
  return { target, pagehide: () => target.dispatchEvent(new Event('pagehide')) };
}

describe('the request log kept for the tab', () => {
  afterEach(() => vi.useRealTimers());

  it('comes back after a reload as it was, oldest first, marked as an earlier page load, with ids below this page\'s', () => {
    const storage = memoryStorage();
    const log = createExchangeLog();
    const events = pageEvents();
    keepExchangeLog(log, { storage, events: events.target });
    log.record(exchange(1));
    log.record(exchange(2, { method: 'POST', path: '/v1/jobs', uploadId: 'up_1', fileName: 'meeting.mp3', status: 429, code: 'rate_limit_exceeded', retryAfterMs: 2_000 }));
    log.record(exchange(3, { path: '/v1/jobs', query: 'status=failed&limit=100', status: null, requestId: null, code: 'network_error' }));
    events.pagehide();

    const restored = readEarlierExchanges(storage);
    expect(restored).toEqual([
      { id: -3, method: 'GET', path: '/v1/account', startedAt: T0 + 1, endedAt: T0 + 21, status: 200, requestId: 'req_1', code: null, retryAfterMs: null, rateLimit: null },
      {
        id: -2,
        method: 'POST',
        path: '/v1/jobs',
        startedAt: T0 + 2,
        endedAt: T0 + 22,
        status: 429,
        requestId: 'req_2',
        code: 'rate_limit_exceeded',
        retryAfterMs: 2_000,
        rateLimit: null,
        uploadId: 'up_1',
        fileName: 'meeting.mp3',
      },
      { id: -1, method: 'GET', path: '/v1/jobs', query: 'status=failed&limit=100', startedAt: T0 + 3, endedAt: T0 + 23, status: null, requestId: null, code: 'network_error', retryAfterMs: null, rateLimit: null },
    ]);
    // This page's first request may be recorded before what the earlier page kept is read back: it still comes after.
    const next = createExchangeLog();
    next.record(exchange(1));
    next.earlierRestored(restored);
    expect(next.list().map((entry) => [entry.id, entry.requestId, entry.earlier ?? false])).toEqual([
      [-3, 'req_1', true],
      [-2, 'req_2', true],
      [-1, null, true],
      [1, 'req_1', false],
    ]);
  });

  it('keeps the newest 500 exchanges', () => {
    const storage = memoryStorage();
    const log = createExchangeLog();
    const events = pageEvents();
    keepExchangeLog(log, { storage, events: events.target });
    for (let id = 1; id <= 620; id++) log.record(exchange(id));
    events.pagehide();
    const kept = readEarlierExchanges(storage);
    expect(kept).toHaveLength(500);
    expect(kept[0]?.requestId).toBe('req_121');
    expect(kept[499]?.requestId).toBe('req_620');
    // And a page that finds more (written by another version) shows the newest 500 of them.
    const next = createExchangeLog();
    next.earlierRestored(readEarlierExchanges({ getItem: () => storedExchangesText(Array.from({ length: 520 }, (_, index) => exchange(index + 1))) }));
    expect(next.list()).toHaveLength(500);
    expect(next.list()[0]?.requestId).toBe('req_21');
  });

  it('drops a corrupt or foreign entry and keeps the rest; unreadable text or another version gives an empty log', () => {
    const good = JSON.parse(storedExchangesText([exchange(7)])).exchanges[0];
    const text = JSON.stringify({
      version: 1,
      exchanges: [
        good,
        { ...good, status: '200' },
        { ...good, path: 'https://elsewhere.example/v1/jobs' },
        { ...good, method: 'PATCH' },
        { ...good, startedAt: null },
        'GET /v1/account',
        null,
        { ...good, requestId: 'req_8', authorization: 'Bearer np_live_leaked', rateLimit: { limit: 60, remaining: 1, resetSeconds: 30, resetAt: T0 } },
      ],
    });
    const restored = readEarlierExchanges({ getItem: () => text });
    expect(restored.map((entry) => entry.requestId)).toEqual(['req_7', 'req_8']);
    expect(JSON.stringify(restored)).not.toContain('np_live_leaked');
    expect(restored[1]?.rateLimit).toBeNull();

    for (const unreadable of ['{', '[]', '"text"', JSON.stringify({ version: 2, exchanges: [good] }), JSON.stringify({ version: 1, exchanges: {} })]) {
      expect(readEarlierExchanges({ getItem: () => unreadable })).toEqual([]);
    }
    expect(readEarlierExchanges({ getItem: () => null })).toEqual([]);
    expect(readEarlierExchanges(null)).toEqual([]);
    expect(
      readEarlierExchanges({
        getItem: () => {
          throw new DOMException('blocked', 'SecurityError');
        },
      }),
    ).toEqual([]);
  });

  it('is written at most once a second while requests end, at once when the page goes away, and a full storage stops nothing', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const storage = memoryStorage();
    const writes: string[] = [];
    const log = createExchangeLog();
    const events = pageEvents();
    const stop = keepExchangeLog(log, { storage: { ...storage, setItem: (name, value) => writes.push(value) && storage.setItem(name, value) }, events: events.target });
    for (let id = 1; id <= 5; id++) log.record(exchange(id));
    expect(writes).toHaveLength(0);
    vi.advanceTimersByTime(1_000);
    expect(writes).toHaveLength(1);
    expect(readEarlierExchanges(storage)).toHaveLength(5);
    log.record(exchange(6));
    events.pagehide();
    expect(writes).toHaveLength(2);
    expect(readEarlierExchanges(storage)).toHaveLength(6);
    vi.advanceTimersByTime(5_000);
    expect(writes).toHaveLength(2);
    // The console stopping writes what is pending, and nothing after.
    log.record(exchange(7));
    stop();
    expect(readEarlierExchanges(storage)).toHaveLength(7);
    log.record(exchange(8));
    events.pagehide();
    vi.advanceTimersByTime(5_000);
    expect(readEarlierExchanges(storage)).toHaveLength(7);

    const full = createExchangeLog();
    keepExchangeLog(full, {
      storage: {
        getItem: () => null,
        setItem: () => {
          throw new DOMException('full', 'QuotaExceededError');
        },
      },
      events: null,
    });
    expect(() => {
      full.record(exchange(1));
      vi.advanceTimersByTime(1_000);
    }).not.toThrow();
    expect(full.list()).toHaveLength(1);
  });

  it('never holds the key, though every request carried it', async () => {
    const key = 'np_live_7Qm2ZxK9pL4vR8sT1wY6bN3cD5fG0hJ2';
    const storage = memoryStorage();
    const log = createExchangeLog();
    const events = pageEvents();
    keepExchangeLog(log, { storage, events: events.target });
    const carried: (string | null)[] = [];
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      carried.push(new Headers(init.headers).get('Authorization'));
      return new Response(JSON.stringify({ error: { code: 'rate_limit_exceeded', message: `slow down ${key}`, status: 429 } }), {
        status: 429,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '1', 'X-Request-Id': 'req_k1', 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '30' },
      });
    }) as unknown as typeof fetch;
    const client = createApiClient({
      baseUrl: 'https://api.example',
      getKey: () => key,
      gate: createRequestGate({ initiallyHasKey: true }),
      fetch: fetchImpl,
      onExchange: log.record,
    });
    await expect(createJob(client, { file: new Blob(['x']), fileName: 'meeting.mp3', pipeline: 'transcription' }, { uploadId: 'up_1' })).rejects.toThrow();
    events.pagehide();
    expect(carried).toEqual([`Bearer ${key}`]);
    const text = storage.items.get(ITEM) ?? '';
    expect(text).toContain('req_k1');
    expect(text).toContain('meeting.mp3');
    expect(text).not.toContain(key);
    expect(text).not.toContain('np_live_');
    expect(text).not.toMatch(/bearer|authorization/i);
  });
});

describe('exchanges from an earlier page load', () => {
  it("come before this page's within the log's cap, this page's kept first", () => {
    const log = createExchangeLog(5);
    for (let id = 1; id <= 3; id++) log.record(exchange(id, { requestId: `now_${id}` }));
    log.earlierRestored([-4, -3, -2, -1].map((id) => exchange(id, { requestId: `before_${-id}` })));
    expect(log.list().map((entry) => entry.requestId)).toEqual(['before_2', 'before_1', 'now_1', 'now_2', 'now_3']);
  });

  const window30s = { limit: 60, remaining: 2, resetSeconds: 30, resetAt: T0 + 30_000 };

  it('feed neither the rate-limit gauge, the pacing nor the header check: they are about the key now', () => {
    const earlier = [exchange(1, { rateLimit: window30s, unreadable: ['X-RateLimit-Remaining'] })];
    const log = createExchangeLog();
    log.earlierRestored(earlier);
    const pacer = createBlindPacer({ clock: () => T0 });
    expect(log.list()).toHaveLength(1);
    expect(log.latestRateLimit()).toBeNull();
    expect(log.unreadableHeaders()).toEqual([]);
    expect(rateWindowReader(log, pacer, () => T0)()).toBeNull();
    // This page's first answer, in what looks like the same window, is taken as it is (not the lower count kept).
    log.record(exchange(2, { rateLimit: { ...window30s, remaining: 50 } }));
    expect(log.latestRateLimit()?.remaining).toBe(50);
    expect(rateWindowReader(log, pacer, () => T0)()?.remaining).toBe(50);
  });
});
