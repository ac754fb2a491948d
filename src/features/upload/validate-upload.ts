import { ERROR_CATALOGUE } from '../../errors/catalogue';
import { AUDIO_FORMAT_LABELS, type AudioFormat, SNIFF_BYTES, sniffAudioFormat } from '../../lib/audio-format';
import { formatBytes } from '../../lib/format';
import { isWellFormedLanguageTag } from '../../lib/language-tag';

export const MAX_METADATA_BYTES = 16 * 1024;

export type FileCheck = { ok: true; format: AudioFormat } | { ok: false; code: string; reason: string };

/**
 * What the server would refuse, found before a byte is sent: size against the
 * account's limit, then the format from the leading bytes (never the name).
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
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const format = sniffAudioFormat(head);
  if (!format) {
    return { ok: false, code: 'unsupported_media_type', reason: `${file.name} is not MP3, WAV, M4A, FLAC or OGG audio. ${ERROR_CATALOGUE.unsupported_media_type.resolution}` };
  }
  return { ok: true, format };
}

export function describeFormat(format: AudioFormat): string {
  return AUDIO_FORMAT_LABELS[format];
}

export function languageProblem(tag: string): string | null {
  if (tag.trim() === '') return 'Enter a language tag such as en-US.';
  return isWellFormedLanguageTag(tag) ? null : `"${tag}" is not a valid BCP-47 language tag. ${ERROR_CATALOGUE.invalid_language_code.resolution}`;
}

export interface MetadataPair {
  key: string;
  value: string;
}

/** Metadata as the API takes it: a JSON object of strings, at most 16 KiB serialised. */
export function metadataFromPairs(pairs: MetadataPair[]): { metadata: Record<string, string> } | { problem: string } {
  const metadata: Record<string, string> = {};
  for (const { key, value } of pairs) {
    const name = key.trim();
    if (name === '' && value === '') continue;
    if (name === '') return { problem: 'Every metadata value needs a key.' };
    if (Object.hasOwn(metadata, name)) return { problem: `The metadata key "${name}" appears twice.` };
    metadata[name] = value;
  }
  const bytes = new TextEncoder().encode(JSON.stringify(metadata)).length;
  if (bytes > MAX_METADATA_BYTES) return { problem: `Metadata is ${formatBytes(bytes)}; at most 16 KB is allowed. Shorten the values.` };
  return { metadata };
}
