import type { Exchange } from '../../api/client';
import { endpointOf, matchesStatus, requestLogJson, requestLogRows } from './request-log-rows';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
let nextId = 1;
function exchange(overrides: Partial<Exchange>): Exchange {
  return { id: nextId++, method: 'GET', path: '/v1/account', startedAt: T0, endedAt: T0 + 40, status: 200, requestId: `req_${nextId}`, code: null, retryAfterMs: null, rateLimit: null, ...overrides };
}

describe('requestLogRows', () => {
  it('lists every request newest first, with its endpoint, status, code, request id and duration', () => {
    const rows = requestLogRows([
      exchange({ startedAt: T0, endedAt: T0 + 30, requestId: 'req_a' }),
      exchange({ method: 'GET', path: '/v1/jobs/job_01ABC/transcript', startedAt: T0 + 1_000, endedAt: T0 + 1_120, status: 404, code: 'job_not_ready', requestId: 'req_b' }),
    ]);
    expect(rows.map((row) => [row.requestId, row.endpoint, row.status, row.code, row.durationMs])).toEqual([
      ['req_b', '/v1/jobs/{id}/transcript', 404, 'job_not_ready', 120],
      ['req_a', '/v1/account', 200, null, 30],
    ]);
  });

  it("shows the wait before an upload's next attempt and why: Retry-After, a concurrency slot, or backoff", () => {
    const upload = { method: 'POST', path: '/v1/jobs', uploadId: 'up_1' };
    const rows = requestLogRows([
      exchange({ ...upload, startedAt: T0, endedAt: T0 + 500, status: 429, code: 'rate_limit_exceeded', retryAfterMs: 12_000 }),
      exchange({ ...upload, startedAt: T0 + 12_600, endedAt: T0 + 12_900, status: 429, code: 'concurrent_jobs_exceeded' }),
      exchange({ ...upload, startedAt: T0 + 40_900, endedAt: T0 + 41_000, status: 500, code: 'internal_error' }),
      exchange({ ...upload, startedAt: T0 + 42_200, endedAt: T0 + 43_000, status: 202 }),
    ]).reverse();
    expect(rows.map((row) => [row.waitBeforeMs, row.waitReason, row.retryAfterMs])).toEqual([
      [null, null, 12_000],
      [12_100, 'retry-after', null],
      [28_000, 'slot', null],
      [1_200, 'backoff', null],
    ]);
  });

  it('counts no wait before a request that follows a success, nor between different uploads', () => {
    const rows = requestLogRows([
      exchange({ startedAt: T0, endedAt: T0 + 10 }),
      exchange({ startedAt: T0 + 5_000, endedAt: T0 + 5_010 }),
      exchange({ method: 'POST', path: '/v1/jobs', uploadId: 'up_1', startedAt: T0, endedAt: T0 + 10, status: 503, retryAfterMs: 5_000 }),
      exchange({ method: 'POST', path: '/v1/jobs', uploadId: 'up_2', startedAt: T0 + 20, endedAt: T0 + 30, status: 202 }),
    ]);
    expect(rows.map((row) => row.waitBeforeMs)).toEqual([null, null, null, null]);
  });

  it('unrelated reads of one path are not retries of each other: only the same method, path and query repeats', () => {
    const rows = requestLogRows([
      exchange({ path: '/v1/jobs', query: 'status=failed&limit=100', startedAt: T0, endedAt: T0 + 100, status: 503, code: 'service_unavailable' }),
      exchange({ path: '/v1/jobs', query: 'ids=job_01A%2Cjob_01B', startedAt: T0 + 300, endedAt: T0 + 340, status: 500, code: 'internal_error' }),
      exchange({ path: '/v1/jobs', query: 'limit=50', startedAt: T0 + 900, endedAt: T0 + 950 }),
      exchange({ path: '/v1/jobs', query: 'status=failed&limit=100', startedAt: T0 + 5_100, endedAt: T0 + 5_200 }),
      exchange({ path: '/v1/jobs', query: 'ids=job_01A%2Cjob_01B', startedAt: T0 + 2_340, endedAt: T0 + 2_400 }),
    ]).reverse();
    expect(rows.map((row) => [row.query, row.waitBeforeMs, row.waitReason])).toEqual([
      ['status=failed&limit=100', null, null],
      ['ids=job_01A%2Cjob_01B', null, null],
      ['limit=50', null, null],
      ['ids=job_01A%2Cjob_01B', 2_000, 'backoff'],
      ['status=failed&limit=100', 5_000, 'backoff'],
    ]);
  });

  it('a request that got no answer (network failure) is followed by backoff', () => {
    const rows = requestLogRows([exchange({ startedAt: T0, endedAt: T0 + 10, status: null, requestId: null }), exchange({ startedAt: T0 + 1_010, endedAt: T0 + 1_020 })]);
    expect([rows[0]?.waitBeforeMs, rows[0]?.waitReason]).toEqual([1_000, 'backoff']);
  });
});

