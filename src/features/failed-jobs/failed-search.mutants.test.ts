import { describe, expect, it } from 'vitest';
import { DEFAULT_FAILURE_RANGE, failedSearchSchema, RANGE_LABELS, rangeMs } from './failed-search';

// Written against the survivors of a mutation run (docs/mutation-testing.md, issue 13).

describe('the failed-jobs filters kept in the URL', () => {
  it('the range defaults to the last 7 days, and each range is as long as its label says', () => {
    expect(DEFAULT_FAILURE_RANGE).toBe('7d');
    expect(rangeMs(undefined)).toBe(604_800_000);
    expect(rangeMs('24h')).toBe(86_400_000);
    expect(rangeMs('7d')).toBe(604_800_000);
    expect(rangeMs('30d')).toBe(2_592_000_000);
    expect(RANGE_LABELS).toEqual({ '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days' });
  });

  it('keeps an error code as the API spells them (lower case, digits, underscores, up to 64) and drops anything else', () => {
    expect(failedSearchSchema.parse({ code: 'invalid_language_code' }).code).toBe('invalid_language_code');
    expect(failedSearchSchema.parse({ code: 'a' }).code).toBe('a');
    expect(failedSearchSchema.parse({ code: 'x'.repeat(64) }).code).toBe('x'.repeat(64));
    expect(failedSearchSchema.parse({ code: 'x'.repeat(65) }).code).toBeUndefined();
    expect(failedSearchSchema.parse({ code: 'Bad code' }).code).toBeUndefined();
    expect(failedSearchSchema.parse({ code: 'code Bad' }).code).toBeUndefined();
    expect(failedSearchSchema.parse({ code: '' }).code).toBeUndefined();
  });

  it('drops an unknown pipeline or range and a search longer than 200 characters, keeping the rest', () => {
    expect(failedSearchSchema.parse({ pipeline: 'summary', range: '1y', q: 'x'.repeat(201), code: 'file_too_large' })).toEqual({ code: 'file_too_large' });
    expect(failedSearchSchema.parse({ pipeline: 'full-analysis', range: '30d', q: 'x'.repeat(200) })).toEqual({ pipeline: 'full-analysis', range: '30d', q: 'x'.repeat(200) });
  });
});
