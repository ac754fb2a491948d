/** What support needs to trace a failure: identifiers, codes and times. Never the API key. */
interface SupportBundleCommon {
  what: string;
  jobId?: string | null;
  code: string;
  message: string;
  attempts?: number;
  firstAttemptAt?: number | null;
  failedAt: number;
  apiBase: string;
}

/** A request NovaPulse refused, or one that got no answer: it has an HTTP status (or none) and maybe a request id. */
export interface RequestFailureBundle extends SupportBundleCommon {
  failure?: 'request';
  requestId?: string | null;
  status: number | null;
}

/**
 * A job that failed while processing: every request was answered (the job read back with status "failed"), so there
 * is no HTTP status and no failed request to quote, only the job's error code.
 */
export interface ProcessingFailureBundle extends SupportBundleCommon {
  failure: 'processing';
  jobId: string;
}

export type SupportBundleInput = RequestFailureBundle | ProcessingFailureBundle;

function failureLines(input: SupportBundleInput): string[] {
  if (input.failure === 'processing') {
    return ['failure: the job failed while processing (its status is "failed"; no HTTP request failed)', `error: ${input.code} (the job's error code)`];
  }
  return [`request id: ${input.requestId ?? 'none (no answer from the server)'}`, `error: ${input.code}${input.status !== null ? ` (HTTP ${input.status})` : ''}`];
}

export function supportBundle(input: SupportBundleInput): string {
  const lines = [
    'NovaPulse Console support bundle',
    `what: ${input.what}`,
    `job id: ${input.jobId ?? 'none (no job was created)'}`,
    ...failureLines(input),
    `message: ${input.message}`,
    input.attempts !== undefined ? `attempts: ${input.attempts}` : null,
    input.firstAttemptAt ? `first attempt: ${new Date(input.firstAttemptAt).toISOString()}` : null,
    `failed at: ${new Date(input.failedAt).toISOString()}`,
    `api: ${input.apiBase || 'this origin'}`,
  ];
  // Belt and braces: nothing shaped like a key leaves in a bundle.
  return lines
    .filter((line): line is string => line !== null)
    .join('\n')
    .replace(/np_(live|test)_[A-Za-z0-9]{32}/g, 'np_$1_[redacted]');
}