describe('upload rows', () => {
  it('name the file each upload sent; other rows name none', () => {
    const rows = requestLogRows([
      exchange({ method: 'POST', path: '/v1/jobs', uploadId: 'up_1', fileName: 'meeting.mp3', startedAt: T0, status: 202 }),
      exchange({ path: '/v1/jobs', query: 'q=meeting.mp3', startedAt: T0 + 10 }),
    ]);
    expect(rows.map((row) => [row.method, row.path, row.fileName])).toEqual([
      ['GET', '/v1/jobs', null],
      ['POST', '/v1/jobs', 'meeting.mp3'],
    ]);
    expect(JSON.parse(requestLogJson(rows, T0)).requests.map((request: { file_name: string | null }) => request.file_name)).toEqual([null, 'meeting.mp3']);
  });
});

describe('cancelled requests', () => {
  it('a request the console cancelled (a screen left) is no failure: the next one shows no wait', () => {
    const rows = requestLogRows([
      exchange({ startedAt: T0, endedAt: T0 + 5, status: null, code: 'aborted', requestId: null }),
      // The screen opened again a few seconds later (sooner, the pair is folded into one row: see StrictMode twins).
      exchange({ startedAt: T0 + 4_000, endedAt: T0 + 4_040 }),
    ]);
    expect(rows.map((row) => [row.status, row.code, row.waitBeforeMs, row.waitReason])).toEqual([
      [200, null, null, null],
      [null, 'aborted', null, null],
    ]);
  });
});

