import type { AudioFormat } from './audio-format';
import { checkContainer, checkContainerBytes, mpegFrameAt } from './audio-container';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// Small containers built byte by byte from each format's layout (RIFF/WAVE,
// FLAC metadata blocks, ISO 11172-3 frame headers, Ogg pages, ISO-BMFF boxes),
// each damaged in one place. The problems are the texts the upload form shows.

type Part = number | number[] | string | Uint8Array;
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
const flat = (parts: Part[]): number[] => parts.flatMap((part) => (typeof part === 'number' ? [part] : typeof part === 'string' ? ascii(part) : [...part]));
const bytes = (...parts: Part[]) => new Uint8Array(flat(parts));
const zeros = (n: number) => new Array<number>(n).fill(0);
const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
const be24 = (v: number) => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const be32 = (v: number) => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

/** Both drivers must agree: the in-memory one and the one reading Blob slices. */
async function judge(format: AudioFormat, file: Uint8Array) {
  const inMemory = checkContainerBytes(format, file);
  expect(await checkContainer(format, new Blob([file as Uint8Array<ArrayBuffer>]))).toEqual(inMemory);
  return inMemory;
}
const OK = { ok: true };
const refused = (problem: string) => ({ ok: false, problem });

/* ------------------------------------------------------------------ WAV */

const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
function fmt({ codec = 1, channels = 1, rate = 8000, blockAlign = 2, bits = 16 } = {}) {
  return [...le16(codec), ...le16(channels), ...le32(rate), ...le32(rate * blockAlign), ...le16(blockAlign), ...le16(bits)];
}
function extensibleFmt({ sub = 1, cbSize = 22, tail = GUID_TAIL } = {}) {
  return [...fmt({ codec: 0xfffe, blockAlign: 3, bits: 24 }), ...le16(cbSize), ...le16(24), ...le32(4), ...le16(sub), ...tail];
}
function chunk(id: string, body: number[], declared = body.length) {
  return [...ascii(id), ...le32(declared), ...body, ...(body.length & 1 ? [0] : [])];
}
function riff(...chunks: number[][]) {
  const body = chunks.flat();
  return bytes('RIFF', le32(4 + body.length), 'WAVE', body);
}
const AUDIO = zeros(64);

