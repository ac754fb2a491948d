/** Languages offered as suggestions; any well-formed BCP-47 tag is accepted. */
export const COMMON_LANGUAGES = [
  'en-US', 'en-GB', 'es-ES', 'es-MX', 'fr-FR', 'de-DE', 'it-IT', 'pt-BR', 'nl-NL', 'ja-JP', 'ko-KR', 'zh-CN', 'hi-IN', 'ar-SA',
] as const;

export const DEFAULT_LANGUAGE = 'en-US';

/** Well-formedness per BCP-47, as the platform's Intl implementation judges it. */
export function isWellFormedLanguageTag(tag: string): boolean {
  if (tag.trim() !== tag || tag.length === 0) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
