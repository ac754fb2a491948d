import type { Job } from '../../api/schemas';
import { bulkRerunLabel, formatOf, pickedFileProblem, planReupload, reuploadLabel, reuploadOf } from './reupload';

const SHA = 'ab'.repeat(32);
function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job_old',
    status: 'completed',
    pipeline: 'transcription',
    language: 'pt-BR',
    metadata: { ticket: 'SUP-1', agent: 'ana' },
    file: { name: 'call.wav', size_bytes: 44, sha256: SHA },
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:01:00Z',
    ...overrides,
  } as Job;
}

describe('planReupload', () => {
  it('offers full analysis for a completed or failed transcription job', () => {
    expect(planReupload(job())).toEqual({ pipeline: 'full-analysis', reason: 'full-analysis' });
    expect(planReupload(job({ status: 'failed', error: { code: 'internal_error', message: 'x', status: 500 } }))).toEqual({ pipeline: 'full-analysis', reason: 'full-analysis' });
  });
  it('offers nothing for a file that could not be decoded (unsupported_media_type): the same bytes would fail again; it must be converted', () => {
    expect(planReupload(job({ status: 'failed', error: { code: 'unsupported_media_type', message: 'x', status: 415 } }))).toBeNull();
    expect(planReupload(job({ pipeline: 'full-analysis', status: 'failed', error: { code: 'unsupported_media_type', message: 'x', status: 415 } }))).toBeNull();
  });
  it('offers nothing while a job is queued or processing', () => {
    expect(planReupload(job({ status: 'queued' }))).toBeNull();
    expect(planReupload(job({ status: 'processing' }))).toBeNull();
  });
  it('offers the own pipeline again only where the failure is resolved by uploading again', () => {
    for (const code of ['internal_error', 'service_unavailable']) {
      expect(planReupload(job({ pipeline: 'full-analysis', status: 'failed', error: { code, message: 'x', status: 500 } }))).toEqual({ pipeline: 'full-analysis', reason: 'upload-again' });
    }
    expect(planReupload(job({ pipeline: 'full-analysis', status: 'failed', error: { code: 'unsupported_media_type', message: 'x', status: 500 } }))).toBeNull();
    expect(planReupload(job({ pipeline: 'full-analysis' }))).toBeNull();
  });
  it('names the action', () => {
    expect(reuploadLabel({ pipeline: 'full-analysis', reason: 'full-analysis' })).toBe('Re-upload with full analysis');
    expect(reuploadLabel({ pipeline: 'transcription', reason: 'upload-again' })).toBe('Upload again');
  });
});

describe('reuploadOf', () => {
  it('keeps the language, the metadata (no key added) and the known SHA-256, with the planned pipeline', () => {
    const old = job();
    const upload = reuploadOf(old, { pipeline: 'full-analysis', reason: 'full-analysis' }, 'u1', 44, 'wav');
    expect(upload).toEqual({ id: 'u1', fileName: 'call.wav', size: 44, format: 'wav', pipeline: 'full-analysis', language: 'pt-BR', metadata: old.metadata, sha256: SHA });
    expect(upload.metadata).not.toBe(old.metadata);
  });
});

describe('pickedFileProblem', () => {
  it('accepts the same SHA-256 in either case', () => {
    expect(pickedFileProblem(job(), { name: 'call.wav', size: 44 }, SHA)).toBeNull();
    expect(pickedFileProblem(job(), { name: 'call.wav', size: 44 }, SHA.toUpperCase())).toBeNull();
  });
  it('refuses other bytes, saying nothing was sent and which file to pick', () => {
    const problem = pickedFileProblem(job(), { name: 'other.wav', size: 44 }, 'cd'.repeat(32));
    expect(problem).toContain('other.wav is not the file this job was made from');
    expect(problem).toContain('Nothing was sent');
    expect(problem).toContain('Pick the original recording (call.wav, 44 B)');
  });
});

describe('formatOf', () => {
  it('reads the format from the bytes, not the name', async () => {
    expect(await formatOf(new Blob([new TextEncoder().encode('fLaC'), new Uint8Array(60)]))).toBe('flac');
    expect(await formatOf(new Blob([new Uint8Array(64)]))).toBeNull();
  });
});

describe('bulkRerunLabel', () => {
  const full = { pipeline: 'full-analysis', reason: 'full-analysis' } as const;
  const again = { pipeline: 'transcription', reason: 'upload-again' } as const;
  it("names a group's re-run by how many it sends, and how", () => {
    expect(bulkRerunLabel('group', false, [full, full, full, full, full])).toBe('Re-run all 5 with full analysis');
    expect(bulkRerunLabel('group', false, [again, again])).toBe('Re-run all 2 again');
    expect(bulkRerunLabel('group', false, [full, again])).toBe('Re-run all 2');
  });
  it('says, while the count still reads pages, that it re-runs those read so far', () => {
    expect(bulkRerunLabel('group', true, [full, full, full])).toBe('Re-run the 3 read so far with full analysis');
  });
  it("names a selection's re-upload", () => {
    expect(bulkRerunLabel('selection', false, [full, full, full])).toBe('Re-upload 3 selected with full analysis');
  });
});