describe('WAV', () => {
  it('takes PCM, mu-law without a sample size, and an extensible WAV with the standard sub-format GUID', async () => {
    expect(await judge('wav', riff(chunk('fmt ', fmt()), chunk('data', AUDIO)))).toEqual(OK);
    expect(await judge('wav', riff(chunk('fmt ', fmt({ codec: 7, blockAlign: 1, bits: 0 })), chunk('data', AUDIO)))).toEqual(OK);
    expect(await judge('wav', riff(chunk('fmt ', extensibleFmt()), chunk('data', AUDIO)))).toEqual(OK);
  });

  it('refuses a "fmt " chunk cut short, plain or extensible', async () => {
    const cut = refused('the WAV "fmt " chunk is cut short');
    expect(await judge('wav', riff(chunk('fmt ', fmt().slice(0, 14)), chunk('data', AUDIO)))).toEqual(cut);
    expect(await judge('wav', riff(chunk('fmt ', extensibleFmt({ cbSize: 0 })), chunk('data', AUDIO)))).toEqual(cut);
    expect(await judge('wav', riff(chunk('fmt ', extensibleFmt().slice(0, 24)), chunk('data', AUDIO)))).toEqual(cut);
  });

  it('refuses an extensible WAV whose sub-format GUID differs in any byte, or names a codec it cannot decode', async () => {
    const tail = [...GUID_TAIL];
    tail[13] = 0x70;
    expect(await judge('wav', riff(chunk('fmt ', extensibleFmt({ tail })), chunk('data', AUDIO)))).toEqual(refused('the WAV audio uses a sub-format that cannot be decoded'));
    expect(await judge('wav', riff(chunk('fmt ', extensibleFmt({ sub: 0x0161 })), chunk('data', AUDIO)))).toEqual(refused('the WAV audio uses codec 0x0161, which cannot be decoded'));
    expect(await judge('wav', riff(chunk('fmt ', fmt({ codec: 0xff })), chunk('data', AUDIO)))).toEqual(refused('the WAV audio uses codec 0x00FF, which cannot be decoded'));
  });

  it('refuses a header with no channels, no sample rate, or (for PCM and float) no sample size', async () => {
    const none = refused('the WAV header gives no channels or sample rate');
    expect(await judge('wav', riff(chunk('fmt ', fmt({ channels: 0 })), chunk('data', AUDIO)))).toEqual(none);
    expect(await judge('wav', riff(chunk('fmt ', fmt({ rate: 0 })), chunk('data', AUDIO)))).toEqual(none);
    const noSize = refused('the WAV header gives no sample size');
    expect(await judge('wav', riff(chunk('fmt ', fmt({ codec: 1, bits: 0 })), chunk('data', AUDIO)))).toEqual(noSize);
    expect(await judge('wav', riff(chunk('fmt ', fmt({ codec: 3, bits: 0 })), chunk('data', AUDIO)))).toEqual(noSize);
  });

  it('says which chunk is missing when there is no audio data', async () => {
    expect(await judge('wav', riff(chunk('fmt ', fmt())))).toEqual(refused('the WAV file has no "data" chunk holding audio'));
    expect(await judge('wav', riff())).toEqual(refused('the WAV file has no "fmt " chunk describing its audio'));
  });

  it('skips other chunks, odd-sized ones by their pad byte, and judges the data chunk alone', async () => {
    expect(await judge('wav', riff(chunk('fmt ', fmt()), chunk('LIST', [1, 2, 3]), chunk('data', AUDIO)))).toEqual(OK);
    expect(await judge('wav', riff(chunk('fmt ', fmt()), chunk('LIST', [1, 2, 3, 4]), chunk('data', [])))).toEqual(refused('the WAV header is followed by no audio data'));
  });

  it('trusts the declared data size unless it is 0 or 0xFFFFFFFF (streamed)', async () => {
    expect(await judge('wav', riff(chunk('fmt ', fmt()), chunk('data', AUDIO, 1)))).toEqual(refused('the WAV header is followed by no audio data'));
    expect(await judge('wav', riff(chunk('fmt ', fmt()), chunk('data', AUDIO, 0xffffffff)))).toEqual(OK);
  });

  it('lets through a file with more than 1024 chunks before its audio rather than judge it', async () => {
    const junk = Array.from({ length: 1024 }, () => chunk('junk', []));
    expect(await judge('wav', riff(chunk('fmt ', fmt()), ...junk))).toEqual(OK);
  });
});

/* ----------------------------------------------------------------- FLAC */

function streaminfo(rate = 44100) {
  const info = zeros(34);
  info[0] = 0x10;
  info[2] = 0x10;
  info[10] = (rate >> 12) & 0xff;
  info[11] = (rate >> 4) & 0xff;
  info[12] = ((rate & 0xf) << 4) | 0x02;
  return info;
}
const block = (type: number, body: number[], last: boolean) => [(last ? 0x80 : 0) | type, ...be24(body.length), ...body];
const FRAME = [0xff, 0xf8, 0x69, 0x08, ...zeros(16)];
const flac = (...parts: number[][]) => bytes('fLaC', parts.flat());

