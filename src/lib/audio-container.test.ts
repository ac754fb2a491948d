import { readFileSync } from 'node:fs';
import { type ByteSource, checkContainer, checkContainerBytes, mpegFrameAt } from './audio-container';
import { type AudioFormat, sniffAudioFormat } from './audio-format';

const FIXTURES = new URL('../../e2e/fixtures/audio/', import.meta.url);

function bytesOf(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

function le32(value: number): number[] {
  return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff];
}

function be32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** A canonical 44-byte PCM WAV header (mono, 8 kHz, 16-bit) with `dataSize` declared and `samples` bytes after it. */
function wav({ codec = 1, dataSize, samples }: { codec?: number; dataSize: number; samples: number }): Uint8Array {
  return new Uint8Array([
    ...ascii('RIFF'),
    ...le32(36 + samples),
    ...ascii('WAVEfmt '),
    ...le32(16),
    codec & 0xff,
    codec >> 8,
    1,
    0,
    ...le32(8000),
    ...le32(16000),
    2,
    0,
    16,
    0,
    ...ascii('data'),
    ...le32(dataSize),
    ...new Array<number>(samples).fill(0),
  ]);
}

describe('the container check on files from real encoders', () => {
  it.each([
    ['call-0412.mp3', 'mp3'],
    ['voicemail-0007.mp3', 'mp3'],
    ['cover-art.mp3', 'mp3'],
    ['vbr-xing.mp3', 'mp3'],
    ['flac-named.mp3', 'flac'],
    ['standup-0101.wav', 'wav'],
    ['sales-call-0005.wav', 'wav'],
    ['extensible-24bit.wav', 'wav'],
    ['float.wav', 'wav'],
    ['float-plain.wav', 'wav'],
    ['mulaw.wav', 'wav'],
    ['support-0219.flac', 'flac'],
    ['webinar-0042.ogg', 'ogg'],
    ['ogg-flac.ogg', 'ogg'],
    ['opus.ogg', 'ogg'],
    ['speex.ogg', 'ogg'],
    ['interview-0033.m4a', 'm4a'],
    ['moov-at-end.m4a', 'm4a'],
    ['moov-at-start.m4a', 'm4a'],
    ['video-and-audio.mp4', 'm4a'],
  ])('finds an audio stream in %s (%s)', async (name, format) => {
    const bytes = bytesOf(name);
    expect(sniffAudioFormat(bytes.subarray(0, 64))).toBe(format);
    expect(checkContainerBytes(format as AudioFormat, bytes)).toEqual({ ok: true });
    expect(await checkContainer(format as AudioFormat, new Blob([bytes]))).toEqual({ ok: true });
  });

  it.each([
    ['header-only.wav', 'wav', 'the WAV header is followed by no audio data'],
    ['video-only.m4a', 'm4a', 'the MP4 container holds only a video track'],
    ['id3-no-frames.mp3', 'mp3', 'no MPEG audio frame follows its ID3 tag'],
    ['theora-only.ogg', 'ogg', 'the Ogg file holds only Theora video'],
  ])('refuses %s, which sniffs as %s but holds no audio stream: "%s"', async (name, format, problem) => {
    const bytes = bytesOf(name);
    expect(sniffAudioFormat(bytes.subarray(0, 64))).toBe(format);
    expect(checkContainerBytes(format as AudioFormat, bytes)).toEqual({ ok: false, problem });
    expect(await checkContainer(format as AudioFormat, new Blob([bytes]))).toEqual({ ok: false, problem });
  });
});

