import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import type { Transcript } from '../../api/endpoints/get-transcript';
import type { Job } from '../../api/schemas';
import { zipTranscripts } from './transcript-zip';
import { leftOutAfterFetch, leftOutSummary, planTranscriptZip } from './transcript-zip-plan';

function job(id: string, fileName: string, status: Job['status'], extra: Partial<Job> = {}): Job {
  return {
    id,
    status,
    pipeline: 'transcription',
    language: 'en-US',
    file: { name: fileName, size_bytes: 1000, content_type: 'audio/mpeg', sha256: 'ab' },
    metadata: {},
    created_at: '2026-11-25T10:00:00Z',
    updated_at: '2026-11-25T10:01:00Z',
    completed_at: status === 'completed' ? '2026-11-25T10:01:00Z' : null,
    error: null,
    ...extra,
  };
}

const TRANSCRIPTS: Record<string, Transcript> = {
  job_A: { text: 'Hello there. Hi.', segments: [{ start: 0, end: 1.5, speaker: 'A', text: 'Hello there.' }, { start: 1.5, end: 2.25, speaker: 'B', text: 'Hi.' }] },
  job_B: { text: 'Second.', segments: [{ start: 3723.5, end: 3724, speaker: null, text: 'Second.' }] },
};

async function unzip(blob: Blob): Promise<Record<string, string>> {
  const files = unzipSync(new Uint8Array(await blob.arrayBuffer()));
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

describe('planning a transcript zip', () => {
  it('takes completed jobs only, naming each by file and job, and names every other job with its reason', () => {
    const plan = planTranscriptZip(
      [
        job('job_A', 'call.mp3', 'completed'),
        job('job_Q', 'waiting.mp3', 'queued'),
        job('job_B', 'call.mp3', 'completed'),
        job('job_P', 'running.wav', 'processing', { progress: 0.42 }),
        job('job_F', 'broken.ogg', 'failed', { error: { code: 'unsupported_media_type', message: 'x', status: 415 } }),
      ],
      'srt',
    );
    expect(plan.entries.map((entry) => [entry.job.id, entry.name])).toEqual([
      ['job_A', 'call-job_A.srt'],
      ['job_B', 'call-job_B.srt'],
    ]);
    expect(plan.leftOut.map((entry) => [entry.job.id, entry.reason])).toEqual([
      ['job_Q', 'still queued: its transcript exists once it completes'],
      ['job_P', 'still processing (42 %): its transcript exists once it completes'],
      ['job_F', 'failed (unsupported_media_type): a failed job has no transcript'],
    ]);
    expect(leftOutSummary(plan.leftOut)).toBe('2 not finished, 1 failed');
  });
});

describe('zipping transcripts', () => {
  it('holds one file per transcript fetched, in the chosen format, and leaves out (and names) one that could not be fetched', async () => {
    const plan = planTranscriptZip([job('job_A', 'call.mp3', 'completed'), job('job_X', 'gone.mp3', 'completed'), job('job_B', 'dir/second.wav', 'completed')], 'srt');
    const progress: string[] = [];
    const asked: string[] = [];
    const result = await zipTranscripts({
      entries: plan.entries,
      format: 'srt',
      signal: new AbortController().signal,
      fetchTranscript: async (id) => {
        asked.push(id);
        const transcript = TRANSCRIPTS[id];
        if (transcript) return transcript;
        throw new ApiError({ kind: 'envelope', code: 'job_not_found', status: 404, message: 'No job.', requestId: 'req_9' });
      },
      onProgress: ({ settled, failed, total }) => progress.push(`${settled}/${total} (${failed} failed)`),
    });

    expect(asked).toEqual(['job_A', 'job_X', 'job_B']);
    expect(progress).toEqual(['1/3 (0 failed)', '2/3 (1 failed)', '3/3 (1 failed)']);
    expect(result.written).toBe(2);
    expect(result.failures.map(({ entry, error }) => [entry.job.id, (error as ApiError).code])).toEqual([['job_X', 'job_not_found']]);
    const [failure] = result.failures;
    expect(leftOutAfterFetch(failure?.entry.job as Job, failure?.error).reason).toMatch(/^its transcript could not be fetched: .+ \(job_not_found, HTTP 404, request req_9\)$/);
    // SubRip as the spec writes it: numbered cues, HH:MM:SS,mmm, the speaker named, a blank line between cues.
    expect(await unzip(result.blob)).toEqual({
      'call-job_A.srt': '1\n00:00:00,000 --> 00:00:01,500\nSpeaker A: Hello there.\n\n2\n00:00:01,500 --> 00:00:02,250\nSpeaker B: Hi.\n',
      'second-job_B.srt': '1\n01:02:03,500 --> 01:02:04,000\nSecond.\n',
    });
  });

  it('writes JSON as the API answered it', async () => {
    const plan = planTranscriptZip([job('job_B', 'b.flac', 'completed')], 'json');
    const result = await zipTranscripts({ entries: plan.entries, format: 'json', signal: new AbortController().signal, fetchTranscript: async (id) => TRANSCRIPTS[id] as Transcript, onProgress: () => {} });
    const files = await unzip(result.blob);
    expect(Object.keys(files)).toEqual(['b-job_B.json']);
    expect(JSON.parse(files['b-job_B.json'] as string)).toEqual(TRANSCRIPTS.job_B);
  });

  it('stops when cancelled: rejects, and asks for nothing more', async () => {
    const ids = Array.from({ length: 20 }, (_, index) => `job_${index}`);
    const plan = planTranscriptZip(ids.map((id) => job(id, `${id}.mp3`, 'completed')), 'txt');
    const controller = new AbortController();
    const asked: string[] = [];
    const zipping = zipTranscripts({
      entries: plan.entries,
      format: 'txt',
      signal: controller.signal,
      concurrency: 2,
      fetchTranscript: async (id, signal) => {
        asked.push(id);
        if (asked.length === 3) controller.abort(new DOMException('The download was cancelled.', 'AbortError'));
        signal.throwIfAborted();
        return TRANSCRIPTS.job_A as Transcript;
      },
      onProgress: () => {},
    });
    await expect(zipping).rejects.toBeTruthy();
    expect(controller.signal.aborted).toBe(true);
    expect(asked.length).toBeLessThanOrEqual(4);
  });
});
