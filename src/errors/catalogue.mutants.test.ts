import { CLIENT_FAILURE_CATALOGUE, catalogueEntryFor, ERROR_CATALOGUE, ERROR_CODES, fieldOfFailure, jobFailureGuidance } from './catalogue';

// Written against survivors of the mutation run (docs/mutation-testing.md):
// what the catalogue says each code shows and offers, per docs/error-behaviour.md.

describe('catalogue: what each code shows and offers (error-behaviour.md)', () => {
  it('every entry, server code or client failure, has a title, a cause and a resolution to show', () => {
    for (const entry of [...Object.values(ERROR_CATALOGUE), ...Object.values(CLIENT_FAILURE_CATALOGUE)]) {
      expect(entry.title.trim().length, `${entry.code} title`).toBeGreaterThan(3);
      expect(entry.cause.trim().length, `${entry.code} cause`).toBeGreaterThan(10);
      expect(entry.resolution.trim().length, `${entry.code} resolution`).toBeGreaterThan(10);
    }
    expect(Object.keys(CLIENT_FAILURE_CATALOGUE).sort()).toEqual(['aborted', 'malformed_response', 'network_error', 'timeout']);
    for (const [code, entry] of Object.entries(CLIENT_FAILURE_CATALOGUE)) {
      expect(entry.code).toBe(code);
      expect(entry.status).toBeNull();
      expect(entry.category).toBe('client');
    }
  });

  it('offers the UI action of the table for each code', () => {
    const actions = Object.fromEntries(ERROR_CODES.map((code) => [code, ERROR_CATALOGUE[code].action]));
    expect(actions).toEqual({
      missing_api_key: 'open-key-dialog',
      invalid_api_key: 'open-key-dialog',
      expired_api_key: 'open-key-dialog',
      insufficient_permissions: 'show-missing-scope',
      missing_required_field: 'mark-field',
      invalid_parameter: 'mark-field',
      invalid_language_code: 'mark-field',
      file_too_large: 'split-file',
      unsupported_media_type: 'convert-file',
      job_not_found: 'mark-job-unknown',
      job_not_ready: 'show-progress',
      pipeline_mismatch: 'reupload-full-analysis',
      job_already_exists: 'dedup-countdown',
      rate_limit_exceeded: 'rate-limit-countdown',
      concurrent_jobs_exceeded: 'wait-for-slot',
      internal_error: 'support-bundle',
      service_unavailable: 'maintenance-banner',
    });
    expect(CLIENT_FAILURE_CATALOGUE.network_error.action).toBe('offline-banner');
    expect(CLIENT_FAILURE_CATALOGUE.malformed_response.action).toBe('support-bundle');
  });

  it('groups codes as the seed does: authentication, request, job, rate limit, server', () => {
    const categories = Object.fromEntries(ERROR_CODES.map((code) => [code, ERROR_CATALOGUE[code].category]));
    expect(categories).toEqual({
      missing_api_key: 'authentication',
      invalid_api_key: 'authentication',
      expired_api_key: 'authentication',
      insufficient_permissions: 'authentication',
      missing_required_field: 'request',
      invalid_parameter: 'request',
      invalid_language_code: 'request',
      file_too_large: 'request',
      unsupported_media_type: 'request',
      job_not_found: 'job',
      job_not_ready: 'job',
      pipeline_mismatch: 'job',
      job_already_exists: 'job',
      rate_limit_exceeded: 'rate-limit',
      concurrent_jobs_exceeded: 'rate-limit',
      internal_error: 'server',
      service_unavailable: 'server',
    });
  });

  it('marks the language field for a bad language code and the file for a file too large or not audio', () => {
    expect(ERROR_CATALOGUE.invalid_language_code.field).toBe('language');
    expect(ERROR_CATALOGUE.file_too_large.field).toBe('file');
    expect(ERROR_CATALOGUE.unsupported_media_type.field).toBe('file');
  });

  it('says what the table says the person can do', () => {
    expect(ERROR_CATALOGUE.invalid_api_key.resolution).toContain('Settings > API Keys');
    expect(ERROR_CATALOGUE.expired_api_key.resolution).toMatch(/new key/i);
    expect(ERROR_CATALOGUE.file_too_large.resolution).toMatch(/split/i);
    expect(ERROR_CATALOGUE.unsupported_media_type.resolution).toContain('MP3, WAV, M4A, FLAC or OGG');
    expect(ERROR_CATALOGUE.internal_error.resolution).toMatch(/contact .*support/i);
    expect(ERROR_CATALOGUE.job_already_exists.resolution).toContain('60');
    expect(ERROR_CATALOGUE.job_not_found.resolution).toMatch(/job ID/);
    expect(ERROR_CATALOGUE.pipeline_mismatch.resolution).toContain('full-analysis');
  });

  it('retries network failures and stalls with the 500 backoff (base 1 s, cap 30 s, at most 4 attempts)', () => {
    for (const code of ['network_error', 'timeout'] as const) {
      expect(CLIENT_FAILURE_CATALOGUE[code].retry).toEqual({ kind: 'backoff', baseMs: 1000, capMs: 30000, maxAttempts: 4, honourRetryAfter: false });
    }
    expect(CLIENT_FAILURE_CATALOGUE.aborted.retry.kind).toBe('never');
    expect(CLIENT_FAILURE_CATALOGUE.malformed_response.retry.kind).toBe('never');
  });
});

