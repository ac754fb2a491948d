import { describe, expect, it } from 'vitest';
import type { Exchange } from './client';
import { uploadAttempts } from './upload-attempts';

function exchange(partial: Partial<Exchange> & Pick<Exchange, 'id' | 'startedAt' | 'endedAt'>): Exchange {
  return { method: 'POST', path: '/v1/jobs', status: 201, requestId: `req_${partial.id}`, code: null, retryAfterMs: null, rateLimit: null, ...partial };
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
