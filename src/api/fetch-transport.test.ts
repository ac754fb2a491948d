import { z } from 'zod/mini';
import { startTransportTestServer, type TransportTestServer } from '../testing/transport-test-server';
import { ApiError } from './api-error';
import { createApiClient } from './client';
import { sendWithFetch } from './fetch-transport';
import { createRequestGate } from './request-gate';

// Where there is no XMLHttpRequest (Node), the client sends with fetch: its answer is bounded too.

let server: TransportTestServer;

beforeAll(async () => {
  server = await startTransportTestServer();
});
afterAll(() => server.close());

function audioForm(bytes: number): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }), 'long-call.wav');
  return form;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error,
  );
}

const send = (path: string, options: { answerTimeoutMs?: number; signal?: AbortSignal; bytes?: number } = {}) =>
  sendWithFetch(fetch, {
    method: 'POST',
    url: server.url(path),
    headers: { Accept: 'application/json' },
    body: audioForm(options.bytes ?? 64 * 1024),
    signal: options.signal,
    answerTimeoutMs: options.answerTimeoutMs,
  });

describe('fetch transport against a real HTTP server', () => {
  it('resolves a normal answer with status, headers and body', async () => {
    const response = await send('/v1/answer', { answerTimeoutMs: 2_000 });
    const served = server.requests.at(-1)!;
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Request-Id')).toMatch(/^req_transport_\d+$/);
    expect(response.headers.get('Retry-After')).toBe('7');
    expect(JSON.parse(response.bodyText)).toEqual({ received: served.bytesReceived });
  });

  it('a server that never answers: a timeout after the answer timeout, and the connection is closed', async () => {
    const started = Date.now();
    const error = await failure(send('/v1/no-answer', { answerTimeoutMs: 600 }));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout', status: null });
    expect((error as ApiError).message).toMatch(/no answer came for 0\.6 s/i);
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(3_000);
    const served = server.requests.at(-1)!;
    await served.closed;
    expect(served.closedEarly).toBe(true);
  });

  it('an answer that stops halfway ends as a timeout', async () => {
    const error = await failure(send('/v1/trickle-answer?chunks=10&intervalMs=100&stopAfter=2', { answerTimeoutMs: 500 }));
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout' });
  });

  it('an answer that keeps arriving in pieces is not cut off, though it takes longer than the answer timeout', async () => {
    const started = Date.now();
    const response = await send('/v1/trickle-answer?chunks=8&intervalMs=150', { answerTimeoutMs: 600 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(response.bodyText).toBe('chunk 1;chunk 2;chunk 3;chunk 4;chunk 5;chunk 6;chunk 7;chunk 8;');
  });

  it("the caller's abort rejects as an AbortError, not a timeout", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await failure(send('/v1/no-answer', { answerTimeoutMs: 5_000, signal: controller.signal }));
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it('a connection dropped after the body rejects as a network failure', async () => {
    const error = await failure(send('/v1/drop-after-body', { answerTimeoutMs: 2_000 }));
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe('API client over fetch', () => {
  afterEach(() => vi.useRealTimers());

  it('bounds an upload whose answer never comes at 120 s, as a "timeout" that the catalogue retries', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const signals: AbortSignal[] = [];
    // A fetch whose answer never comes: it only ends when its signal aborts.
    const lostAnswer: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        const signal = init?.signal as AbortSignal;
        signals.push(signal);
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const client = createApiClient({ baseUrl: 'http://novapulse.lost', gate: createRequestGate({ initiallyHasKey: true }), getKey: () => 'np_test_key', fetch: lostAnswer });
    let outcome: unknown = 'pending';
    void client
      .request({ method: 'POST', path: '/v1/jobs', body: audioForm(1024), onUploadProgress: () => {}, stallTimeoutMs: 30_000 }, z.object({}))
      .then(
        () => {
          outcome = 'resolved';
        },
        (error: unknown) => {
          outcome = error;
        },
      );
    await vi.advanceTimersByTimeAsync(119_999);
    expect(outcome).toBe('pending');
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(ApiError);
    expect(outcome).toMatchObject({ kind: 'timeout', code: 'timeout', status: null });
    expect((outcome as ApiError).entry.retry.kind).toBe('backoff');
    expect(signals[0]?.aborted).toBe(true);
  });
});
