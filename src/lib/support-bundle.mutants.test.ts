import { supportBundle } from './support-bundle';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// error-behaviour.md: a copyable support bundle (job id, request id, code, times; never the key).

const FIRST = Date.UTC(2026, 10, 25, 10, 0, 0);
const FAILED = Date.UTC(2026, 10, 25, 10, 0, 9);

describe('support bundle, line by line', () => {
  it('lists every fact on its own line, in order', () => {
    const text = supportBundle({
      what: 'upload of call.mp3',
      jobId: 'job_01JD7Q3M8K',
      requestId: 'req_42',
      code: 'internal_error',
      status: 500,
      message: 'Something broke.',
      attempts: 4,
      firstAttemptAt: FIRST,
      failedAt: FAILED,
      apiBase: 'https://api.example',
    });
    expect(text.split('\n')).toEqual([
      'NovaPulse Console support bundle',
      'what: upload of call.mp3',
      'job id: job_01JD7Q3M8K',
      'request id: req_42',
      'error: internal_error (HTTP 500)',
      'message: Something broke.',
      'attempts: 4',
      'first attempt: 2026-11-25T10:00:00.000Z',
      'failed at: 2026-11-25T10:00:09.000Z',
      'api: https://api.example',
    ]);
  });

  it('says what is missing instead of leaving a blank, and leaves out what was never counted', () => {
    const text = supportBundle({ what: 'poll', jobId: null, requestId: null, code: 'network_error', status: null, message: 'offline', failedAt: FAILED, apiBase: '' });
    expect(text.split('\n')).toEqual([
      'NovaPulse Console support bundle',
      'what: poll',
      'job id: none (no job was created)',
      'request id: none (no answer from the server)',
      'error: network_error',
      'message: offline',
      'failed at: 2026-11-25T10:00:09.000Z',
      'api: this origin',
    ]);
  });

  it('redacts a whole key, all 32 characters of it, wherever it appears', () => {
    const key = 'np_test_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
    const text = supportBundle({ what: key, code: 'x', status: 400, message: `sent ${key}`, failedAt: FAILED, apiBase: '' });
    expect(text).toContain('what: np_test_[redacted]');
    expect(text).toContain('message: sent np_test_[redacted]');
    expect(text).not.toMatch(/BCDEFGH|012345/);
  });
});
