import { matchesRefused, type RefusedUpload } from './failure-rows';

const upload: RefusedUpload = {
  id: 'u1',
  fileName: 'Call-0412.wav',
  pipeline: 'transcription',
  metadata: { ticket: 'SUP-1182' },
  code: 'invalid_language_code',
  status: 400,
  message: 'The language code is not valid.',
  requestId: 'req_1',
  at: 1_000,
};

describe('a refused upload in the Failed jobs filters', () => {
  it('is listed when it falls in the range and matches every filter set', () => {
    expect(matchesRefused(upload, {}, 1_000)).toBe(true);
    expect(matchesRefused(upload, { code: 'invalid_language_code', pipeline: 'transcription', q: 'call-04' }, 0)).toBe(true);
  });
  it('is left out before the range start, or under another code or pipeline', () => {
    expect(matchesRefused(upload, {}, 1_001)).toBe(false);
    expect(matchesRefused(upload, { code: 'file_too_large' }, 0)).toBe(false);
    expect(matchesRefused(upload, { pipeline: 'full-analysis' }, 0)).toBe(false);
  });
  it('matches the search on the file name or a metadata value, in any case, and nothing else', () => {
    expect(matchesRefused(upload, { q: '  sup-1182 ' }, 0)).toBe(true);
    expect(matchesRefused(upload, { q: 'CALL' }, 0)).toBe(true);
    expect(matchesRefused(upload, { q: 'ticket' }, 0)).toBe(false);
    expect(matchesRefused(upload, { q: 'req_1' }, 0)).toBe(false);
    // An empty search is no filter.
    expect(matchesRefused(upload, { q: '   ' }, 0)).toBe(true);
  });
});
