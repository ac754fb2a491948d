import { COMMON_LANGUAGES, checkLanguageTag, isWellFormedLanguageTag } from './language-tag';

describe('language tags that name a real language', () => {
  it.each([
    ['en-US', 'American English'],
    ['pt-BR', 'Brazilian Portuguese'],
    ['fr', 'French'],
    ['zh-Hant-TW', 'Chinese (Traditional, Taiwan)'],
    ['EN-us', 'American English'],
    ['iw', 'Hebrew'],
  ])('%s names %s', (tag, name) => {
    expect(checkLanguageTag(tag)).toEqual({ kind: 'language', name });
  });

  it.each(['zz', 'qaa', 'en-QQ', 'und', 'zxx', 'mul'])('%s is well-formed but names no language to transcribe', (tag) => {
    expect(isWellFormedLanguageTag(tag)).toBe(true);
    expect(checkLanguageTag(tag)).toEqual({ kind: 'unknown', suggestion: null });
  });

  it('reads a language typed by its English name as no tag, and suggests the tag', () => {
    expect(isWellFormedLanguageTag('english')).toBe(true); // a 5-8 letter language subtag is well-formed
    expect(checkLanguageTag('english')).toEqual({ kind: 'unknown', suggestion: 'en' });
    expect(checkLanguageTag('Portuguese')).toEqual({ kind: 'malformed', suggestion: 'pt' }); // over 8 letters
    expect(checkLanguageTag('Brazilian Portuguese')).toEqual({ kind: 'malformed', suggestion: 'pt-BR' });
  });

  it('calls malformed input malformed', () => {
    for (const tag of ['en_US', 'en-US ', '', 'x-foo', '12']) expect(checkLanguageTag(tag)).toEqual({ kind: 'malformed', suggestion: null });
  });

  it('offers only languages it accepts', () => {
    expect(COMMON_LANGUAGES.length).toBeGreaterThanOrEqual(40);
    for (const tag of COMMON_LANGUAGES) expect(checkLanguageTag(tag).kind).toBe('language');
  });
});
