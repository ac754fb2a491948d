import { readFileSync } from 'node:fs';
import { CLIENT_FAILURE_CATALOGUE, canRetryAsSent, catalogueEntryFor, ERROR_CATALOGUE, ERROR_CODES, fieldOfFailure, jobFailureGuidance } from './catalogue';

/** Rows of the seed's tables: | `401` | `missing_api_key` | cause | resolution | */
function seedRows(): { status: number; code: string }[] {
  const seed = readFileSync(new URL('../../docs/seed/error-codes.md', import.meta.url), 'utf8');
  return [...seed.matchAll(/^\|\s*`(\d{3})`\s*\|\s*`([a-z_]+)`\s*\|/gm)].map((match) => ({ status: Number(match[1]), code: match[2] as string }));
}

describe('error catalogue', () => {
  const rows = seedRows();

  it('holds exactly the 17 codes of the seed, no more, no fewer', () => {
    expect(rows).toHaveLength(17);
    expect([...ERROR_CODES].sort()).toEqual(rows.map((row) => row.code).sort());
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual(rows.map((row) => row.code).sort());
  });

  it.each(seedRows())('$code has the seed status $status', ({ code, status }) => {
    const entry = ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE];
    expect(entry.code).toBe(code);
    expect(entry.status).toBe(status);
    expect(entry.cause.length).toBeGreaterThan(10);
    expect(entry.resolution.length).toBeGreaterThan(10);
  });

  it('follows error-behaviour.md: what is retried and how', () => {
    const retried = ERROR_CODES.filter((code) => ['retry-after', 'backoff', 'on-slot-free'].includes(ERROR_CATALOGUE[code].retry.kind));
    expect(retried.sort()).toEqual(['concurrent_jobs_exceeded', 'internal_error', 'rate_limit_exceeded', 'service_unavailable']);
    expect(ERROR_CATALOGUE.internal_error.retry).toMatchObject({ kind: 'backoff', baseMs: 1000, capMs: 30000, maxAttempts: 4 });
    expect(ERROR_CATALOGUE.service_unavailable.retry).toMatchObject({ kind: 'backoff', baseMs: 5000, capMs: 60000, honourRetryAfter: true });
    expect(ERROR_CATALOGUE.rate_limit_exceeded.retry).toMatchObject({ kind: 'retry-after', jitterMs: 250 });
    expect(ERROR_CATALOGUE.job_not_ready.retry.kind).toBe('not-an-error');
    expect(ERROR_CATALOGUE.job_already_exists.retry.kind).toBe('adopt-or-wait-window');
    for (const code of ['missing_api_key', 'invalid_api_key', 'expired_api_key'] as const) {
      expect(ERROR_CATALOGUE[code].retry.kind).toBe('auth-gate');
      expect(ERROR_CATALOGUE[code].action).toBe('open-key-dialog');
    }
    // Only an invalid key is dropped from storage; an expired one is replaced by the person.
    expect(ERROR_CATALOGUE.invalid_api_key.retry).toMatchObject({ dropStoredKey: true });
    expect(ERROR_CATALOGUE.expired_api_key.retry).toMatchObject({ dropStoredKey: false });
    expect(ERROR_CATALOGUE.pipeline_mismatch.action).toBe('reupload-full-analysis');
  });

  it('gives job failures their own advice: a failed job is never retried by the console', () => {
    for (const code of ['internal_error', 'service_unavailable', 'unsupported_media_type', 'something_new']) {
      const guidance = jobFailureGuidance(code);
      expect(guidance.resolution).not.toMatch(/console retries|resumes by itself/);
      expect(guidance.resolution).toMatch(/[Uu]pload/);
    }
    expect(jobFailureGuidance('something_new').cause).toContain('something_new');
  });

  it('treats unknown codes by status class', () => {
    expect(catalogueEntryFor('quota_frozen', 502).retry.kind).toBe('backoff');
    expect(catalogueEntryFor('quota_frozen', 422).retry.kind).toBe('never');
    expect(catalogueEntryFor('quota_frozen', 422).cause).toContain('quota_frozen');
  });

  it('retries network failures like a server error and never retries a malformed 4xx body', () => {
    expect(CLIENT_FAILURE_CATALOGUE.network_error.retry).toEqual(ERROR_CATALOGUE.internal_error.retry);
    expect(catalogueEntryFor('malformed_response', 400).retry.kind).toBe('never');
    expect(catalogueEntryFor('malformed_response', 502).retry.kind).toBe('backoff');
  });
});

describe('what a refused upload offers', () => {
  it('a request refused as sent (400, 413, 415, an unknown 4xx) is corrected, not retried', () => {
    for (const [code, status] of [['invalid_parameter', 400], ['missing_required_field', 400], ['invalid_language_code', 400], ['file_too_large', 413], ['unsupported_media_type', 415], ['quota_frozen', 422]] as const) {
      expect(canRetryAsSent(code, status), code).toBe(false);
    }
    for (const [code, status] of [['internal_error', 500], ['service_unavailable', 503], ['insufficient_permissions', 403], ['network_error', null], ['upstream_hiccup', 502]] as const) {
      expect(canRetryAsSent(code, status), code).toBe(true);
    }
  });

  it('marks the field the catalogue names, else the one the server message names first', () => {
    expect(fieldOfFailure('invalid_language_code', 400, 'whatever')).toBe('language');
    expect(fieldOfFailure('invalid_parameter', 400, 'pipeline must be "transcription" or "full-analysis"; got "fast".')).toBe('pipeline');
    expect(fieldOfFailure('invalid_parameter', 400, 'metadata is 20000 bytes; at most 16384 are allowed.')).toBe('metadata');
    expect(fieldOfFailure('missing_required_field', 400, 'The "pipeline" part is required.')).toBe('pipeline');
    expect(fieldOfFailure('invalid_parameter', 400, 'Something was off.')).toBeNull();
  });
});
