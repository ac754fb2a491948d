import { checkFile, describeFormat, languageProblem, MAX_METADATA_BYTES, metadataFromPairs } from './validate-upload';

// Written against survivors of the mutation run (docs/mutation-testing.md).

const named = (parts: BlobPart[], name: string) => Object.assign(new Blob(parts), { name });

describe('checkFile, beyond the main paths', () => {
  it('says how large the file is against the limit, and refuses an empty file', async () => {
    const big = named([new Uint8Array(2048)], 'long-call.wav');
    expect(await checkFile(big, 1024)).toEqual({
      ok: false,
      code: 'file_too_large',
      reason: 'long-call.wav is 2.0 KB; the limit is 1.0 KB. Split the audio into parts under the limit and upload each part.',
    });
    expect(await checkFile(named([], 'blank.mp3'), 1024)).toEqual({ ok: false, code: 'empty_file', reason: 'blank.mp3 is empty. Pick the recording itself.' });
  });

  it('names a file that is not audio, and one whose container holds no stream, with what to do', async () => {
    expect(await checkFile(named(['hello, world'], 'notes.mp3'), 1024)).toEqual({
      ok: false,
      code: 'unsupported_media_type',
      reason: 'notes.mp3 is not MP3, WAV, M4A, FLAC or OGG audio. Convert the file to MP3, WAV, M4A, FLAC or OGG and upload it again.',
    });
    const headerOnly = named([new Uint8Array([...'fLaC'].map((c) => c.charCodeAt(0))), new Uint8Array([0, 0])], 'cut.flac');
    expect(await checkFile(headerOnly, 1024)).toEqual({
      ok: false,
      code: 'unsupported_media_type',
      reason: 'cut.flac holds no audio stream that can be decoded (the FLAC file ends inside its header). Export it again from the recording app as MP3, WAV, M4A, FLAC or OGG.',
    });
  });

  it('shows the format by its name', () => {
    expect(describeFormat('m4a')).toBe('M4A');
    expect(describeFormat('ogg')).toBe('OGG');
  });
});

describe('languageProblem', () => {
  it('asks for a tag when the field holds only spaces', () => {
    expect(languageProblem('   ')).toBe('Enter a language tag such as en-US.');
  });
});

describe('metadataFromPairs', () => {
  it('trims keys, says which key appears twice, and allows 16 KiB', () => {
    expect(MAX_METADATA_BYTES).toBe(16_384);
    expect(metadataFromPairs([{ key: ' ticket ', value: 'SUP-1' }])).toEqual({ metadata: { ticket: 'SUP-1' } });
    expect(metadataFromPairs([{ key: 'a', value: '1' }, { key: ' a', value: '2' }])).toEqual({ problem: 'The metadata key "a" appears twice.' });
    expect(metadataFromPairs([{ key: '', value: 'orphan' }])).toEqual({ problem: 'Every metadata value needs a key.' });
    expect(metadataFromPairs([{ key: 'k', value: 'x'.repeat(20_000) }])).toEqual({ problem: 'Metadata is 19.5 KB; at most 16 KB is allowed. Shorten the values.' });
    expect(metadataFromPairs([{ key: '', value: '' }, { key: 'k', value: '' }])).toEqual({ metadata: { k: '' } });
  });
});
