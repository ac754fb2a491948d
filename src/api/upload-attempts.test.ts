import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { createApiClient, type Exchange } from './client';
import { createJob } from './endpoints/create-job';
import { createRequestGate } from './request-gate';
import { uploadAttempts } from './upload-attempts';

function exchange(partial: Partial<Exchange> & Pick<Exchange, 'id' | 'startedAt' | 'endedAt'>): Exchange {
  return { method: 'POST', path: '/v1/jobs', status: 201, requestId: `req_${partial.id}`, code: null, retryAfterMs: null, rateLimit: null, ...partial };
}


/** A client on `fetchImpl` and the clock `now`, every exchange pushed to `exchanges`. */
function loggingClient(fetchImpl: typeof fetch, now: () => number, exchanges: Exchange[]) {
  return createApiClient({
    baseUrl: 'https://api.example',
    getKey: () => 'np_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    gate: createRequestGate({ initiallyHasKey: true, clock: now }),
    fetch: fetchImpl,
    clock: now,
    onExchange: (exchange) => exchanges.push(exchange),
  });
}

describe('uploadAttempts', () => {
  it("lists only the upload's POST /v1/jobs exchanges, oldest first, with the wait before each", () => {
    const log = [
      exchange({ id: 1, startedAt: 1_000, endedAt: 1_200, status: 500, code: 'internal_error', uploadId: 'u1' }),
      exchange({ id: 2, startedAt: 1_300, endedAt: 1_350, method: 'GET', path: '/v1/jobs', uploadId: 'u1' }),
      exchange({ id: 3, startedAt: 1_100, endedAt: 1_400, uploadId: 'u2' }),
      exchange({ id: 4, startedAt: 5_000, endedAt: 5_100, status: 429, code: 'rate_limit_exceeded', retryAfterMs: 2_000, uploadId: 'u1' }),
      exchange({ id: 5, startedAt: 7_150, endedAt: 7_900, uploadId: 'u1' }),
      exchange({ id: 6, startedAt: 8_000, endedAt: 8_100 }),
    ];
    expect(uploadAttempts(log, 'u1')).toEqual([
      { exchangeId: 1, startedAt: 1_000, endedAt: 1_200, status: 500, code: 'internal_error', requestId: 'req_1', retryAfterMs: null, waitedMs: null },
      { exchangeId: 4, startedAt: 5_000, endedAt: 5_100, status: 429, code: 'rate_limit_exceeded', requestId: 'req_4', retryAfterMs: 2_000, waitedMs: 3_800 },
      { exchangeId: 5, startedAt: 7_150, endedAt: 7_900, status: 201, code: null, requestId: 'req_5', retryAfterMs: null, waitedMs: 2_050 },
    ]);
    expect(uploadAttempts(log, 'u3')).toEqual([]);
  });
});

describe('the upload id on exchanges', () => {
  it("is recorded on each POST /v1/jobs sent for an upload, and on no other request", async () => {
    const exchanges: Exchange[] = [];
    let now = 1_000;
    const fetchImpl = (async () => {
      now += 50;
      return new Response(JSON.stringify({ error: { code: 'internal_error', message: 'boom', status: 500 } }), {
        status: 500,
        headers: { 'Content-Type': 'application/json', 'X-Request-Id': `req_${now}` },
      });
    }) as unknown as typeof fetch;
    const client = loggingClient(fetchImpl, () => now, exchanges);
    await expect(createJob(client, { file: new Blob(['x']), fileName: 'a.wav', pipeline: 'transcription' }, { uploadId: 'u1' })).rejects.toThrow();
    await expect(client.request({ method: 'GET', path: '/v1/account' }, z.object({}))).rejects.toThrow();
    expect(exchanges.map((exchange) => [exchange.method, exchange.path, exchange.uploadId])).toEqual([
      ['POST', '/v1/jobs', 'u1'],
      ['GET', '/v1/account', undefined],
    ]);
    expect(uploadAttempts(exchanges, 'u1')).toEqual([expect.objectContaining({ status: 500, code: 'internal_error', requestId: 'req_1050', waitedMs: null })]);
  });
});

describe('the file name on exchanges', () => {
  it('is recorded on each POST /v1/jobs that sends a file, whatever the answer (none included), and on no other request', async () => {
    const exchanges: Exchange[] = [];
    let now = 1_000;
    const answers = [
      () => new Response(JSON.stringify({ error: { code: 'internal_error', message: 'boom', status: 500 } }), { status: 500, headers: { 'Content-Type': 'application/json' } }),
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    ];
    const fetchImpl = (async () => {
      now += 50;
      return (answers.shift() as () => Response | Promise<Response>)();
    }) as unknown as typeof fetch;
    const client = loggingClient(fetchImpl, () => now, exchanges);
    await expect(createJob(client, { file: new Blob(['x']), fileName: 'meeting.mp3', pipeline: 'transcription' }, { uploadId: 'u1' })).rejects.toThrow();
    await expect(createJob(client, { file: new Blob(['y']), fileName: 'standup 2.wav', pipeline: 'transcription' }, { uploadId: 'u2' })).rejects.toThrow();
    await client.request({ method: 'GET', path: '/v1/account' }, z.object({}));
    expect(exchanges.map((exchange) => [exchange.method, exchange.status, exchange.fileName])).toEqual([
      ['POST', 500, 'meeting.mp3'],
      ['POST', null, 'standup 2.wav'],
      ['GET', 200, undefined],
    ]);
  });
});
