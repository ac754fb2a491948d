import { supportBundle } from './support-bundle';

describe('support bundle', () => {
  it('quotes the ids, code and times, and never a key even if one slipped into a message', () => {
    const key = 'np_live_abcdefghijklmnopqrstuvwxyz012345';
    const text = supportBundle({
      what: 'upload of call.mp3',
      jobId: null,
      requestId: 'req_42',
      code: 'internal_error',
      status: 500,
      message: `boom with ${key}`,
      attempts: 4,
      firstAttemptAt: Date.UTC(2026, 10, 25, 10, 0, 0),
      failedAt: Date.UTC(2026, 10, 25, 10, 0, 9),
      apiBase: 'https://api.example',
    });
    expect(text).toContain('req_42');
    expect(text).toContain('internal_error (HTTP 500)');
    expect(text).toContain('attempts: 4');
    expect(text).toContain('2026-11-25T10:00:09.000Z');
    expect(text).not.toContain(key);
  });

  it('a job that failed while processing claims no HTTP status and no failed request: it says the job reported it', () => {
    const text = supportBundle({
      failure: 'processing',
      what: 'job job_01JD7Q3M8K (call-0412.mp3, transcription, en-US)',
      jobId: 'job_01JD7Q3M8K',
      code: 'internal_error',
      message: 'Processing failed.',
      firstAttemptAt: Date.UTC(2026, 10, 25, 10, 0, 0),
      failedAt: Date.UTC(2026, 10, 25, 10, 0, 9),
      apiBase: 'https://api.example',
    });
    expect(text.split('\n')).toEqual([
      'NovaPulse Console support bundle',
      'what: job job_01JD7Q3M8K (call-0412.mp3, transcription, en-US)',
      'job id: job_01JD7Q3M8K',
      'failure: the job failed while processing (its status is "failed"; no HTTP request failed)',
      "error: internal_error (the job's error code)",
      'message: Processing failed.',
      'first attempt: 2026-11-25T10:00:00.000Z',
      'failed at: 2026-11-25T10:00:09.000Z',
      'api: https://api.example',
    ]);
  });
});