describe('FLAC', () => {
  it('takes a STREAMINFO followed by a frame, fixed or variable block size', async () => {
    expect(await judge('flac', flac(block(0, streaminfo(), true), FRAME))).toEqual(OK);
    expect(await judge('flac', flac(block(0, streaminfo(), false), block(4, [1, 2, 3], true), [0xff, 0xf9, 0, 0]))).toEqual(OK);
  });

  it('reads all 20 bits of the sample rate', async () => {
    for (const rate of [8192, 16, 8]) expect(await judge('flac', flac(block(0, streaminfo(rate), true), FRAME)), String(rate)).toEqual(OK);
    expect(await judge('flac', flac(block(0, streaminfo(0), true), FRAME))).toEqual(refused('the FLAC STREAMINFO gives no sample rate'));
  });

  it('refuses a file cut inside its header, or a block that runs past the end', async () => {
    const cut = refused('the FLAC file ends inside its header');
    expect(await judge('flac', flac([0x00, 0x00]))).toEqual(cut);
    expect(await judge('flac', flac(block(0, streaminfo(), false), [0x04, ...be24(1000), 1, 2, 3]))).toEqual(cut);
  });

  it('refuses a first block that is not a whole STREAMINFO', async () => {
    const missing = refused('the FLAC file has no STREAMINFO block');
    expect(await judge('flac', flac(block(4, streaminfo(), true), FRAME))).toEqual(missing);
    expect(await judge('flac', flac(block(0, streaminfo().slice(0, 33), true), FRAME))).toEqual(missing);
    expect(await judge('flac', flac([0x80, ...be24(34)], streaminfo().slice(0, 20)))).toEqual(missing);
  });

  it('refuses a later block of the invalid type 127', async () => {
    expect(await judge('flac', flac(block(0, streaminfo(), false), block(127, [1, 2], true), FRAME))).toEqual(refused('the FLAC header is damaged'));
  });

  it('refuses metadata followed by no frame sync', async () => {
    const noFrame = refused('no FLAC audio frame follows its header');
    for (const after of [[0x00, 0x00], [0xff], [0xfe, 0xf8], [0xff, 0xfa]]) {
      expect(await judge('flac', flac(block(0, streaminfo(), true), after)), String(after)).toEqual(noFrame);
    }
  });

  it('lets through a file with more than 1024 metadata blocks rather than judge it', async () => {
    const padding = Array.from({ length: 1023 }, () => block(1, [], false));
    expect(await judge('flac', flac(block(0, streaminfo(), false), ...padding, block(1, [], true)))).toEqual(OK);
  });
});

/* ------------------------------------------------------------------ MP3 */

describe('MPEG audio frame headers (ISO 11172-3, 13818-3)', () => {
  it('gives each layer and version its frame length: 144 (72 for MPEG-2 layer III) x bitrate / rate + padding; layer I in 4-byte slots', () => {
    expect(mpegFrameAt(bytes(0xff, 0xfb, 0x90, 0x00), 0)?.length).toBe(417); // MPEG-1 III 128k 44.1k
    expect(mpegFrameAt(bytes(0xff, 0xfb, 0x92, 0x00), 0)?.length).toBe(418); // padded
    expect(mpegFrameAt(bytes(0xff, 0xfd, 0x10, 0x00), 0)?.length).toBe(104); // MPEG-1 II 32k 44.1k
    expect(mpegFrameAt(bytes(0xff, 0xff, 0x10, 0x00), 0)?.length).toBe(32); // MPEG-1 I 32k 44.1k
    expect(mpegFrameAt(bytes(0xff, 0xff, 0x12, 0x00), 0)?.length).toBe(36); // padded
    expect(mpegFrameAt(bytes(0xff, 0xf3, 0x80, 0x00), 0)?.length).toBe(208); // MPEG-2 III 64k 22.05k
    expect(mpegFrameAt(bytes(0xff, 0xf5, 0x10, 0x00), 0)?.length).toBe(52); // MPEG-2 II 8k 22.05k
    expect(mpegFrameAt(bytes(0xff, 0xf7, 0x10, 0x00), 0)?.length).toBe(68); // MPEG-2 I 32k 22.05k
    expect(mpegFrameAt(bytes(0xff, 0xe3, 0x40, 0x00), 0)?.length).toBe(208); // MPEG-2.5 III 32k 11.025k
    expect(mpegFrameAt(bytes(0xff, 0xfb, 0x00, 0x00), 0)?.length).toBe(0); // free format
  });

  it('refuses a header cut short, without sync, or with a reserved emphasis', () => {
    expect(mpegFrameAt(bytes(0xff, 0xfb, 0x90), 0)).toBeNull();
    expect(mpegFrameAt(bytes(0, 0xff, 0xfb, 0x90), 1)).toBeNull();
    expect(mpegFrameAt(bytes(0x00, 0xfb, 0x90, 0x00), 0)).toBeNull();
    expect(mpegFrameAt(bytes(0xff, 0x1b, 0x90, 0x00), 0)).toBeNull();
    expect(mpegFrameAt(bytes(0xff, 0xfb, 0x90, 0x02), 0)).toBeNull();
    expect(mpegFrameAt(bytes(0x02, 0x00, 0x00, 0xff, 0xfb, 0x90, 0x00), 3)?.length).toBe(417);
  });

  it('refuses the reserved version, layer, bitrate and sample rate', () => {
    expect(mpegFrameAt(bytes(0xff, 0xeb, 0x90, 0x00), 0)).toBeNull();
    expect(mpegFrameAt(bytes(0xff, 0xf9, 0x90, 0x00), 0)).toBeNull();
    expect(mpegFrameAt(bytes(0xff, 0xfb, 0xf0, 0x00), 0)).toBeNull();
    expect(mpegFrameAt(bytes(0xff, 0xfb, 0x9c, 0x00), 0)).toBeNull();
  });

  it('tells frames of different sample rates apart', () => {
    expect(mpegFrameAt(bytes(0xff, 0xfb, 0x90, 0x00), 0)?.kind).not.toBe(mpegFrameAt(bytes(0xff, 0xfb, 0x94, 0x00), 0)?.kind);
  });
});

