// The first page's zod/mini schemas as the console writes them (src/api/schemas.ts; the list-jobs, create-job, get-job
// and get-account endpoints; config/env; jobs-search; failed-search; queue-persistence; demo-key), with the two ways
// they are used (safeParse and the first issue's message; parse), for measure.mjs. A snapshot of issue 16's day, kept
// beside its valibot twin so the table in docs/decisions.md can be measured again; the console's own are in src/.
import { z } from 'zod/mini';

const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;
const PIPELINES = ['transcription', 'full-analysis'] as const;
const SCOPES = ['account:read', 'jobs:read', 'jobs:write', 'insights:read'] as const;
export const errorEnvelopeSchema = z.object({ error: z.object({ code: z.string().check(z.minLength(1)), message: z.string(), status: z.int() }) });
const jobErrorSchema = z.object({ code: z.string(), message: z.string(), status: z.int() });
const jobSchema = z.object({
  id: z.string().check(z.minLength(1)),
  status: z.enum(JOB_STATUSES),
  pipeline: z.enum(PIPELINES),
  language: z.string(),
  file: z.object({ name: z.string(), size_bytes: z.number().check(z.nonnegative()), content_type: z.string(), sha256: z.string() }),
  metadata: z._default(z.record(z.string(), z.string()), {}),
  duration_seconds: z.nullish(z.number().check(z.nonnegative())),
  progress: z.nullish(z.number().check(z.gte(0), z.lte(1))),
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.nullish(z.string()),
  error: z.nullish(jobErrorSchema),
});
export const listJobsResponseSchema = z.object({ data: z.array(jobSchema), next_cursor: z.nullable(z.string()) });
export const createJobResponseSchema = z.object({ job: jobSchema });
export const jobResponseSchema = z.object({ job: jobSchema });
export const accountResponseSchema = z.object({
  account: z.object({ id: z.string(), name: z.string(), tier: z.string() }),
  key: z.object({
    id: z.string(),
    label: z.string(),
    prefix: z.string(),
    scopes: z.pipe(
      z.array(z.string()),
      z.transform((scopes) => scopes.filter((scope): scope is (typeof SCOPES)[number] => (SCOPES as readonly string[]).includes(scope))),
    ),
    expires_at: z.nullish(z.string()),
  }),
  limits: z.object({
    requests_per_minute: z.int().check(z.positive()),
    concurrent_jobs: z.int().check(z.positive()),
    max_file_bytes: z.int().check(z.positive()),
    dedup_window_seconds: z.int().check(z.nonnegative()),
  }),
  usage: z.object({
    active_jobs: z.int().check(z.nonnegative()),
    audio_seconds_used: z.number().check(z.nonnegative()),
    audio_seconds_included: z.number().check(z.nonnegative()),
    period_start: z.string(),
    period_end: z.string(),
  }),
});
export const envSchema = z.object({
  VITE_DEMO: z._default(z.enum(['true', 'false']), 'false'),
  VITE_NOVAPULSE_API_BASE: z._default(z.string().check(z.refine((value) => value === '' || /^https?:\/\//.test(value), 'must be empty or an http(s) URL')), ''),
});
export const jobsSearchSchema = z.object({
  status: z.catch(z.optional(z.enum(JOB_STATUSES)), undefined),
  pipeline: z.catch(z.optional(z.enum(PIPELINES)), undefined),
  q: z.catch(z.optional(z.string().check(z.maxLength(200))), undefined),
});
export const failedSearchSchema = z.object({
  code: z.catch(z.optional(z.string().check(z.regex(/^[a-z0-9_]{1,64}$/))), undefined),
  pipeline: z.catch(z.optional(z.enum(PIPELINES)), undefined),
  range: z.catch(z.optional(z.enum(['24h', '7d', '30d'])), undefined),
  q: z.catch(z.optional(z.string().check(z.maxLength(200))), undefined),
});
const count = z.int().check(z.nonnegative());
const time = z.number();
const persistedItemSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  fileName: z.string(),
  size: count,
  format: z.enum(['wav', 'mp3', 'flac', 'm4a', 'ogg']),
  pipeline: z.enum(PIPELINES),
  language: z.string(),
  metadata: z.record(z.string(), z.string()),
  sha256: z.nullable(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  state: z.enum(['waiting', 'hashing', 'sending', 'done', 'failed']),
  attempts: count,
  sent: count,
  mayHaveReachedServer: z.boolean(),
  firstAttemptAt: z.optional(z.nullable(time)),
  retryAt: z.nullable(time),
  retryReason: z.nullable(z.string()),
  dedupUntil: z.nullable(time),
  submitWhenWindowEnds: z.boolean(),
  duplicateOf: z.optional(z.nullable(z.object({ uploadId: z.nullable(z.string()), fileName: z.nullable(z.string()), jobId: z.nullable(z.string()), sameBatch: z.boolean() }))),
  sendAnyway: z.optional(z.boolean()),
  batchId: z.optional(z.string()),
  jobId: z.nullable(z.string()),
  adopted: z.boolean(),
  acceptedAt: z.nullable(time),
  jobStatus: z.nullable(z.enum([...JOB_STATUSES, 'unknown'])),
  jobError: z.nullable(z.object({ code: z.string(), message: z.string() })),
  error: z.nullable(z.object({ code: z.string(), status: z.nullable(z.int()), message: z.string(), requestId: z.nullable(z.string()), at: time })),
});
export const persistedQueueSchema = z.object({ version: z.literal(2), items: z.array(persistedItemSchema) });
export const legacyQueueSchema = z.object({ version: z.literal(1), state: z.object({ items: z.array(persistedItemSchema) }) });
export const demoKeySchema = z.object({ key: z.string(), account_id: z.string() });
export function check(schema: z.ZodMiniType, value: unknown) {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`;
}
export const parseEnv = (env: unknown) => envSchema.parse(env);
