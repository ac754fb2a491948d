// @vitest-environment jsdom
import { z } from 'zod/mini';
import { ANSWER_HEADERS, startTransportTestServer, type TransportTestServer } from '../testing/transport-test-server';
import { ApiError } from './api-error';
import { createApiClient, type Exchange } from './client';
import { createRequestGate } from './request-gate';
import { sendWithXhr, type UploadProgress } from './xhr-transport';

// jsdom's XMLHttpRequest does real HTTP from Node, but reports upload progress
// only once, when the answer's headers arrive (no events while the body is
// written). So here a stalled body and a lost answer both end by the stall
// timer; what needs live upload progress (a slow but steady upload kept alive,
// the answer timeout after the last byte) runs in Chromium: e2e/xhr-transport.spec.ts.

const MB = 1024 * 1024;
let server: TransportTestServer;

beforeAll(async () => {
  server = await startTransportTestServer();
});
afterAll(() => server.close());

function audioForm(bytes: number): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }), 'long-call.wav');
  form.append('pipeline', 'transcription');
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

/** Resolves once the server holds a new request to `path` with at least `bytes` of its body. */
async function serverHolds(path: string, bytes: number, after: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!server.requests.slice(after).some((request) => request.path === path && request.bytesReceived >= bytes)) {
    if (Date.now() > deadline) throw new Error(`the server never held ${bytes} bytes of ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The server's record of the request just sent (the last one, CORS preflights excluded). */
function lastServed() {
  const record = server.requests.at(-1);
  if (!record) throw new Error('the server saw no request');
  return record;
}

describe('XHR transport against a real HTTP server', () => {
  it('resolves a normal answer with status, exposed headers, body, and upload progress up to the whole body', async () => {
    const progress: UploadProgress[] = [];
    const response = await sendWithXhr({
      method: 'POST',
      url: server.url('/v1/answer'),
      headers: { Accept: 'application/json', Authorization: 'Bearer np_test_key' },
      body: audioForm(2 * MB),
      onUploadProgress: (event) => progress.push(event),
      stallTimeoutMs: 2_000,
    });
    const served = lastServed();
    expect(served.bodyComplete).toBe(true);
    expect(served.bytesReceived).toBeGreaterThan(2 * MB);
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Request-Id')).toMatch(/^req_transport_\d+$/);
    expect(response.headers.get('X-RateLimit-Limit')).toBe(ANSWER_HEADERS['X-RateLimit-Limit']);
    expect(response.headers.get('X-RateLimit-Remaining')).toBe('57');
    expect(response.headers.get('X-RateLimit-Reset')).toBe('1795608000');
    expect(response.headers.get('Retry-After')).toBe('7');
    expect(JSON.parse(response.bodyText)).toEqual({ received: served.bytesReceived });
    expect(progress.length).toBeGreaterThan(0);
    const loaded = progress.map((event) => event.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ loaded: served.bytesReceived, total: served.bytesReceived });
  });

  it('a server that stops reading the body: the upload ends as a timeout (not a cancel) and the connection is closed', async () => {
    const started = Date.now();
    const error = await failure(
      sendWithXhr({
        method: 'POST',
        url: server.url(`/v1/stall-body?after=${256 * 1024}`),
        headers: {},
        body: audioForm(16 * MB),
        onUploadProgress: () => {},
        stallTimeoutMs: 500,
      }),
    );
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout', status: null });
    expect((error as ApiError).message).toMatch(/no progress for 0\.5 s/i);
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(3_000);
    // Let the server read again: a client that went away sends no more of the body.
    const served = lastServed();
    served.release();
    await served.closed;
    expect(served.closedEarly).toBe(true);
    expect(served.bodyComplete).toBe(false);
    expect(served.bytesReceived).toBeLessThan(16 * MB);
  });

  it('a server that reads the whole body and never answers: the request ends as a timeout and the connection is closed', async () => {
    const error = await failure(
      sendWithXhr({
        method: 'POST',
        url: server.url('/v1/no-answer'),
        headers: {},
        body: audioForm(1 * MB),
        onUploadProgress: () => {},
        stallTimeoutMs: 500,
        answerTimeoutMs: 700,
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout', status: null });
    const served = lastServed();
    await served.closed;
    expect(served.bodyComplete).toBe(true);
    expect(served.closedEarly).toBe(true);
  });

  it('a request whose every byte is sent and whose answer never comes ends as a timeout after the answer timeout', async () => {
    const started = Date.now();
    const error = await failure(
      sendWithXhr({ method: 'GET', url: server.url('/v1/no-answer'), headers: { Accept: 'application/json' }, answerTimeoutMs: 600 }),
    );
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout', status: null });
    expect((error as ApiError).message).toMatch(/no answer came for 0\.6 s/i);
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(3_000);
    await lastServed().closed;
    expect(lastServed().closedEarly).toBe(true);
  }, 5_000);

  it('an answer that stops halfway ends as a timeout, not a cancel', async () => {
    const error = await failure(
      sendWithXhr({
        method: 'POST',
        url: server.url('/v1/trickle-answer?chunks=10&intervalMs=100&stopAfter=2'),
        headers: {},
        body: audioForm(64 * 1024),
        onUploadProgress: () => {},
        stallTimeoutMs: 300,
        answerTimeoutMs: 500,
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout' });
    expect((error as ApiError).message).toMatch(/no answer came for 0\.5 s/i);
  });

  it('an answer that keeps arriving in pieces is not cut off, though it takes longer than both timeouts', async () => {
    const started = Date.now();
    const response = await sendWithXhr({
      method: 'POST',
      url: server.url('/v1/trickle-answer?chunks=8&intervalMs=150'),
      headers: {},
      body: audioForm(64 * 1024),
      onUploadProgress: () => {},
      stallTimeoutMs: 300,
      answerTimeoutMs: 600,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(response.status).toBe(200);
    expect(response.bodyText).toBe('chunk 1;chunk 2;chunk 3;chunk 4;chunk 5;chunk 6;chunk 7;chunk 8;');
  });

  it('a connection dropped mid-body rejects as a network failure', async () => {
    const error = await failure(
      sendWithXhr({
        method: 'POST',
        url: server.url(`/v1/drop-mid-body?after=${256 * 1024}`),
        headers: {},
        body: audioForm(16 * MB),
        onUploadProgress: () => {},
        stallTimeoutMs: 2_000,
      }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(lastServed().bodyComplete).toBe(false);
  });

  it('a connection dropped after the whole body rejects as a network failure', async () => {
    const error = await failure(
      sendWithXhr({
        method: 'POST',
        url: server.url('/v1/drop-after-body'),
        headers: {},
        body: audioForm(1 * MB),
        onUploadProgress: () => {},
        stallTimeoutMs: 2_000,
      }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(lastServed().bodyComplete).toBe(true);
  });

  it("the caller's abort rejects as an AbortError and closes the connection", async () => {
    const controller = new AbortController();
    const before = server.requests.length;
    const pending = sendWithXhr({
      method: 'POST',
      url: server.url(`/v1/stall-body?after=${256 * 1024}`),
      headers: {},
      body: audioForm(16 * MB),
      signal: controller.signal,
      onUploadProgress: () => {},
      stallTimeoutMs: 5_000,
    });
    // Abort mid-body: the server holds part of it and has stopped reading.
    await serverHolds('/v1/stall-body', 256 * 1024, before);
    controller.abort();
    const error = await failure(pending);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    const served = lastServed();
    served.release();
    await served.closed;
    expect(served.bodyComplete).toBe(false);
    expect(served.closedEarly).toBe(true);
  });

  it('a signal aborted before sending rejects at once and sends nothing', async () => {
    const before = server.requests.length;
    const error = await failure(
      sendWithXhr({ method: 'POST', url: server.url('/v1/answer'), headers: {}, body: audioForm(1024), signal: AbortSignal.abort(), onUploadProgress: () => {} }),
    );
    expect((error as DOMException).name).toBe('AbortError');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requests.length).toBe(before);
  });
});

describe('API client over the XHR transport', () => {
  const receivedSchema = z.object({ received: z.number() });

  function client() {
    const exchanges: Exchange[] = [];
    const gate = createRequestGate({ initiallyHasKey: true });
    const api = createApiClient({ baseUrl: server.origin, gate, getKey: () => 'np_test_key', onExchange: (exchange) => exchanges.push(exchange) });
    return { api, exchanges };
  }

  it('a stalled upload becomes an ApiError "timeout" that the catalogue retries with backoff, and is logged as such', async () => {
    const { api, exchanges } = client();
    const progress: UploadProgress[] = [];
    const error = await failure(
      api.request(
        {
          method: 'POST',
          path: '/v1/stall-body',
          query: { after: 256 * 1024 },
          body: audioForm(16 * MB),
          onUploadProgress: (event) => progress.push(event),
          stallTimeoutMs: 500,
        },
        receivedSchema,
      ),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout', status: null });
    expect((error as ApiError).entry.title).toBe('Request stalled');
    expect((error as ApiError).entry.retry).toMatchObject({ kind: 'backoff', baseMs: 1_000, capMs: 30_000, maxAttempts: 4 });
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ method: 'POST', path: '/v1/stall-body', status: null, code: 'timeout' });
  });

  it('a normal upload resolves the validated body and logs the request id and rate limit', async () => {
    const { api, exchanges } = client();
    const progress: UploadProgress[] = [];
    const body = await api.request(
      { method: 'POST', path: '/v1/answer', body: audioForm(1 * MB), onUploadProgress: (event) => progress.push(event), stallTimeoutMs: 2_000 },
      receivedSchema,
    );
    const served = lastServed();
    expect(body).toEqual({ received: served.bytesReceived });
    expect(progress.at(-1)).toEqual({ loaded: served.bytesReceived, total: served.bytesReceived });
    expect(exchanges[0]).toMatchObject({ status: 200, code: null, requestId: expect.stringMatching(/^req_transport_\d+$/) });
    expect(exchanges[0]?.rateLimit).toMatchObject({ limit: 60, remaining: 57 });
  });

  it('a dropped connection becomes an ApiError "network"', async () => {
    const { api } = client();
    const error = await failure(
      api.request({ method: 'POST', path: '/v1/drop-after-body', body: audioForm(64 * 1024), onUploadProgress: () => {}, stallTimeoutMs: 2_000 }, receivedSchema),
    );
    expect(error).toMatchObject({ kind: 'network', code: 'network_error', status: null });
  });

  it("the caller's abort becomes an ApiError \"aborted\"", async () => {
    const { api } = client();
    const controller = new AbortController();
    const before = server.requests.length;
    void serverHolds('/v1/stall-body', 256 * 1024, before).then(() => controller.abort());
    const error = await failure(
      api.request(
        {
          method: 'POST',
          path: '/v1/stall-body',
          body: audioForm(16 * MB),
          signal: controller.signal,
          onUploadProgress: () => {},
          stallTimeoutMs: 5_000,
        },
        receivedSchema,
      ),
    );
    expect(error).toMatchObject({ kind: 'aborted', code: 'aborted' });
  });
});
