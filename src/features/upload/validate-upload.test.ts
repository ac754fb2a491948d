import { readFileSync } from 'node:fs';
import { checkFile, languageProblem, MAX_METADATA_BYTES, metadataFromPairs } from './validate-upload';

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

  it('checks BCP-47 language tags', () => {
    expect(languageProblem('en-US')).toBeNull();
    expect(languageProblem('zh-Hant-TW')).toBeNull();
    expect(languageProblem('english')).toBeNull(); // well-formed (a 5-8 letter language subtag)
    expect(languageProblem('en_US!')).toMatch(/not a valid BCP-47/);
    expect(languageProblem('')).toMatch(/Enter a language tag/);
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