const MP3_FRAME = [0xff, 0xfb, 0x90, 0x00, ...zeros(413)];
const id3 = (size: number[], flags = 0) => [...ascii('ID3'), 3, 0, flags, ...size];

describe('MP3', () => {
  it('takes a free-format stream, which gives no frame length to check', async () => {
    expect(await judge('mp3', bytes(0xff, 0xfb, 0x00, 0x00, zeros(100)))).toEqual(OK);
  });

  it('refuses an ID3 tag whose size bytes are not syncsafe, or that is cut short', async () => {
    const damaged = refused('the ID3 tag at its start is damaged');
    for (const at of [0, 1, 2, 3]) {
      const size = [0, 0, 0, 0];
      size[at] = 0x80;
      expect(await judge('mp3', bytes(id3(size), MP3_FRAME, MP3_FRAME)), `size byte ${at}`).toEqual(damaged);
    }
    expect(await judge('mp3', bytes('ID3', 3, 0, 0, 0))).toEqual(damaged);
  });

  it('skips a footer only when the tag says it has one', async () => {
    expect(await judge('mp3', bytes(id3([0, 0, 0, 0]), MP3_FRAME))).toEqual(OK);
  });

  it('refuses a tag that runs to the end of the file', async () => {
    expect(await judge('mp3', bytes(id3([0, 0, 0, 20]), zeros(20)))).toEqual(refused('no MPEG audio frame follows its ID3 tag'));
  });

  it('takes a frame followed by an ID3v1, APE or Lyrics tag instead of a second frame', async () => {
    for (const tag of ['TAG', 'APETAGEX', 'LYRICSBEGIN']) {
      expect(await judge('mp3', bytes(MP3_FRAME, tag, zeros(200))), tag).toEqual(OK);
    }
    expect(await judge('mp3', bytes(MP3_FRAME, 'XYZ', zeros(200)))).toEqual(refused('it holds no complete MPEG audio frame'));
  });

  it('finds the second frame past the 64 KB scan window, and needs it to be of the same stream', async () => {
    const junk = zeros(64 * 1024 - 420);
    expect(await judge('mp3', bytes(junk, MP3_FRAME, MP3_FRAME, zeros(10)))).toEqual(OK);
    // 44.1 kHz then 48 kHz: not one stream.
    expect(await judge('mp3', bytes(MP3_FRAME, 0xff, 0xfb, 0x94, 0x00, zeros(400)))).toEqual(refused('it holds no complete MPEG audio frame'));
  });
});

/* ------------------------------------------------------------------ Ogg */

