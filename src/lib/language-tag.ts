/** Languages offered as suggestions; any tag that names a real language is accepted. */
export const COMMON_LANGUAGES = [
  'en-US', 'en-GB', 'en-AU', 'en-IN', 'es-ES', 'es-MX', 'es-419', 'fr-FR', 'fr-CA', 'de-DE', 'it-IT', 'pt-BR', 'pt-PT', 'nl-NL',
  'sv-SE', 'da-DK', 'nb-NO', 'fi-FI', 'pl-PL', 'cs-CZ', 'ro-RO', 'hu-HU', 'el-GR', 'ru-RU', 'uk-UA', 'tr-TR', 'he-IL', 'ar-SA',
  'hi-IN', 'bn-IN', 'ta-IN', 'ur-PK', 'ja-JP', 'ko-KR', 'zh-CN', 'zh-TW', 'yue-HK', 'th-TH', 'vi-VN', 'id-ID', 'ms-MY', 'fil-PH', 'sw-KE',
] as const;

export const DEFAULT_LANGUAGE = 'en-US';

// Well-formed and known to ICU, but naming no language to transcribe: undetermined,
// no linguistic content, multiple, uncoded.
const NOT_A_LANGUAGE = new Set(['und', 'zxx', 'mul', 'mis']);

/** Well-formedness per BCP-47, as the platform's Intl implementation judges it. */
export function isWellFormedLanguageTag(tag: string): boolean {
  if (tag.trim() !== tag || tag.length === 0) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

let englishNames: Intl.DisplayNames | null | undefined;

function displayNames(): Intl.DisplayNames | null {
  if (englishNames === undefined) {
    englishNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }) : null;
  }
  return englishNames;
}

/** `suggestion`: the tag for a language typed by its English name ("english" gives en). */
export type LanguageCheck = { kind: 'language'; name: string } | { kind: 'malformed' | 'unknown'; suggestion: string | null };

/**
 * Whether a tag names a real language: "American English" for en-US; `zz` is
 * well-formed but names nothing, and `english` is a word, not a tag. With
 * `fallback: 'none'` the platform's CLDR data answers undefined for a
 * language, script or region it does not know.
 */
export function checkLanguageTag(tag: string): LanguageCheck {
  if (!isWellFormedLanguageTag(tag)) return { kind: 'malformed', suggestion: suggestTag(tag) };
  const names = displayNames();
  const canonical = Intl.getCanonicalLocales(tag)[0] as string;
  // Without Intl.DisplayNames (very old browsers) well-formed is the best that can be said.
  if (!names) return { kind: 'language', name: canonical };
  const name = NOT_A_LANGUAGE.has(new Intl.Locale(canonical).language) ? undefined : names.of(canonical);
  return name ? { kind: 'language', name } : { kind: 'unknown', suggestion: suggestTag(tag) };
}

/** For a language typed by its English name ("english", "Portuguese"), the tag to use instead. */
function suggestTag(text: string): string | null {
  const names = displayNames();
  if (!names) return null;
  const wanted = text.trim().toLowerCase();
  for (const tag of COMMON_LANGUAGES) {
    const language = tag.split('-')[0] as string;
    if (names.of(language)?.toLowerCase() === wanted) return language;
    if (names.of(tag)?.toLowerCase() === wanted) return tag;
  }
  return null;
}
