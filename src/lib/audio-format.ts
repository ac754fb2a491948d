/** The formats NovaPulse accepts, recognised from the leading bytes of a file. */
export type AudioFormat = 'mp3' | 'wav' | 'm4a' | 'flac' | 'ogg';

export const AUDIO_FORMAT_LABELS: Record<AudioFormat, string> = {
  mp3: 'MP3',
  wav: 'WAV',
  m4a: 'M4A',
  flac: 'FLAC',
  ogg: 'OGG',
};

export const AUDIO_CONTENT_TYPES: Record<AudioFormat, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
};

/** How many leading bytes `sniffAudioFormat` needs to decide. */
/** What a file picker offers: audio by type, and the five formats by extension (some systems type FLAC or M4A oddly). */
export const AUDIO_ACCEPT = 'audio/*,.mp3,.wav,.m4a,.flac,.ogg,.oga';

export const SNIFF_BYTES = 64;

// ISO-BMFF brands that carry audio (M4A, M4B audiobooks, MP4 audio, 3GPP audio).
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'mp41', 'mp42', 'isom', 'iso2', 'dash', '3gp4', '3gp5', '3g2a', 'F4A ']);

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let text = '';
  for (let i = start; i < start + length && i < bytes.length; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

function isMpegFrameSync(bytes: Uint8Array, offset: number): boolean {
  const b0 = bytes[offset];
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  if (b0 === undefined || b1 === undefined || b2 === undefined) return false;
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11; // 01 is reserved
  const layer = (b1 >> 1) & 0b11; // 00 is reserved
  const bitrate = (b2 >> 4) & 0b1111; // 1111 is invalid
  const sampleRate = (b2 >> 2) & 0b11; // 11 is reserved
  return version !== 0b01 && layer !== 0b00 && bitrate !== 0b1111 && sampleRate !== 0b11;
}

/**
 * Decides the audio format from the leading bytes alone: never from a file
 * name or a declared MIME type. Returns null for anything else.
 */
export function sniffAudioFormat(bytes: Uint8Array): AudioFormat | null {
  if (ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return 'wav';
  if (ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (ascii(bytes, 0, 4) === 'OggS') return 'ogg';
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const boxSize = ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
    const brands = [ascii(bytes, 8, 4)];
    for (let offset = 16; offset + 4 <= Math.min(boxSize, bytes.length); offset += 4) brands.push(ascii(bytes, offset, 4));
    if (brands.some((brand) => AUDIO_BRANDS.has(brand))) return 'm4a';
    return null;
  }
  if (isMpegFrameSync(bytes, 0)) return 'mp3';
  return null;
}
