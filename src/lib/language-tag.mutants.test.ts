import { checkLanguageTag, DEFAULT_LANGUAGE, isWellFormedLanguageTag } from './language-tag';

// Written against survivors of the mutation run (docs/mutation-testing.md).

describe('language tags, beyond the main paths', () => {
  it('defaults to en-US, as api-contract.md does', () => {
    expect(DEFAULT_LANGUAGE).toBe('en-US');
  });

  it('answers a plain false, not a throw or undefined, for what Intl refuses', () => {
    expect(isWellFormedLanguageTag('en_US')).toBe(false);
    expect(isWellFormedLanguageTag('en-')).toBe(false);
  });

  it('suggests a tag for an English name typed in any case or with spaces around it', () => {
    expect(checkLanguageTag('English')).toEqual({ kind: 'unknown', suggestion: 'en' });
    expect(checkLanguageTag('  german ')).toEqual({ kind: 'malformed', suggestion: 'de' });
    expect(checkLanguageTag('klingon')).toEqual({ kind: 'unknown', suggestion: null });
  });

  it('calls "mis" (uncoded languages) no language to transcribe', () => {
    expect(checkLanguageTag('mis')).toEqual({ kind: 'unknown', suggestion: null });
  });

  describe('without Intl.DisplayNames (old browsers)', () => {
    const original = Intl.DisplayNames;
    afterEach(() => {
      Object.defineProperty(Intl, 'DisplayNames', { value: original, configurable: true, writable: true });
      vi.resetModules();
    });

    it('takes any well-formed tag, canonicalised, and suggests nothing', async () => {
      Object.defineProperty(Intl, 'DisplayNames', { value: undefined, configurable: true, writable: true });
      vi.resetModules();
      const fresh = await import('./language-tag');
      expect(fresh.checkLanguageTag('EN-us')).toEqual({ kind: 'language', name: 'en-US' });
      expect(fresh.checkLanguageTag('zz')).toEqual({ kind: 'language', name: 'zz' });
      expect(fresh.checkLanguageTag('english people')).toEqual({ kind: 'malformed', suggestion: null });
    });
  });
});
