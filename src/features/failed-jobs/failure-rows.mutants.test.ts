import { describe, expect, it } from 'vitest';
import { matchesRefused, type RefusedUpload } from './failure-rows';

// Written against the survivors of a mutation run (docs/mutation-testing.md, issue 13).

describe('a refused upload in the search', () => {
  it('matches when any one of its metadata values contains the search', () => {
    const upload: RefusedUpload = {
      id: 'u1',
      fileName: 'Call-0412.wav',
      pipeline: 'transcription',
      metadata: { ticket: 'SUP-1182', agent: 'Dana' },
      code: 'invalid_language_code',
      status: 400,
      message: 'The language code is not valid.',
      requestId: 'req_1',
      at: 1_000,
    };
    expect(matchesRefused(upload, { q: 'dana' }, 0)).toBe(true);
    expect(matchesRefused(upload, { q: 'sup-1182' }, 0)).toBe(true);
  });
});
