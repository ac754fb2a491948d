import { ERROR_CATALOGUE } from '../../errors/catalogue';
import { checkContainer } from '../../lib/audio-container';
import { AUDIO_FORMAT_LABELS, type AudioFormat, SNIFF_BYTES, sniffAudioFormat } from '../../lib/audio-format';
import { formatBytes } from '../../lib/format';
import { checkLanguageTag } from '../../lib/language-tag';

export const MAX_METADATA_BYTES = 16 * 1024;

export type FileCheck = { ok: true; format: AudioFormat } | { ok: false; code: string; reason: string };

/**
 * What the server would refuse, found before a byte is sent: size against the
 * account's limit, then the format from the leading bytes (never the name),
 * then the container itself, read in slices: a file NovaPulse would accept
 * and then fail while processing because no audio stream decodes.
 */
export async function checkFile(file: Blob & { name: string }, maxFileBytes: number): Promise<FileCheck> {
  if (file.size > maxFileBytes) {
    return {
      ok: false,
      code: 'file_too_large',
      reason: `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxFileBytes)}. ${ERROR_CATALOGUE.file_too_large.resolution}`,
    };
  }
  if (file.size === 0) return { ok: false, code: 'empty_file', reason: `${file.name} is empty. Pick the recording itself.` };
  try {
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const format = sniffAudioFormat(head);
    if (!format) {
      return { ok: false, code: 'unsupported_media_type', reason: `${file.name} is not MP3, WAV, M4A, FLAC or OGG audio. ${ERROR_CATALOGUE.unsupported_media_type.resolution}` };
    }
    const container = await checkContainer(format, file);
    if (!container.ok) {
      return {
        ok: false,
        code: 'unsupported_media_type',
        reason: `${file.name} holds no audio stream that can be decoded (${container.problem}). Export it again from the recording app as MP3, WAV, M4A, FLAC or OGG.`,
      };
    }
    return { ok: true, format };
  } catch (error) {
    // The file moved or changed on disk since it was picked.
    return { ok: false, code: 'unreadable_file', reason: `${file.name} could not be read (${error instanceof Error ? error.message : String(error)}). Pick it again.` };
  }
}

export function describeFormat(format: AudioFormat): string {
  return AUDIO_FORMAT_LABELS[format];
}

export function languageProblem(tag: string): string | null {
  if (tag.trim() === '') return 'Enter a language tag such as en-US.';
  const check = checkLanguageTag(tag);
  if (check.kind === 'language') return null;
  if (check.suggestion) return `"${tag}" is not a language tag. Use ${check.suggestion} instead, or pick a language from the list.`;
  if (check.kind === 'malformed') return `"${tag}" is not a valid BCP-47 language tag. ${ERROR_CATALOGUE.invalid_language_code.resolution}`;
  return `"${tag}" names no known language. Pick a language from the list, or enter a tag such as en-US, pt-BR or zh-Hant-TW.`;
}

/** The language a valid tag names, in English, to show beside the field ("Brazilian Portuguese" for pt-BR). */
export function languageLabel(tag: string): string | null {
  const check = checkLanguageTag(tag);
  return check.kind === 'language' ? check.name : null;
}

export interface MetadataPair {
  key: string;
  value: string;
}

/** Metadata as the API takes it: a JSON object of strings, at most 16 KiB serialised. */
export function metadataFromPairs(pairs: MetadataPair[]): { metadata: Record<string, string> } | { problem: string } {
  // A Map, then Object.fromEntries: plain assignment would drop a key named "__proto__" (it sets the prototype instead).
  const entries = new Map<string, string>();
  for (const { key, value } of pairs) {
    const name = key.trim();
    if (name === '' && value === '') continue;
    if (name === '') return { problem: 'Every metadata value needs a key.' };
    if (entries.has(name)) return { problem: `The metadata key "${name}" appears twice.` };
    entries.set(name, value);
  }
  const metadata: Record<string, string> = Object.fromEntries(entries);
  const bytes = new TextEncoder().encode(JSON.stringify(metadata)).length;
  if (bytes > MAX_METADATA_BYTES) return { problem: `Metadata is ${formatBytes(bytes)}; at most 16 KB is allowed. Shorten the values.` };
  return { metadata };
}
