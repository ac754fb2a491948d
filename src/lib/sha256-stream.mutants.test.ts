import { createHash } from 'node:crypto';
import { HASH_CHUNK_BYTES, sha256OfBlob } from './sha256-stream';

// Written against survivors of the mutation run (docs/mutation-testing.md).
// Digests of "" and "abc" are FIPS 180-2's test vectors; larger ones come from node:crypto.

describe('sha256OfBlob', () => {
  it('gives the standard digests in lower-case hex, with or without a progress callback', async () => {
    expect(await sha256OfBlob(new Blob([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256OfBlob(new Blob(['abc']))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reads 4 MiB slices, reporting the bytes hashed after each, and hashes every byte once', async () => {
    expect(HASH_CHUNK_BYTES).toBe(4 * 1024 * 1024);
    const bytes = new Uint8Array(5 * 1024 * 1024 + 3).map((_, i) => (i * 31) & 0xff);
    const progress: number[] = [];
    const digest = await sha256OfBlob(new Blob([bytes]), (hashed) => progress.push(hashed));
    expect(progress).toEqual([4_194_304, 5_242_883]);
    expect(digest).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('reports nothing for an empty file', async () => {
    const progress: number[] = [];
    await sha256OfBlob(new Blob([]), (hashed) => progress.push(hashed));
    expect(progress).toEqual([]);
  });
});
