import { z } from 'zod/mini';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;
export const PIPELINES = ['transcription', 'full-analysis'] as const;
export const SCOPES = ['account:read', 'jobs:read', 'jobs:write', 'insights:read'] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];
export type Pipeline = (typeof PIPELINES)[number];
export type Scope = (typeof SCOPES)[number];

/** The seed's error envelope: `{"error": {"code", "message", "status"}}`. */
export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string().check(z.minLength(1)), message: z.string(), status: z.int() }),
});

export const jobErrorSchema = z.object({ code: z.string(), message: z.string(), status: z.int() });

export const jobSchema = z.object({
  id: z.string().check(z.minLength(1)),
  status: z.enum(JOB_STATUSES),
  pipeline: z.enum(PIPELINES),
  language: z.string(),
  file: z.object({
    name: z.string(),
    size_bytes: z.number().check(z.nonnegative()),
    content_type: z.string(),
    sha256: z.string(),
  }),
  metadata: z._default(z.record(z.string(), z.string()), {}),
  duration_seconds: z.nullish(z.number().check(z.nonnegative())),
  progress: z.nullish(z.number().check(z.gte(0), z.lte(1))),
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.nullish(z.string()),
  error: z.nullish(jobErrorSchema),
});

export type Job = z.infer<typeof jobSchema>;
export type JobError = z.infer<typeof jobErrorSchema>;

export const ACTIVE_STATUSES: readonly JobStatus[] = ['queued', 'processing'];
export function isActiveStatus(status: JobStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

// The zod the first page already loads, for modules loaded later: importing it from here keeps the first page's chunk whole.
export { z };
