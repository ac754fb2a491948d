/**
 * The one place that knows what each NovaPulse error code means and what the
 * console does about it. Facts (status, cause) follow ../shared/seed/error-codes.md;
 * behaviour (retry policy, UI action) follows docs/error-behaviour.md.
 */

export const ERROR_CODES = [
  'missing_api_key',
  'invalid_api_key',
  'expired_api_key',
  'insufficient_permissions',
  'missing_required_field',
  'invalid_parameter',
  'invalid_language_code',
  'file_too_large',
  'unsupported_media_type',
  'job_not_found',
  'job_not_ready',
  'pipeline_mismatch',
  'job_already_exists',
  'rate_limit_exceeded',
  'concurrent_jobs_exceeded',
  'internal_error',
  'service_unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Failures that carry no server code; the client gives them these names. */
export type ClientFailureCode = 'network_error' | 'malformed_response' | 'aborted' | 'timeout';

export type ErrorCategory = 'authentication' | 'request' | 'job' | 'rate-limit' | 'server' | 'client';

export type RetryPolicy =
  /** Not retried: the same request would fail the same way. */
  | { kind: 'never' }
  /** Every request waits at the auth gate until a new key is set. */
  | { kind: 'auth-gate'; dropStoredKey: boolean }
  /** Not a failure: re-request only once a status poll says the job completed. */
  | { kind: 'not-an-error' }
  /** Adopt the existing job when an earlier attempt may have reached the server; otherwise do not retry. */
  | { kind: 'adopt-or-wait-window' }
  /** Wait exactly Retry-After (never less) plus up to `jitterMs`; the wait holds every request on the key. */
  | { kind: 'retry-after'; jitterMs: number; maxAttempts: number }
  /** Back to the queue until a running job ends; no timer. */
  | { kind: 'on-slot-free' }
  /** Full-jitter backoff; `honourRetryAfter` uses the server's Retry-After when it sends one. */
  | { kind: 'backoff'; baseMs: number; capMs: number; maxAttempts: number; honourRetryAfter: boolean };

export type UiAction =
  | 'open-key-dialog'
  | 'show-missing-scope'
  | 'mark-field'
  | 'split-file'
  | 'convert-file'
  | 'mark-job-unknown'
  | 'show-progress'
  | 'reupload-full-analysis'
  | 'dedup-countdown'
  | 'rate-limit-countdown'
  | 'wait-for-slot'
  | 'support-bundle'
  | 'maintenance-banner'
  | 'offline-banner';

export interface CatalogueEntry {
  code: ErrorCode | ClientFailureCode;
  status: number | null;
  category: ErrorCategory;
  title: string;
  cause: string;
  resolution: string;
  retry: RetryPolicy;
  action: UiAction;
  /** The form field a request error points at, when there is one. */
  field?: 'file' | 'pipeline' | 'language' | 'metadata';
}

const SERVER_BACKOFF: RetryPolicy = { kind: 'backoff', baseMs: 1_000, capMs: 30_000, maxAttempts: 4, honourRetryAfter: false };

export const ERROR_CATALOGUE: Record<ErrorCode, CatalogueEntry> = {
  missing_api_key: {
    code: 'missing_api_key',
    status: 401,
    category: 'authentication',
    title: 'No API key',
    cause: 'The request carried no Authorization header.',
    resolution: 'Enter an API key. Queued uploads wait and are sent once a key is set.',
    retry: { kind: 'auth-gate', dropStoredKey: false },
    action: 'open-key-dialog',
  },
  invalid_api_key: {
    code: 'invalid_api_key',
    status: 401,
    category: 'authentication',
    title: 'API key not recognised',
    cause: 'The key is malformed or does not exist.',
    resolution: 'Check the key in the NovaPulse dashboard (Settings > API Keys there, not in this console) and enter it again.',
    retry: { kind: 'auth-gate', dropStoredKey: true },
    action: 'open-key-dialog',
  },
  expired_api_key: {
    code: 'expired_api_key',
    status: 401,
    category: 'authentication',
    title: 'API key expired',
    cause: 'The key has been revoked or has expired.',
    resolution: 'Generate a new key in the NovaPulse dashboard and enter it here; queued uploads resume by themselves.',
    retry: { kind: 'auth-gate', dropStoredKey: false },
    action: 'open-key-dialog',
  },
  insufficient_permissions: {
    code: 'insufficient_permissions',
    status: 403,
    category: 'authentication',
    title: 'Key lacks a permission',
    cause: 'The key does not have the scope this action needs.',
    resolution: "Use a key with the missing scope, or generate one with broader permissions.",
    retry: { kind: 'never' },
    action: 'show-missing-scope',
  },
  missing_required_field: {
    code: 'missing_required_field',
    status: 400,
    category: 'request',
    title: 'A required field is missing',
    cause: 'The request left out a field the endpoint requires.',
    resolution: 'Fill in the marked field and submit again.',
    retry: { kind: 'never' },
    action: 'mark-field',
  },
  invalid_parameter: {
    code: 'invalid_parameter',
    status: 400,
    category: 'request',
    title: 'A value is not valid',
    cause: 'A parameter has the wrong type, is out of range or is not a supported value.',
    resolution: 'Correct the marked value and submit again.',
    retry: { kind: 'never' },
    action: 'mark-field',
  },
  invalid_language_code: {
    code: 'invalid_language_code',
    status: 400,
    category: 'request',
    title: 'Language code not valid',
    cause: 'The language is not a well-formed BCP-47 tag.',
    resolution: 'Use a language tag such as en-US.',
    retry: { kind: 'never' },
    action: 'mark-field',
    field: 'language',
  },
  file_too_large: {
    code: 'file_too_large',
    status: 413,
    category: 'request',
    title: 'File too large',
    cause: 'The file is larger than the 500 MB upload limit.',
    resolution: 'Split the audio into parts under the limit and upload each part.',
    retry: { kind: 'never' },
    action: 'split-file',
    field: 'file',
  },
  unsupported_media_type: {
    code: 'unsupported_media_type',
    status: 415,
    category: 'request',
    title: 'Audio format not supported',
    cause: 'The file is not audio NovaPulse can read.',
    resolution: 'Convert the file to MP3, WAV, M4A, FLAC or OGG and upload it again.',
    retry: { kind: 'never' },
    action: 'convert-file',
    field: 'file',
  },
  job_not_found: {
    code: 'job_not_found',
    status: 404,
    category: 'job',
    title: 'Job not found',
    cause: 'No job with this ID exists in this account.',
    resolution: 'Verify the job ID returned when the file was uploaded.',
    retry: { kind: 'never' },
    action: 'mark-job-unknown',
  },
  job_not_ready: {
    code: 'job_not_ready',
    status: 404,
    category: 'job',
    title: 'Still processing',
    cause: 'The job has not finished, so its results are not available yet.',
    resolution: 'Results appear here by themselves when the job completes.',
    retry: { kind: 'not-an-error' },
    action: 'show-progress',
  },
  pipeline_mismatch: {
    code: 'pipeline_mismatch',
    status: 403,
    category: 'job',
    title: 'Insights need full analysis',
    cause: 'Insights need the full-analysis pipeline, and this job ran transcription only.',
    resolution: 'Re-upload the file with pipeline full-analysis.',
    retry: { kind: 'never' },
    action: 'reupload-full-analysis',
  },
  job_already_exists: {
    code: 'job_already_exists',
    status: 409,
    category: 'job',
    title: 'Same upload already submitted',
    cause: 'A job with the same file, pipeline, language and metadata was submitted in the last 60 seconds.',
    resolution: 'Submit again when the 60-second window ends, or change the metadata to make it a different job.',
    retry: { kind: 'adopt-or-wait-window' },
    action: 'dedup-countdown',
  },
  rate_limit_exceeded: {
    code: 'rate_limit_exceeded',
    status: 429,
    category: 'rate-limit',
    title: 'Rate limit reached',
    cause: "This key sent more requests than its tier allows in a minute.",
    resolution: 'The console waits for the time the server asks (Retry-After) and then continues by itself.',
    retry: { kind: 'retry-after', jitterMs: 250, maxAttempts: 10 },
    action: 'rate-limit-countdown',
  },
  concurrent_jobs_exceeded: {
    code: 'concurrent_jobs_exceeded',
    status: 429,
    category: 'rate-limit',
    title: 'All job slots in use',
    cause: 'The account already has as many jobs queued or processing as its tier allows.',
    resolution: 'The upload waits for a free slot and is sent when a running job finishes.',
    retry: { kind: 'on-slot-free' },
    action: 'wait-for-slot',
  },
  internal_error: {
    code: 'internal_error',
    status: 500,
    category: 'server',
    title: 'NovaPulse server error',
    cause: 'Something unexpected went wrong on the NovaPulse server.',
    resolution: 'The console retries with backoff. If it keeps failing, contact NovaPulse support with the support bundle.',
    retry: SERVER_BACKOFF,
    action: 'support-bundle',
  },
  service_unavailable: {
    code: 'service_unavailable',
    status: 503,
    category: 'server',
    title: 'NovaPulse is unavailable',
    cause: 'The service is temporarily unavailable, usually for maintenance.',
    resolution: 'The console pauses and resumes by itself after the maintenance window; check the NovaPulse status page for details.',
    retry: { kind: 'backoff', baseMs: 5_000, capMs: 60_000, maxAttempts: 6, honourRetryAfter: true },
    action: 'maintenance-banner',
  },
};

export const CLIENT_FAILURE_CATALOGUE: Record<ClientFailureCode, CatalogueEntry> = {
  network_error: {
    code: 'network_error',
    status: null,
    category: 'client',
    title: 'Network unreachable',
    cause: 'The request did not reach NovaPulse, or the answer did not come back.',
    resolution: 'The console waits while the browser is offline and then retries with backoff.',
    retry: SERVER_BACKOFF,
    action: 'offline-banner',
  },
  malformed_response: {
    code: 'malformed_response',
    status: null,
    category: 'client',
    title: 'Unexpected response',
    cause: 'The server answered with a body the console could not read.',
    resolution: 'If it persists, contact support with the support bundle (it quotes the status and request ID).',
    retry: { kind: 'never' },
    action: 'support-bundle',
  },
  aborted: {
    code: 'aborted',
    status: null,
    category: 'client',
    title: 'Cancelled',
    cause: 'The request was cancelled before it finished.',
    resolution: 'Nothing to do; start it again if you still need it.',
    retry: { kind: 'never' },
    action: 'support-bundle',
  },
  timeout: {
    code: 'timeout',
    status: null,
    category: 'client',
    title: 'Request stalled',
    cause: 'The upload made no progress for too long, or no answer came after the request was sent, so the request was stopped.',
    resolution: 'The console retries with backoff, and looks up an upload that may have landed before sending it again; check the connection if it keeps happening.',
    retry: SERVER_BACKOFF,
    action: 'offline-banner',
  },
};

/**
 * What to do about a job that *failed while processing* with a code: unlike a
 * failed request, nothing is retried, so the advice differs from `resolution`.
 */
/** The codes a job can fail with while processing (the rest are answers to requests). */
export const JOB_FAILURE_CODES = ['internal_error', 'service_unavailable', 'unsupported_media_type'] as const satisfies readonly ErrorCode[];
export type JobFailureCode = (typeof JOB_FAILURE_CODES)[number];

const JOB_FAILURE_RESOLUTIONS: Record<JobFailureCode, string> = {
  internal_error: 'Processing failed on the NovaPulse side. Upload the file again; if it fails again, contact NovaPulse support with the support bundle.',
  service_unavailable: 'The processing service was unavailable. Upload the file again once the NovaPulse status page shows the service is back.',
  unsupported_media_type:
    'The file looked like audio but could not be decoded. Convert it to MP3, WAV, M4A, FLAC or OGG (for example with ffmpeg) and upload it again.',
};
const DEFAULT_JOB_FAILURE_RESOLUTION = 'Upload the file again; if it fails again, contact NovaPulse support with the support bundle.';

export function jobFailureGuidance(code: string): { title: string; cause: string; resolution: string } {
  const entry = catalogueEntryFor(code, null);
  const known = isKnownErrorCode(code);
  return {
    title: known ? entry.title : 'Job failed',
    cause: known ? entry.cause : `NovaPulse reported a failure this console does not know (${code}).`,
    resolution: (known && JOB_FAILURE_RESOLUTIONS[code as JobFailureCode]) || DEFAULT_JOB_FAILURE_RESOLUTION,
  };
}

/**
 * Whether sending the same request again, unchanged, can succeed: not for a
 * request NovaPulse refused as malformed, too large or not audio (400, 413,
 * 415, an unknown 4xx). Those are corrected, not retried.
 */
export function canRetryAsSent(code: string, status: number | null): boolean {
  return catalogueEntryFor(code, status).category !== 'request';
}

const EDITABLE_FIELDS = ['pipeline', 'language', 'metadata', 'file'] as const;
export type FailedField = (typeof EDITABLE_FIELDS)[number];

/**
 * The form field a refused request points at: the catalogue's for the code,
 * else the one the server's message names (`pipeline must be ...`), else null.
 */
export function fieldOfFailure(code: string, status: number | null, message: string): FailedField | null {
  const field = catalogueEntryFor(code, status).field;
  if (field) return field;
  const named = EDITABLE_FIELDS.map((name) => ({ name, at: message.search(new RegExp(`\\b${name}\\b`, 'i')) })).filter((hit) => hit.at >= 0);
  named.sort((a, b) => a.at - b.at);
  return named[0]?.name ?? null;
}

export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

function isClientFailureCode(code: string): code is ClientFailureCode {
  return Object.hasOwn(CLIENT_FAILURE_CATALOGUE, code);
}

/**
 * The entry for any code the console may meet. Unknown codes are treated by
 * status class: 5xx like internal_error (retried), anything else not retried.
 */
export function catalogueEntryFor(code: string, status: number | null): CatalogueEntry {
  if (isKnownErrorCode(code)) return ERROR_CATALOGUE[code];
  if (isClientFailureCode(code)) {
    // A malformed 5xx body is still a server failure and is retried as one; so is a 2xx whose body cannot be
    // read, since the request may have done its work (an upload is then looked up before it is sent again).
    if (code === 'malformed_response' && status !== null && (status >= 500 || (status >= 200 && status < 300))) {
      return { ...CLIENT_FAILURE_CATALOGUE.malformed_response, status, retry: SERVER_BACKOFF };
    }
    return CLIENT_FAILURE_CATALOGUE[code];
  }
  const serverSide = status !== null && status >= 500;
  return {
    code: code as ErrorCode,
    status,
    category: serverSide ? 'server' : 'request',
    title: 'Unrecognised error',
    cause: `NovaPulse answered with a code this console does not know (${code}).`,
    resolution: serverSide
      ? 'The console retries with backoff. If it persists, contact support with the support bundle.'
      : 'This request will not succeed as sent. Contact support with the support bundle.',
    retry: serverSide ? SERVER_BACKOFF : { kind: 'never' },
    action: 'support-bundle',
  };
}
