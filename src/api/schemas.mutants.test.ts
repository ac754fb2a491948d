import { errorEnvelopeSchema, isActiveStatus, jobSchema } from './schemas';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// api-contract.md: the Job object and the seed's error envelope.

const JOB = {
  id: 'job_01JD7Q3M8K',
  status: 'processing',
  pipeline: 'full-analysis',
  language: 'en-US',
  file: { name: 'call-0412.mp3', size_bytes: 4829301, content_type: 'audio/mpeg', sha256: '9f86d0' },
  metadata: { ticket: 'SUP-1182' },
  duration_seconds: 312.5,
  progress: 0.4,
  created_at: '2026-11-25T10:00:00Z',
  updated_at: '2026-11-25T10:00:09Z',
  completed_at: null,
  error: null,
};

describe('job schema', () => {
  it('takes the contract example, and missing or null duration and progress', () => {
    expect(jobSchema.safeParse(JOB).success).toBe(true);
    const { duration_seconds: _d, progress: _p, metadata: _m, ...bare } = JOB;
    expect(jobSchema.parse(bare).metadata).toEqual({});
    expect(jobSchema.safeParse({ ...JOB, progress: 0 }).success).toBe(true);
    expect(jobSchema.safeParse({ ...JOB, progress: 1 }).success).toBe(true);
  });

  it('refuses what the contract rules out', () => {
    for (const [name, wrong] of Object.entries({
      'empty id': { id: '' },
      'unknown status': { status: 'paused' },
      'unknown pipeline': { pipeline: 'fast' },
      'negative size': { file: { ...JOB.file, size_bytes: -1 } },
      'negative duration': { duration_seconds: -0.5 },
      'progress below 0': { progress: -0.1 },
      'progress above 1': { progress: 1.01 },
      'non-string metadata value': { metadata: { ticket: 7 } },
    })) {
      expect(jobSchema.safeParse({ ...JOB, ...wrong }).success, name).toBe(false);
    }
  });
});

describe('error envelope schema', () => {
  it('needs a non-empty code, a message and an integer status', () => {
    expect(errorEnvelopeSchema.safeParse({ error: { code: 'invalid_api_key', message: 'x', status: 401 } }).success).toBe(true);
    expect(errorEnvelopeSchema.safeParse({ error: { code: '', message: 'x', status: 401 } }).success).toBe(false);
    expect(errorEnvelopeSchema.safeParse({ error: { code: 'x', message: 'x', status: 401.5 } }).success).toBe(false);
  });
});

describe('isActiveStatus', () => {
  it('counts queued and processing as active, as the concurrency limit does', () => {
    expect(['queued', 'processing', 'completed', 'failed'].map((status) => isActiveStatus(status as never))).toEqual([true, true, false, false]);
  });
});
