import type { Job } from '../../api/schemas';
import { bulkRerunLabel, formatOf, isOffered, matchPickedFiles, pickedFileProblem, rerunLabel, rerunOffers, reuploadOf } from './reupload';

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

describe('rerunOffers', () => {
  const failed = (code: string, pipeline: Job['pipeline'] = 'transcription') => job({ pipeline, status: 'failed', error: { code, message: 'x', status: 500 } });
  it('offers full analysis for a completed transcription job', () => {
    expect(rerunOffers(job())).toEqual([{ pipeline: 'full-analysis', reason: 'full-analysis' }]);
  });
  it('offers a failed transcription job both its own pipeline again and full analysis, its own first, where uploading again is the resolution', () => {
    for (const code of ['internal_error', 'service_unavailable']) {
      expect(rerunOffers(failed(code))).toEqual([
        { pipeline: 'transcription', reason: 'same-pipeline' },
        { pipeline: 'full-analysis', reason: 'full-analysis' },
      ]);
    }
  });
  it('offers a failed full-analysis job its own pipeline again where uploading again is the resolution, and nothing else', () => {
    for (const code of ['internal_error', 'service_unavailable']) expect(rerunOffers(failed(code, 'full-analysis'))).toEqual([{ pipeline: 'full-analysis', reason: 'same-pipeline' }]);
    expect(rerunOffers(job({ pipeline: 'full-analysis' }))).toEqual([]);
  });
  it('offers only full analysis to a transcription job failed for a reason uploading again does not resolve', () => {
    expect(rerunOffers(failed('some_new_code'))).toEqual([{ pipeline: 'full-analysis', reason: 'full-analysis' }]);
    expect(rerunOffers(failed('some_new_code', 'full-analysis'))).toEqual([]);
  });
  it('offers nothing for a file that could not be decoded (unsupported_media_type): the same bytes would fail again; it must be converted', () => {
    expect(rerunOffers(failed('unsupported_media_type'))).toEqual([]);
    expect(rerunOffers(failed('unsupported_media_type', 'full-analysis'))).toEqual([]);
  });
  it('offers nothing while a job is queued or processing', () => {
    expect(rerunOffers(job({ status: 'queued' }))).toEqual([]);
    expect(rerunOffers(job({ status: 'processing' }))).toEqual([]);
  });
  it('knows an offer from one that is not', () => {
    expect(isOffered(failed('internal_error'), { pipeline: 'transcription', reason: 'same-pipeline' })).toBe(true);
    expect(isOffered(job(), { pipeline: 'transcription', reason: 'same-pipeline' })).toBe(false);
    expect(isOffered(failed('internal_error', 'full-analysis'), { pipeline: 'full-analysis', reason: 'full-analysis' })).toBe(false);
  });
  it('names the action as the issue does: "Re-run", "Re-run with full analysis"', () => {
    expect(rerunLabel({ reason: 'full-analysis' })).toBe('Re-run with full analysis');
    expect(rerunLabel({ reason: 'same-pipeline' })).toBe('Re-run');
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
  it("names a group's re-run by how many it sends, and how", () => {
    expect(bulkRerunLabel('group', false, 5, 'full-analysis')).toBe('Re-run all 5 with full analysis');
    expect(bulkRerunLabel('group', false, 2, 'same-pipeline')).toBe('Re-run all 2');
  });
  it('says, while the count still reads pages, that it re-runs those read so far', () => {
    expect(bulkRerunLabel('group', true, 3, 'full-analysis')).toBe('Re-run the 3 read so far with full analysis');
    expect(bulkRerunLabel('group', true, 1, 'same-pipeline')).toBe('Re-run the 1 read so far');
  });
  it("names a selection's re-run", () => {
    expect(bulkRerunLabel('selection', false, 3, 'full-analysis')).toBe('Re-run 3 selected with full analysis');
    expect(bulkRerunLabel('selection', false, 1, 'same-pipeline')).toBe('Re-run 1 selected');
  });
});

describe('matchPickedFiles', () => {
  const jobOf = (id: string, sha: string) => ({ id, file: { name: `${id}.wav`, size_bytes: 1, sha256: sha } });
  const a = jobOf('job_a', 'aa'.repeat(32));
  const b = jobOf('job_b', 'bb'.repeat(32));
  const c = jobOf('job_c', 'cc'.repeat(32));
  const pick = (name: string, sha: string) => ({ file: name, name, sha256: sha });
  it('matches files to jobs by SHA-256 whatever their order and names, and refuses a stranger by name', () => {
    const result = matchPickedFiles([a, b, c], [pick('renamed-c.wav', 'CC'.repeat(32)), pick('stranger.wav', 'dd'.repeat(32)), pick('a.wav', 'aa'.repeat(32))]);
    expect(result.matched).toEqual([
      { job: a, file: 'a.wav' },
      { job: c, file: 'renamed-c.wav' },
    ]);
    expect(result.strangers.map((one) => one.name)).toEqual(['stranger.wav']);
    expect(result.unmatched).toEqual([b]);
  });
  it('gives one file to every job made from the same bytes, and a second copy of a file is not a stranger', () => {
    const twin = jobOf('job_twin', 'aa'.repeat(32));
    const result = matchPickedFiles([a, twin], [pick('a.wav', 'aa'.repeat(32)), pick('a copy.wav', 'aa'.repeat(32))]);
    expect(result.matched).toEqual([
      { job: a, file: 'a.wav' },
      { job: twin, file: 'a.wav' },
    ]);
    expect(result.strangers).toEqual([]);
    expect(result.unmatched).toEqual([]);
  });
});
