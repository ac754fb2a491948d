import { readFileSync } from 'node:fs';
import { checkFile, languageLabel, languageProblem, MAX_METADATA_BYTES, metadataFromPairs } from './validate-upload';

const FIXTURES = new URL('../../../e2e/fixtures/audio/', import.meta.url);

function fixture(name: string) {
  return new File([readFileSync(new URL(name, FIXTURES))], name);
}

describe('checking files before any byte is sent', () => {
  it.each([
    ['call-0412.mp3', 'mp3'],
    ['voicemail-0007.mp3', 'mp3'],
    ['standup-0101.wav', 'wav'],
    ['interview-0033.m4a', 'm4a'],
    ['support-0219.flac', 'flac'],
    ['webinar-0042.ogg', 'ogg'],
    ['flac-named.mp3', 'flac'],
    ['cover-art.mp3', 'mp3'],
    ['vbr-xing.mp3', 'mp3'],
    ['extensible-24bit.wav', 'wav'],
    ['float.wav', 'wav'],
    ['float-plain.wav', 'wav'],
    ['mulaw.wav', 'wav'],
    ['ogg-flac.ogg', 'ogg'],
    ['opus.ogg', 'ogg'],
    ['speex.ogg', 'ogg'],
    ['moov-at-end.m4a', 'm4a'],
    ['moov-at-start.m4a', 'm4a'],
    ['video-and-audio.mp4', 'm4a'],
  ])('accepts %s as %s, from its bytes', async (name, format) => {
    expect(await checkFile(fixture(name), 524_288_000)).toEqual({ ok: true, format });
  });

  it.each(['picture-named.wav', 'agenda.mp3'])('refuses %s whatever its name says, saying to convert', async (name) => {
    const result = await checkFile(fixture(name), 524_288_000);
    expect(result).toMatchObject({ ok: false, code: 'unsupported_media_type' });
    expect(!result.ok && result.reason).toMatch(/Convert the file to MP3, WAV, M4A, FLAC or OGG/);
  });

  it('refuses a file over the account limit without reading it, saying to split it', async () => {
    const file = fixture('call-0412.mp3');
    const result = await checkFile(file, file.size - 1);
    expect(result).toMatchObject({ ok: false, code: 'file_too_large' });
    expect(!result.ok && result.reason).toMatch(/Split the audio/);
    expect((await checkFile(file, file.size)).ok).toBe(true);
  });

  it.each([
    ['header-only.wav', 'the WAV header is followed by no audio data'],
    ['video-only.m4a', 'the MP4 container holds only a video track'],
    ['id3-no-frames.mp3', 'no MPEG audio frame follows its ID3 tag'],
    ['theora-only.ogg', 'the Ogg file holds only Theora video'],
  ])('refuses %s, which looks like audio but holds no decodable stream, saying why and to export it again', async (name, why) => {
    const result = await checkFile(fixture(name), 524_288_000);
    expect(result).toEqual({
      ok: false,
      code: 'unsupported_media_type',
      reason: `${name} holds no audio stream that can be decoded (${why}). Export it again from the recording app as MP3, WAV, M4A, FLAC or OGG.`,
    });
  });

  it('says a file that cannot be read should be picked again', async () => {
    const broken = Object.assign(new Blob(['x'.repeat(100)]), { name: 'moved.wav' });
    broken.slice = () => {
      throw new DOMException('The requested file could not be read', 'NotReadableError');
    };
    expect(await checkFile(broken, 524_288_000)).toEqual({
      ok: false,
      code: 'unreadable_file',
      reason: 'moved.wav could not be read (The requested file could not be read). Pick it again.',
    });
  });

  it('accepts language tags that name a language, and shows the language', () => {
    for (const tag of ['en-US', 'pt-BR', 'fr', 'zh-Hant-TW']) expect(languageProblem(tag)).toBeNull();
    expect(languageLabel('pt-BR')).toBe('Brazilian Portuguese');
    expect(languageLabel('zh-Hant-TW')).toBe('Chinese (Traditional, Taiwan)');
    expect(languageLabel('zz')).toBeNull();
  });

  it('refuses language values that name no language, saying what to enter', () => {
    expect(languageProblem('zz')).toBe('"zz" names no known language. Pick a language from the list, or enter a tag such as en-US, pt-BR or zh-Hant-TW.');
    expect(languageProblem('english')).toBe('"english" is not a language tag. Use en instead, or pick a language from the list.');
    expect(languageProblem('en_US!')).toBe('"en_US!" is not a valid BCP-47 language tag. Use a language tag such as en-US.');
    expect(languageProblem('')).toBe('Enter a language tag such as en-US.');
  });

  it('builds metadata as string values within 16 KiB', () => {
    expect(metadataFromPairs([{ key: 'ticket', value: 'SUP-1' }, { key: '', value: '' }])).toEqual({ metadata: { ticket: 'SUP-1' } });
    expect(metadataFromPairs([{ key: '', value: 'orphan' }])).toHaveProperty('problem');
    expect(metadataFromPairs([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toHaveProperty('problem');
    const justUnder = 'x'.repeat(MAX_METADATA_BYTES - '{"k":""}'.length);
    expect(metadataFromPairs([{ key: 'k', value: justUnder }])).toHaveProperty('metadata');
    expect(metadataFromPairs([{ key: 'k', value: `${justUnder}x` }])).toHaveProperty('problem');
  });
});

describe('metadata keys that name Object internals', () => {
  it('keeps a "__proto__" key as a key, sent like any other', () => {
    const result = metadataFromPairs([
      { key: '__proto__', value: 'x' },
      { key: 'ticket', value: 'A' },
    ]);
    expect('metadata' in result && JSON.stringify(result.metadata)).toBe('{"__proto__":"x","ticket":"A"}');
  });
});
