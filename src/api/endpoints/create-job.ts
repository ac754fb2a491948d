import { z } from 'zod/mini';
import type { ApiClient } from '../client';
import { jobSchema, type Pipeline } from '../schemas';
import type { UploadProgress } from '../xhr-transport';

export const createJobResponseSchema = z.object({ job: jobSchema });

export interface CreateJobInput {
  file: Blob;
  fileName: string;
  pipeline: Pipeline;
  language?: string;
  metadata?: Record<string, string>;
}

export interface CreateJobOptions {
  signal?: AbortSignal;
  onUploadProgress?: (progress: UploadProgress) => void;
  stallTimeoutMs?: number;
  /** The queue item sending this upload (recorded on the exchange, for the job's timeline). */
  uploadId?: string;
}

export function createJobFormData(input: CreateJobInput): FormData {
  const form = new FormData();
  form.append('file', input.file, input.fileName);
  form.append('pipeline', input.pipeline);
  if (input.language) form.append('language', input.language);
  if (input.metadata && Object.keys(input.metadata).length > 0) form.append('metadata', JSON.stringify(input.metadata));
  return form;
}

/** POST /v1/jobs through XMLHttpRequest so the upload reports progress. */
export async function createJob(client: ApiClient, input: CreateJobInput, options: CreateJobOptions = {}) {
  const { job } = await client.request(
    {
      method: 'POST',
      path: '/v1/jobs',
      body: createJobFormData(input),
      signal: options.signal,
      onUploadProgress: options.onUploadProgress ?? (() => {}),
      stallTimeoutMs: options.stallTimeoutMs,
      uploadId: options.uploadId,
      fileName: input.fileName,
    },
    createJobResponseSchema,
  );
  return job;
}
