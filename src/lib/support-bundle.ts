/** What support needs to trace a failure: identifiers, codes and times. Never the API key. */
export interface SupportBundleInput {
  what: string;
  jobId?: string | null;
  requestId?: string | null;
  code: string;
  status: number | null;
  message: string;
  attempts?: number;
  firstAttemptAt?: number | null;
  failedAt: number;
  apiBase: string;
}

export function supportBundle(input: SupportBundleInput): string {
  const lines = [
    'NovaPulse Console support bundle',
    `what: ${input.what}`,
    `job id: ${input.jobId ?? 'none (no job was created)'}`,
    `request id: ${input.requestId ?? 'none (no answer from the server)'}`,
    `error: ${input.code}${input.status !== null ? ` (HTTP ${input.status})` : ''}`,
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