describe('cut and damaged containers', () => {
  it('refuses a FLAC cut right after its metadata, accepts it with its first frame', () => {
    const flac = bytesOf('support-0219.flac');
    // ffmpeg wrote STREAMINFO (at 4), a Vorbis comment (at 42), 8 KB of padding (at 92, the last block); frames start at 8288.
    expect([...flac.subarray(8288, 8290)]).toEqual([0xff, 0xf8]);
    expect(checkContainerBytes('flac', flac.subarray(0, 8288))).toEqual({ ok: false, problem: 'no FLAC audio frame follows its header' });
    expect(checkContainerBytes('flac', flac.subarray(0, 8290))).toEqual({ ok: true });
    expect(checkContainerBytes('flac', flac.subarray(0, 4000))).toEqual({ ok: false, problem: 'the FLAC file ends inside its header' });
    expect(checkContainerBytes('flac', flac.subarray(0, 20))).toEqual({ ok: false, problem: 'the FLAC file has no STREAMINFO block' });
  });

  it('refuses an Ogg Vorbis file cut after its header pages', () => {
    const ogg = bytesOf('webinar-0042.ogg');
    // The first page: 27-byte header, its segment table, one packet (the 30-byte identification header).
    const firstPageEnd = 27 + ogg[26]! + ogg[27]!;
    expect(checkContainerBytes('ogg', ogg.subarray(0, firstPageEnd))).toEqual({ ok: false, problem: 'the Vorbis header is followed by no audio' });
  });

  it('refuses an M4A with moov at the start cut before its media data', () => {
    const m4a = bytesOf('moov-at-start.m4a');
    // ftyp (28) then moov (831), per the fixtures README
    expect(checkContainerBytes('m4a', m4a.subarray(0, 28 + 831))).toEqual({ ok: false, problem: 'the MP4 container holds no audio data' });
  });

  it('refuses an M4A with moov at the end cut before its moov', () => {
    const m4a = bytesOf('moov-at-end.m4a');
    expect(checkContainerBytes('m4a', m4a.subarray(0, m4a.length - 831))).toEqual({ ok: false, problem: 'the MP4 container has no "moov" box describing its tracks' });
  });

  it('refuses an MP3 whose only frame header is cut short after its ID3 tag', () => {
    const mp3 = bytesOf('call-0412.mp3');
    const tagEnd = 10 + ((mp3[6]! << 21) | (mp3[7]! << 14) | (mp3[8]! << 7) | mp3[9]!);
    expect(checkContainerBytes('mp3', mp3.subarray(0, tagEnd + 4))).toEqual({ ok: false, problem: 'no MPEG audio frame follows its ID3 tag' });
    expect(checkContainerBytes('mp3', mp3.subarray(0, tagEnd + 2000))).toEqual({ ok: true });
  });

  it('refuses a lone MPEG sync word in bytes that are not frames', () => {
    // FF FB 90 44: MPEG-1 layer III, 128 kbit/s, 44.1 kHz, a 417-byte frame; what follows is no second frame.
    const bytes = new Uint8Array([0xff, 0xfb, 0x90, 0x44, ...new Array<number>(600).fill(0x20)]);
    expect(mpegFrameAt(bytes, 0)).toMatchObject({ length: 417 });
    expect(checkContainerBytes('mp3', bytes)).toEqual({ ok: false, problem: 'it holds no complete MPEG audio frame' });
    const twoFrames = new Uint8Array([0xff, 0xfb, 0x90, 0x44, ...new Array<number>(413).fill(0), 0xff, 0xfb, 0x90, 0x44, ...new Array<number>(413).fill(0)]);
    expect(checkContainerBytes('mp3', twoFrames)).toEqual({ ok: true });
  });

  it('WAV: trusts the bytes present when a streamed file left the data size at 0, refuses a codec it cannot name', () => {
    expect(checkContainerBytes('wav', wav({ dataSize: 0, samples: 64 }))).toEqual({ ok: true });
    expect(checkContainerBytes('wav', wav({ dataSize: 0, samples: 0 }))).toEqual({ ok: false, problem: 'the WAV header is followed by no audio data' });
    expect(checkContainerBytes('wav', wav({ dataSize: 64, samples: 1 }))).toEqual({ ok: false, problem: 'the WAV header is followed by no audio data' });
    expect(checkContainerBytes('wav', wav({ dataSize: 64, samples: 2 }))).toEqual({ ok: true });
    expect(checkContainerBytes('wav', wav({ codec: 3, dataSize: 64, samples: 64 }))).toEqual({ ok: true });
    expect(checkContainerBytes('wav', wav({ codec: 0x0161, dataSize: 64, samples: 64 }))).toEqual({ ok: false, problem: 'the WAV audio uses codec 0x0161, which cannot be decoded' });
    const noFmt = new Uint8Array([...ascii('RIFF'), ...le32(12), ...ascii('WAVEdata'), ...le32(4), 0, 0, 0, 0]);
    expect(checkContainerBytes('wav', noFmt)).toEqual({ ok: false, problem: 'the WAV file has no "fmt " chunk before its audio data' });
  });
});

