// The same schemas and uses as zod-first-page.ts, one for one, in valibot 1.5 (`npm i --no-save valibot@1.5.0`).
import * as v from 'valibot';

const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;
const PIPELINES = ['transcription', 'full-analysis'] as const;
const SCOPES = ['account:read', 'jobs:read', 'jobs:write', 'insights:read'] as const;
const int = () => v.pipe(v.number(), v.integer());
const positiveInt = () => v.pipe(v.number(), v.integer(), v.minValue(1));
const countInt = () => v.pipe(v.number(), v.integer(), v.minValue(0));
export const errorEnvelopeSchema = v.object({ error: v.object({ code: v.pipe(v.string(), v.minLength(1)), message: v.string(), status: int() }) });
const jobErrorSchema = v.object({ code: v.string(), message: v.string(), status: int() });
const jobSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1)),
  status: v.picklist(JOB_STATUSES),
  pipeline: v.picklist(PIPELINES),
  language: v.string(),
  file: v.object({ name: v.string(), size_bytes: v.pipe(v.number(), v.minValue(0)), content_type: v.string(), sha256: v.string() }),
  metadata: v.optional(v.record(v.string(), v.string()), {}),
  duration_seconds: v.nullish(v.pipe(v.number(), v.minValue(0))),
  progress: v.nullish(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  created_at: v.string(),
  updated_at: v.string(),
  completed_at: v.nullish(v.string()),
  error: v.nullish(jobErrorSchema),
});
export const listJobsResponseSchema = v.object({ data: v.array(jobSchema), next_cursor: v.nullable(v.string()) });
export const createJobResponseSchema = v.object({ job: jobSchema });
export const jobResponseSchema = v.object({ job: jobSchema });
export const accountResponseSchema = v.object({
  account: v.object({ id: v.string(), name: v.string(), tier: v.string() }),
  key: v.object({
    id: v.string(),
    label: v.string(),
    prefix: v.string(),
    scopes: v.pipe(
      v.array(v.string()),
      v.transform((scopes) => scopes.filter((scope): scope is (typeof SCOPES)[number] => (SCOPES as readonly string[]).includes(scope))),
    ),
    expires_at: v.nullish(v.string()),
  }),
  limits: v.object({ requests_per_minute: positiveInt(), concurrent_jobs: positiveInt(), max_file_bytes: positiveInt(), dedup_window_seconds: countInt() }),
  usage: v.object({
    active_jobs: countInt(),
    audio_seconds_used: v.pipe(v.number(), v.minValue(0)),
    audio_seconds_included: v.pipe(v.number(), v.minValue(0)),
    period_start: v.string(),
    period_end: v.string(),
  }),
});
export const envSchema = v.object({
  VITE_DEMO: v.optional(v.picklist(['true', 'false']), 'false'),
  VITE_NOVAPULSE_API_BASE: v.optional(v.pipe(v.string(), v.check((value) => value === '' || /^https?:\/\//.test(value), 'must be empty or an http(s) URL')), ''),
});
export const jobsSearchSchema = v.object({
  status: v.fallback(v.optional(v.picklist(JOB_STATUSES)), undefined),
  pipeline: v.fallback(v.optional(v.picklist(PIPELINES)), undefined),
  q: v.fallback(v.optional(v.pipe(v.string(), v.maxLength(200))), undefined),
});
export const failedSearchSchema = v.object({
  code: v.fallback(v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9_]{1,64}$/))), undefined),
  pipeline: v.fallback(v.optional(v.picklist(PIPELINES)), undefined),
  range: v.fallback(v.optional(v.picklist(['24h', '7d', '30d'])), undefined),
  q: v.fallback(v.optional(v.pipe(v.string(), v.maxLength(200))), undefined),
});
const count = countInt();
const time = v.number();
const persistedItemSchema = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1)),
  fileName: v.string(),
  size: count,
  format: v.picklist(['wav', 'mp3', 'flac', 'm4a', 'ogg']),
  pipeline: v.picklist(PIPELINES),
  language: v.string(),
  metadata: v.record(v.string(), v.string()),
  sha256: v.nullable(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
  state: v.picklist(['waiting', 'hashing', 'sending', 'done', 'failed']),
  attempts: count,
  sent: count,
  mayHaveReachedServer: v.boolean(),
  firstAttemptAt: v.optional(v.nullable(time)),
  retryAt: v.nullable(time),
  retryReason: v.nullable(v.string()),
  dedupUntil: v.nullable(time),
  submitWhenWindowEnds: v.boolean(),
  duplicateOf: v.optional(v.nullable(v.object({ uploadId: v.nullable(v.string()), fileName: v.nullable(v.string()), jobId: v.nullable(v.string()), sameBatch: v.boolean() }))),
  sendAnyway: v.optional(v.boolean()),
  batchId: v.optional(v.string()),
  jobId: v.nullable(v.string()),
  adopted: v.boolean(),
  acceptedAt: v.nullable(time),
  jobStatus: v.nullable(v.picklist([...JOB_STATUSES, 'unknown'])),
  jobError: v.nullable(v.object({ code: v.string(), message: v.string() })),
  error: v.nullable(v.object({ code: v.string(), status: v.nullable(int()), message: v.string(), requestId: v.nullable(v.string()), at: time })),
});
export const persistedQueueSchema = v.object({ version: v.literal(2), items: v.array(persistedItemSchema) });
export const legacyQueueSchema = v.object({ version: v.literal(1), state: v.object({ items: v.array(persistedItemSchema) }) });
export const demoKeySchema = v.object({ key: v.string(), account_id: v.string() });
export function check(schema: v.GenericSchema, value: unknown) {
  const parsed = v.safeParse(schema, value);
  return parsed.success ? parsed.output : `${v.getDotPath(parsed.issues[0])}: ${parsed.issues[0].message}`;
}
export const parseEnv = (env: unknown) => v.parse(envSchema, env);
