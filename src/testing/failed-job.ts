import type { Job } from '../api/schemas';

/** A failed job as `GET /v1/jobs?status=failed` lists it, created (and failed) at `createdAt`; `code: null` has no error. */
export function failedJob(id: string, createdAt: number, code: string | null = 'internal_error'): Job {
  const iso = new Date(createdAt).toISOString();
  return {
    id,
    status: 'failed',
    pipeline: 'transcription',
    language: 'en-US',
    file: { name: `${id}.mp3`, size_bytes: 1, content_type: 'audio/mpeg', sha256: 'a'.repeat(64) },
    metadata: {},
    created_at: iso,
    updated_at: iso,
    error: code === null ? null : { code, message: 'failed', status: 500 },
  } as unknown as Job;
}
