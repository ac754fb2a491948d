import { isTypingTarget, jumpTarget } from './jump-target';

describe('jumpTarget', () => {
  it('opens a job for a job ID, also when pasted with spaces, quotes or a trailing period', () => {
    expect(jumpTarget('job_01HZX3K9Q2')).toEqual({ kind: 'job', jobId: 'job_01HZX3K9Q2' });
    expect(jumpTarget('  "job_01HZX3K9Q2".\n')).toEqual({ kind: 'job', jobId: 'job_01HZX3K9Q2' });
  });

  it('searches the Jobs page for a file name, a metadata value or anything not an ID', () => {
    expect(jumpTarget('call-0042.mp3')).toEqual({ kind: 'search', q: 'call-0042.mp3' });
    expect(jumpTarget('SUP-1234')).toEqual({ kind: 'search', q: 'SUP-1234' });
    expect(jumpTarget('job_ with space')).toEqual({ kind: 'search', q: 'job_ with space' });
    expect(jumpTarget('job_')).toEqual({ kind: 'search', q: 'job_' });
  });

  it('does nothing for blank input and keeps a search within the list filter limit', () => {
    expect(jumpTarget('   ')).toBeNull();
    expect(jumpTarget('x'.repeat(500))).toEqual({ kind: 'search', q: 'x'.repeat(200) });
  });
});

describe('jumpTarget and API keys', () => {
  it('refuses a pasted API key of either kind, whole, cut short or inside other text, and never makes it a search', () => {
    for (const text of [
      'np_live_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6',
      'np_test_DemoKeyForNovaPulseConsole000001',
      '  "np_live_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6".',
      'Bearer np_live_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6',
      'np_test_Demo',
      'NP_LIVE_A1B2C3',
    ]) {
      expect(jumpTarget(text), text).toEqual({ kind: 'api-key' });
    }
  });

  it('still searches for text that only mentions the prefixes', () => {
    expect(jumpTarget('np_live_')).toEqual({ kind: 'search', q: 'np_live_' });
    expect(jumpTarget('np_staging_report.mp3')).toEqual({ kind: 'search', q: 'np_staging_report.mp3' });
  });
});

describe('isTypingTarget', () => {
  it('is true in fields and editable text, false elsewhere', () => {
    const fake = (matches: boolean, editable = false) => ({ isContentEditable: editable, closest: () => (matches ? {} : null) }) as unknown as EventTarget;
    expect(isTypingTarget(fake(true))).toBe(true);
    expect(isTypingTarget(fake(false, true))).toBe(true);
    expect(isTypingTarget(fake(false))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
