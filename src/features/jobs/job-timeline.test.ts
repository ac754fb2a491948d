import { describe, expect, it } from 'vitest';
import type { Job } from '../../api/schemas';
import { timelineEntries } from './job-timeline';

const T0 = Date.UTC(2026, 11, 1, 7, 0, 0);

function job(partial: Partial<Job>): Job {
  return {
    id: 'job_1',
    status: 'completed',
    pipeline: 'transcription',
    language: 'en',
    file: { name: 'call-0412.mp3', size_bytes: 10, sha256: 'a'.repeat(64) },
    metadata: {},
    created_at: new Date(T0 + 1_000).toISOString(),
    updated_at: new Date(T0 + 9_000).toISOString(),
    completed_at: new Date(T0 + 9_000).toISOString(),
    ...partial,
  } as Job;
}

describe('timelineEntries', () => {
  it('orders attempts, creation, statuses seen and the finish by time, with the wait and the server-named wait', () => {
    const entries = timelineEntries(
      job({}),
      [
        { status: 'queued', seenAt: T0 + 1_500 },
        { status: 'completed', seenAt: T0 + 9_500 },
      ],
      [
        { exchangeId: 1, startedAt: T0, endedAt: T0 + 200, status: 500, code: 'internal_error', requestId: 'req_a', retryAfterMs: null, waitedMs: null },
        { exchangeId: 3, startedAt: T0 + 900, endedAt: T0 + 1_100, status: 202, code: null, requestId: 'req_b', retryAfterMs: null, waitedMs: 700 },
        { exchangeId: 4, startedAt: T0 + 12_000, endedAt: T0 + 12_100, status: 429, code: 'rate_limit_exceeded', requestId: 'req_c', retryAfterMs: 2_000, waitedMs: 45_000 },
      ],
      0,
    );
    expect(entries.map((entry) => [entry.at - T0, entry.event, entry.status, entry.code, entry.requestId, entry.wait])).toEqual([
      [0, 'Upload attempt 1', '500', 'internal_error', 'req_a', 'none (first attempt)'],
      [900, 'Upload attempt 2', '202', '', 'req_b', '0.7 s'],
      [1_000, 'Created (NovaPulse)', '', '', '', ''],
      [1_500, 'Seen queued', '', '', '', ''],
      [9_000, 'Completed (NovaPulse)', '', '', '', ''],
      [9_500, 'Seen completed', '', '', '', ''],
      [12_000, 'Upload attempt 3', '429', 'rate_limit_exceeded', 'req_c', '45 s; server asked 2.0 s'],
    ]);
  });

  it('names a failure with its code, falls back to updated_at, and shows no finish for an active job', () => {
    const failed = timelineEntries(job({ status: 'failed', completed_at: null, error: { code: 'audio_corrupt', message: 'bad', status: 422 } }), [], [], 0);
    expect(failed.map((entry) => [entry.at - T0, entry.event, entry.code])).toEqual([
      [1_000, 'Created (NovaPulse)', ''],
      [9_000, 'Failed (NovaPulse)', 'audio_corrupt'],
    ]);
    expect(timelineEntries(job({ status: 'processing', completed_at: null }), [], [], 0).map((entry) => entry.event)).toEqual(['Created (NovaPulse)']);
  });

  it('says when an attempt got no answer', () => {
    const [entry] = timelineEntries(job({ status: 'queued', created_at: 'not a date' }), [], [
      { exchangeId: 1, startedAt: T0, endedAt: T0 + 5, status: null, code: 'network_error', requestId: null, retryAfterMs: null, waitedMs: null },
    ], 0);
    expect(entry).toMatchObject({ status: 'no answer', code: 'network_error', requestId: '' });
  });

  it("puts the browser's times on NovaPulse's clock: a browser two minutes fast still shows the attempt before the job it made", () => {
    // The server's clock runs 2 minutes behind this browser's: offset -120 s. Job created at server T0 + 1 s.
    const browserAhead = 120_000;
    const entries = timelineEntries(
      job({}),
      [
        { status: 'queued', seenAt: T0 + browserAhead + 1_400 },
        { status: 'completed', seenAt: T0 + browserAhead + 9_300 },
      ],
      [{ exchangeId: 1, startedAt: T0 + browserAhead + 600, endedAt: T0 + browserAhead + 1_100, status: 202, code: null, requestId: 'req_a', retryAfterMs: null, waitedMs: null }],
      -browserAhead,
    );
    expect(entries.map((entry) => [entry.at - T0, entry.event])).toEqual([
      [600, 'Upload attempt 1'],
      [1_000, 'Created (NovaPulse)'],
      [1_400, 'Seen queued'],
      [9_000, 'Completed (NovaPulse)'],
      [9_300, 'Seen completed'],
    ]);
  });

  it('and a browser slow by a minute likewise: every entry on the server clock', () => {
    const entries = timelineEntries(job({ status: 'processing', completed_at: null }), [{ status: 'processing', seenAt: T0 - 60_000 + 2_000 }], [], 60_000);
    expect(entries.map((entry) => [entry.at - T0, entry.event])).toEqual([
      [1_000, 'Created (NovaPulse)'],
      [2_000, 'Seen processing'],
    ]);
  });
});