function page({ bos = false, granule = [0, 0], serial = 1, packets = [] as number[][] }) {
  const lacing = packets.map((packet) => packet.length);
  return [...ascii('OggS'), 0, bos ? 0x02 : 0x00, ...le32(granule[0] ?? 0), ...le32(granule[1] ?? 0), ...le32(serial), ...le32(0), ...le32(0), lacing.length, ...lacing, ...packets.flat()];
}
const packet = (head: string) => [...ascii(head), ...zeros(8)];
const UNSET = [0xffffffff, 0xffffffff];

describe('Ogg', () => {
  it('takes a Vorbis stream once a page of it carries a granule position', async () => {
    const file = bytes(page({ bos: true, packets: [packet('\x01vorbis')] }), page({ packets: [zeros(10)] }), page({ granule: [1000, 0], packets: [zeros(10)] }));
    expect(await judge('ogg', file)).toEqual(OK);
  });

  it('names the audio codec whose header is followed by no audio', async () => {
    for (const [head, name] of [['OpusHead', 'Opus'], ['\x7FFLAC', 'FLAC'], ['Speex   ', 'Speex'], ['\x01vorbis', 'Vorbis']]) {
      const file = bytes(page({ bos: true, packets: [packet(head as string)] }), page({ packets: [zeros(10)] }));
      expect(await judge('ogg', file), name).toEqual(refused(`the ${name} header is followed by no audio`));
    }
  });

  it('names the video codecs of a file without audio', async () => {
    const vp8 = bytes(page({ bos: true, packets: [packet('OVP80')] }), page({ packets: [zeros(10)] }));
    expect(await judge('ogg', vp8)).toEqual(refused('the Ogg file holds only VP8 video'));
    const both = bytes(page({ bos: true, packets: [packet('\x80theora')] }), page({ bos: true, serial: 2, packets: [packet('OVP80')] }), page({ packets: [zeros(10)] }));
    expect(await judge('ogg', both)).toEqual(refused('the Ogg file holds only Theora and VP8 video'));
    expect(await judge('ogg', bytes(page({ bos: true, packets: [packet('OVP80')] })))).toEqual(refused('the Ogg file holds only VP8 video'));
  });

  it('refuses a stream of no codec it knows, mid-file or at its end', async () => {
    const none = refused('the Ogg file holds no Vorbis, Opus, FLAC or Speex audio stream');
    expect(await judge('ogg', bytes(page({ bos: true, packets: [packet('XXXXXXXX')] }), page({ granule: [5, 0], packets: [zeros(10)] })))).toEqual(none);
    expect(await judge('ogg', bytes(page({ bos: true, packets: [packet('XXXXXXXX')] })))).toEqual(none);
  });

  it('refuses a damaged or cut page, and takes a page with no segments', async () => {
    const vorbis = page({ bos: true, packets: [packet('\x01vorbis')] });
    expect(await judge('ogg', bytes(vorbis, 'OggX', zeros(40)))).toEqual(refused('the Ogg stream is damaged'));
    expect(await judge('ogg', bytes(vorbis, 'OggS', zeros(16)))).toEqual(refused('the Ogg stream is damaged'));
    expect(await judge('ogg', bytes(vorbis, page({ granule: UNSET }).slice(0, 26), 5, 3, 3))).toEqual(refused('the Ogg stream is cut short'));
    expect(await judge('ogg', bytes(vorbis, page({ granule: UNSET })))).toEqual(refused('the Vorbis header is followed by no audio'));
  });

  it('counts a granule position as set unless both halves are all ones, and as audio unless it is zero', async () => {
    const vorbis = page({ bos: true, packets: [packet('\x01vorbis')] });
    expect(await judge('ogg', bytes(vorbis, page({ granule: [0xffffffff, 0], packets: [zeros(4)] })))).toEqual(OK);
    expect(await judge('ogg', bytes(vorbis, page({ granule: [0, 0xffffffff], packets: [zeros(4)] })))).toEqual(OK);
    expect(await judge('ogg', bytes(vorbis, page({ granule: [0, 1], packets: [zeros(4)] })))).toEqual(OK);
    expect(await judge('ogg', bytes(vorbis, page({ granule: UNSET, packets: [zeros(4)] })))).toEqual(refused('the Vorbis header is followed by no audio'));
  });

  it('counts only pages of the audio stream, not of a video stream beside it', async () => {
    const file = bytes(
      page({ bos: true, serial: 1, packets: [packet('\x01vorbis')] }),
      page({ bos: true, serial: 2, packets: [packet('\x80theora')] }),
      page({ serial: 2, granule: [100, 0], packets: [zeros(10)] }),
    );
    expect(await judge('ogg', file)).toEqual(refused('the Vorbis header is followed by no audio'));
  });

  it('lets through a file with more than 1024 pages before its audio rather than judge it', async () => {
    const headers = Array.from({ length: 1023 }, () => page({ packets: [zeros(1)] }));
    expect(await judge('ogg', bytes(page({ bos: true, packets: [packet('\x01vorbis')] }), ...headers, page({ packets: [zeros(1)] })))).toEqual(OK);
  });
});