describe('catalogueEntryFor: status classes at their edges', () => {
  it('retries an unreadable body of a 2xx (it may have done its work) or a 5xx, and of nothing else', () => {
    for (const status of [200, 202, 299, 500, 502, 599]) {
      const entry = catalogueEntryFor('malformed_response', status);
      expect(entry.retry, `HTTP ${status}`).toEqual({ kind: 'backoff', baseMs: 1000, capMs: 30000, maxAttempts: 4, honourRetryAfter: false });
      expect(entry.status).toBe(status);
      expect(entry.title).toMatch(/unexpected response/i);
      expect(entry.action).toBe('support-bundle');
    }
    for (const status of [199, 300, 404, 499, null]) {
      const entry = catalogueEntryFor('malformed_response', status);
      expect(entry.retry.kind, `HTTP ${status}`).toBe('never');
      expect(entry.status).toBeNull();
    }
  });

  it('retries an unknown code from 500 up, not from 499 down nor without a status', () => {
    const at500 = catalogueEntryFor('quota_frozen', 500);
    expect(at500).toMatchObject({ code: 'quota_frozen', status: 500, category: 'server', action: 'support-bundle' });
    expect(at500.retry).toEqual({ kind: 'backoff', baseMs: 1000, capMs: 30000, maxAttempts: 4, honourRetryAfter: false });
    expect(at500.resolution).toMatch(/retries/);
    expect(at500.cause).toContain('quota_frozen');
    for (const status of [499, null]) {
      const entry = catalogueEntryFor('quota_frozen', status);
      expect(entry).toMatchObject({ code: 'quota_frozen', status, category: 'request', action: 'support-bundle', retry: { kind: 'never' } });
      expect(entry.resolution).toMatch(/will not succeed as sent/);
      expect(entry.resolution).not.toMatch(/retries/);
    }
    expect(catalogueEntryFor('quota_frozen', 500).title.length).toBeGreaterThan(3);
  });

  it('answers the known entry for a known code whatever the status', () => {
    expect(catalogueEntryFor('rate_limit_exceeded', 500)).toBe(ERROR_CATALOGUE.rate_limit_exceeded);
    expect(catalogueEntryFor('timeout', 504)).toBe(CLIENT_FAILURE_CATALOGUE.timeout);
  });
});

describe('jobFailureGuidance', () => {
  it('uses the catalogue title and cause of a known code, and its own advice to upload again', () => {
    const guidance = jobFailureGuidance('job_not_found');
    expect(guidance.title).toBe('Job not found');
    expect(guidance.cause).toBe(ERROR_CATALOGUE.job_not_found.cause);
    expect(guidance.resolution).toMatch(/^Upload the file again/);
  });

  it('says an undecodable file must be converted (the seed: looked like audio, could not be decoded)', () => {
    const guidance = jobFailureGuidance('unsupported_media_type');
    expect(guidance.resolution).toMatch(/could not be decoded/);
    expect(guidance.resolution).toContain('MP3, WAV, M4A, FLAC or OGG');
    expect(jobFailureGuidance('service_unavailable').resolution).toMatch(/status page/);
    expect(jobFailureGuidance('internal_error').resolution).toMatch(/contact NovaPulse support/);
  });

  it('names an unknown code a plain "Job failed"', () => {
    expect(jobFailureGuidance('something_new')).toMatchObject({ title: 'Job failed' });
    expect(jobFailureGuidance('something_new').resolution).toMatch(/^Upload the file again/);
  });
});

describe('fieldOfFailure', () => {
  it('marks the field the message names first, in any case, and only as a whole word', () => {
    expect(fieldOfFailure('invalid_parameter', 400, 'language "xx" does not go with pipeline "fast".')).toBe('language');
    expect(fieldOfFailure('invalid_parameter', 400, 'Metadata values must be strings.')).toBe('metadata');
    expect(fieldOfFailure('invalid_parameter', 400, 'The pipelines list is closed; the file is fine.')).toBe('file');
  });
});