describe('StrictMode twins', () => {
  const read = { path: '/v1/jobs', query: 'limit=50' };
  const cancelled = (startedAt: number, endedAt: number, overrides: Partial<Exchange> = {}) =>
    exchange({ ...read, startedAt, endedAt, status: null, code: 'aborted', requestId: null, ...overrides });

  it('a read the console cancelled and sent again at once (a screen mounted twice) is one row: the repeat, saying so', () => {
    const rows = requestLogRows([
      exchange({ startedAt: T0 - 1_000, endedAt: T0 - 960, requestId: 'req_account' }),
      cancelled(T0, T0 + 2),
      exchange({ ...read, startedAt: T0 + 3, endedAt: T0 + 60, requestId: 'req_list' }),
    ]);
    expect(rows.map((row) => [row.requestId, row.status, row.code, row.repeatedAfterCancel])).toEqual([
      ['req_list', 200, null, true],
      ['req_account', 200, null, false],
    ]);
  });

  it('folds the twin whichever was recorded first, the repeat having started before the cancel ended', () => {
    const rows = requestLogRows([
      exchange({ ...read, startedAt: T0 + 1, endedAt: T0 + 50, requestId: 'req_list' }),
      cancelled(T0, T0 + 4),
      // Another screen's read of the same path with another query is another request: not a twin.
      cancelled(T0, T0 + 4, { query: 'status=failed&limit=100' }),
    ]);
    expect(rows.map((row) => [row.query, row.requestId, row.code, row.repeatedAfterCancel])).toEqual([
      ['limit=50', 'req_list', null, true],
      ['status=failed&limit=100', null, 'aborted', false],
    ]);
  });

  it('keeps every genuine cancellation: an upload cancelled (even if sent again), a read left for good or repeated only later', () => {
    const upload = { method: 'POST', path: '/v1/jobs', uploadId: 'up_1', fileName: 'meeting.mp3' };
    const rows = requestLogRows([
      cancelled(T0, T0 + 900, upload),
      exchange({ ...upload, startedAt: T0 + 901, endedAt: T0 + 2_000, status: 202, requestId: 'req_upload' }),
      cancelled(T0 + 3_000, T0 + 3_010, { requestId: null }),
      exchange({ ...read, startedAt: T0 + 9_000, endedAt: T0 + 9_040, requestId: 'req_later' }),
      cancelled(T0 + 20_000, T0 + 20_001, { path: '/v1/account', query: undefined }),
    ]);
    expect(rows.map((row) => [row.method, row.path, row.code ?? row.status, row.repeatedAfterCancel])).toEqual([
      ['GET', '/v1/account', 'aborted', false],
      ['GET', '/v1/jobs', 200, false],
      ['GET', '/v1/jobs', 'aborted', false],
      ['POST', '/v1/jobs', 202, false],
      ['POST', '/v1/jobs', 'aborted', false],
    ]);
  });

  it('folds each twin into its own repeat, and a repeat that was cancelled in turn into the next', () => {
    const rows = requestLogRows([
      cancelled(T0, T0 + 1),
      cancelled(T0 + 2, T0 + 3),
      exchange({ ...read, startedAt: T0 + 4, endedAt: T0 + 40, requestId: 'req_list' }),
    ]);
    expect(rows.map((row) => [row.requestId, row.repeatedAfterCancel])).toEqual([['req_list', true]]);
  });
});

describe('endpointOf', () => {
  it('names a job route by its template, whatever the id', () => {
    expect(endpointOf('/v1/jobs/job_01JD7Q3M8K')).toBe('/v1/jobs/{id}');
    expect(endpointOf('/v1/jobs/job_01JD7Q3M8K/insights')).toBe('/v1/jobs/{id}/insights');
    expect(endpointOf('/v1/jobs')).toBe('/v1/jobs');
    expect(endpointOf('/v1/account')).toBe('/v1/account');
  });
});

describe('matchesStatus', () => {
  it('filters by status class, and "no answer" for requests that got none', () => {
    expect([200, 202, 404, 429, 503, null].filter((status) => matchesStatus({ status }, '4xx'))).toEqual([404, 429]);
    expect([200, 202, 404, 429, 503, null].filter((status) => matchesStatus({ status }, '2xx'))).toEqual([200, 202]);
    expect([200, 503, null].filter((status) => matchesStatus({ status }, '5xx'))).toEqual([503]);
    expect([200, 503, null].filter((status) => matchesStatus({ status }, 'no answer'))).toEqual([null]);
    expect([200, 503, null].filter((status) => matchesStatus({ status }, 'all'))).toEqual([200, 503, null]);
  });
});

describe('requestLogJson', () => {
  it('exports the rows with ISO times and snake_case fields, for a support ticket', () => {
    const rows = requestLogRows([exchange({ startedAt: T0, endedAt: T0 + 25, status: 429, code: 'rate_limit_exceeded', requestId: 'req_x', retryAfterMs: 3_000 })]);
    expect(JSON.parse(requestLogJson(rows, T0 + 60_000))).toEqual({
      exported_at: '2026-12-01T10:01:00.000Z',
      requests: [
        {
          at: '2026-12-01T10:00:00.000Z',
          method: 'GET',
          path: '/v1/account',
          query: '',
          status: 429,
          code: 'rate_limit_exceeded',
          request_id: 'req_x',
          duration_ms: 25,
          wait_before_ms: null,
          wait_reason: null,
          retry_after_ms: 3_000,
          file_name: null,
        },
      ],
    });
  });
});
