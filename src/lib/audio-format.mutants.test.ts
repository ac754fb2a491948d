import { AUDIO_FORMAT_LABELS, sniffAudioFormat } from './audio-format';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// api-contract.md, check 7: MP3 (ID3 tag or an MPEG audio frame sync), WAV
// (RIFF....WAVE), M4A (an ISO-BMFF ftyp box with an audio brand), FLAC, OGG.

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
const bytes = (...parts: (number | string | number[] | Uint8Array)[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? ascii(part) : typeof part === 'number' ? [part] : [...part])));
/** An ftyp box: size, 'ftyp', major brand, minor version 0, compatible brands. */
const ftyp = (size: number[], major: string, ...compatible: string[]) => bytes(size, 'ftyp', major, [0, 0, 0, 0], ...compatible);

describe('sniffAudioFormat, MPEG frame sync', () => {
  it('takes a valid MPEG-1 layer III frame header (FF FB 90)', () => {
    expect(sniffAudioFormat(bytes(0xff, 0xfb, 0x90, 0x00))).toBe('mp3');
  });

  it('refuses a header cut short, a wrong first byte or a missing sync', () => {
    expect(sniffAudioFormat(bytes(0xff, 0xfb))).toBeNull();
    expect(sniffAudioFormat(bytes(0xff))).toBeNull();
    expect(sniffAudioFormat(bytes(0xfe, 0xfb, 0x90, 0x00))).toBeNull();
    expect(sniffAudioFormat(bytes(0xff, 0x1b, 0x90, 0x00))).toBeNull();
  });

  it('refuses the reserved version, the reserved layer, bitrate index 15 and sample-rate index 3', () => {
    expect(sniffAudioFormat(bytes(0xff, 0xeb, 0x90, 0x00))).toBeNull(); // version 01
    expect(sniffAudioFormat(bytes(0xff, 0xf9, 0x90, 0x00))).toBeNull(); // layer 00
    expect(sniffAudioFormat(bytes(0xff, 0xfb, 0xf0, 0x00))).toBeNull(); // bitrate 1111
    expect(sniffAudioFormat(bytes(0xff, 0xfb, 0x9c, 0x00))).toBeNull(); // sample rate 11
  });
});

describe('sniffAudioFormat, WAV', () => {
  it('needs both RIFF and WAVE', () => {
    expect(sniffAudioFormat(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBe('wav');
    expect(sniffAudioFormat(bytes('RIFF', [0, 0, 0, 0], 'AVI '))).toBeNull();
    expect(sniffAudioFormat(bytes('RIFX', [0, 0, 0, 0], 'WAVE'))).toBeNull();
  });
});

describe('sniffAudioFormat, ISO-BMFF brands', () => {
  it('takes an audio major brand with no compatible brands', () => {
    expect(sniffAudioFormat(ftyp([0, 0, 0, 16], 'M4A '))).toBe('m4a');
  });

  it('takes an audio brand in the last compatible slot, and none past the box', () => {
    expect(sniffAudioFormat(ftyp([0, 0, 0, 24], 'qt  ', 'qt  ', 'M4A '))).toBe('m4a');
    // The box ends after 'qt  '; 'M4A ' there is the type of the next box, not a brand.
    expect(sniffAudioFormat(bytes(ftyp([0, 0, 0, 20], 'qt  ', 'qt  '), [0, 0, 0, 8], 'M4A '))).toBeNull();
  });

  it('reads the box size from all four bytes, up to the bytes at hand', () => {
    const tail = ['qt  ', 'qt  ', 'M4A '] as const;
    for (const size of [[0, 0, 1, 0x18], [0, 1, 0, 0x18], [1, 0, 0, 0x18]]) {
      expect(sniffAudioFormat(ftyp(size, 'qt  ', ...tail)), String(size)).toBe('m4a');
    }
  });

  it.each(['M4A ', 'M4B ', 'M4P ', 'mp41', 'mp42', 'isom', 'iso2', 'dash', '3gp4', '3gp5', '3g2a', 'F4A '])('takes the audio brand %j', (brand) => {
    expect(sniffAudioFormat(ftyp([0, 0, 0, 16], brand))).toBe('m4a');
  });

  it('refuses an ftyp with only video brands', () => {
    expect(sniffAudioFormat(ftyp([0, 0, 0, 24], 'qt  ', 'avc1', 'M4V '))).toBeNull();
  });
});

describe('AUDIO_FORMAT_LABELS', () => {
  it('names the five formats as the contract does', () => {
    expect(AUDIO_FORMAT_LABELS).toEqual({ mp3: 'MP3', wav: 'WAV', m4a: 'M4A', flac: 'FLAC', ogg: 'OGG' });
  });
});