/** A virtual file assembled from parts, counting the bytes read from it. */
function virtualFile(parts: (Uint8Array | number)[]): ByteSource & { bytesRead: number } {
  const regions: { start: number; end: number; bytes: Uint8Array | null }[] = [];
  let size = 0;
  for (const part of parts) {
    const length = typeof part === 'number' ? part : part.length;
    regions.push({ start: size, end: size + length, bytes: typeof part === 'number' ? null : part });
    size += length;
  }
  const file = {
    size,
    bytesRead: 0,
    slice(start: number, end: number) {
      const out = new Uint8Array(Math.max(0, end - start));
      for (const region of regions) {
        if (!region.bytes || region.end <= start || region.start >= end) continue;
        const from = Math.max(start, region.start);
        out.set(region.bytes.subarray(from - region.start, Math.min(end, region.end) - region.start), from - start);
      }
      file.bytesRead += out.length;
      return { arrayBuffer: async () => out.buffer };
    },
  };
  return file;
}

describe('reading a large file', () => {
  it('finds moov after 300 MB of media data by reading box headers only (a few KB, not the file)', async () => {
    const m4a = bytesOf('moov-at-end.m4a');
    const mdatBody = 300 * 1024 * 1024;
    // ftyp (28) and free (8) as encoded, a 300 MB mdat, then the encoder's moov (the last 831 bytes).
    const file = virtualFile([m4a.subarray(0, 36), new Uint8Array([...be32(mdatBody + 8), ...ascii('mdat')]), mdatBody, m4a.subarray(m4a.length - 831)]);
    expect(await checkContainer('m4a', file)).toEqual({ ok: true });
    expect(file.bytesRead).toBeLessThan(4 * 1024);
  });

  it('skips a 5 MB cover-art ID3 tag by its syncsafe size', async () => {
    const mp3 = bytesOf('voicemail-0007.mp3'); // frames only, no tag
    const tagBody = 5 * 1024 * 1024;
    const syncsafe = [(tagBody >> 21) & 0x7f, (tagBody >> 14) & 0x7f, (tagBody >> 7) & 0x7f, tagBody & 0x7f];
    const file = virtualFile([new Uint8Array([...ascii('ID3'), 3, 0, 0, ...syncsafe]), tagBody, mp3]);
    expect(await checkContainer('mp3', file)).toEqual({ ok: true });
    expect(file.bytesRead).toBeLessThan(70 * 1024);
    const noFrames = virtualFile([new Uint8Array([...ascii('ID3'), 3, 0, 0, ...syncsafe]), tagBody]);
    expect(await checkContainer('mp3', noFrames)).toEqual({ ok: false, problem: 'no MPEG audio frame follows its ID3 tag' });
  });
});

describe('past the walk bounds', () => {
  it('an MP4 with more top-level boxes than the walk reads is let through for the server to judge, not refused as having no moov', () => {
    const box = (type: string, body = 0) => {
      const bytes = new Uint8Array(8 + body);
      new DataView(bytes.buffer).setUint32(0, 8 + body);
      for (let i = 0; i < 4; i++) bytes[4 + i] = type.charCodeAt(i);
      return bytes;
    };
    const ftyp = box('ftyp', 8);
    ftyp.set([0x4d, 0x34, 0x41, 0x20], 8); // brand "M4A "
    const parts = [ftyp, ...Array.from({ length: 1100 }, () => box('free')), box('moov')];
    const file = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      file.set(part, at);
      at += part.length;
    }
    expect(checkContainerBytes('m4a', file)).toEqual({ ok: true });
    // Within the bounds, a file with no moov at all is still refused.
    const small = new Uint8Array([...ftyp, ...box('free'), ...box('mdat', 16)]);
    expect(checkContainerBytes('m4a', small)).toMatchObject({ ok: false });
  });
});