/* ------------------------------------------------------------------ MP4 */

const box = (type: string, ...body: number[][]) => {
  const inner = body.flat();
  return [...be32(8 + inner.length), ...ascii(type), ...inner];
};
const hdlr = (handler: string) => box('hdlr', zeros(4), zeros(4), ascii(handler), zeros(12), [0]);
const sizes = (type: 'stsz' | 'stz2', count: number) => box(type, zeros(4), zeros(4), be32(count));
const trak = (handler: string, samples: number, sizeBox: 'stsz' | 'stz2' = 'stsz') => box('trak', box('mdia', hdlr(handler), box('minf', box('stbl', sizes(sizeBox, samples)))));
const FTYP = box('ftyp', ascii('M4A '), zeros(4), ascii('M4A '));
const MDAT = box('mdat', zeros(32));

describe('MP4/M4A', () => {
  it('takes an audio track with samples, listed in stsz or stz2, beside a video track', async () => {
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 10)), MDAT))).toEqual(OK);
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 10, 'stz2')), MDAT))).toEqual(OK);
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('vide', 10), trak('soun', 10)), MDAT))).toEqual(OK);
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 0), trak('soun', 10)), MDAT))).toEqual(OK);
  });

  it('refuses audio tracks with no samples, unless the file is fragmented (moof boxes and mvex)', async () => {
    const empty = refused('the MP4 audio track holds no samples');
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 0)), MDAT))).toEqual(empty);
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 0), box('mvex')), box('moof'), MDAT))).toEqual(OK);
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 0)), box('moof'), MDAT))).toEqual(empty);
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 0), box('mvex')), MDAT))).toEqual(empty);
  });

  it('refuses a file with no media data, or media data cut off after its header', async () => {
    const noData = refused('the MP4 container holds no audio data');
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 10))))).toEqual(noData);
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 10)), be32(1000), 'mdat'))).toEqual(noData);
  });

  it('says whether there is no track, only video, or no moov', async () => {
    expect(await judge('m4a', bytes(FTYP, box('moov', box('trak')), MDAT))).toEqual(refused('the MP4 container holds no audio track'));
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('vide', 10)), MDAT))).toEqual(refused('the MP4 container holds only a video track'));
    expect(await judge('m4a', bytes(FTYP, MDAT))).toEqual(refused('the MP4 container has no "moov" box describing its tracks'));
    expect(await judge('m4a', bytes(FTYP, MDAT, box('moov')))).toEqual(refused('the MP4 container holds no audio track'));
  });

  it('reads 64-bit box sizes and a last box that runs to the end of the file', async () => {
    const large = [...be32(1), ...ascii('mdat'), ...be32(0), ...be32(16 + 32), ...zeros(32)];
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 10)), large))).toEqual(OK);
    const toEnd = [...be32(0), ...ascii('mdat'), ...zeros(32)];
    expect(await judge('m4a', bytes(FTYP, box('moov', trak('soun', 10)), toEnd))).toEqual(OK);
  });

  it('lets through a file that needs more than 4096 reads rather than judge it', async () => {
    const many = Array.from({ length: 1024 }, () => box('trak', box('mdia', hdlr('vide'))));
    expect(await judge('m4a', bytes(FTYP, box('moov', ...many), MDAT))).toEqual(OK);
  });
});
