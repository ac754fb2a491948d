import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashPathFor, ONE_SHOT_MAX_BYTES, sha256Fastest, sha256OneShot } from './sha256-fastest';
import { sha256OfBlob } from './sha256-stream';

const MIB = 1024 * 1024;
const fixture = readFileSync(new URL('../../e2e/fixtures/audio/extensible-24bit.wav', import.meta.url));
const expected = createHash('sha256').update(fixture).digest('hex');
const fixtureBlob = () => new Blob([fixture]);

describe('hashPathFor', () => {
  it('hashes up to 256 MiB in one piece on a device that reports 4 GB or more', () => {
    expect(ONE_SHOT_MAX_BYTES).toBe(256 * MIB);
    for (const deviceMemoryGb of [4, 8]) {
      expect(hashPathFor(200_000_000, { deviceMemoryGb, subtle: true })).toBe('one-shot');
      expect(hashPathFor(256 * MIB, { deviceMemoryGb, subtle: true })).toBe('one-shot');
      expect(hashPathFor(256 * MIB + 1, { deviceMemoryGb, subtle: true })).toBe('stream');
    }
  });

  it('keeps the two copies within an eighth of a smaller device: 128 MiB at 2 GB, 64 MiB at 1 GB, 32 MiB at 0.5 GB', () => {
    expect(hashPathFor(128 * MIB, { deviceMemoryGb: 2, subtle: true })).toBe('one-shot');
    expect(hashPathFor(128 * MIB + 1, { deviceMemoryGb: 2, subtle: true })).toBe('stream');
    expect(hashPathFor(64 * MIB, { deviceMemoryGb: 1, subtle: true })).toBe('one-shot');
    expect(hashPathFor(64 * MIB + 1, { deviceMemoryGb: 1, subtle: true })).toBe('stream');
    expect(hashPathFor(32 * MIB, { deviceMemoryGb: 0.5, subtle: true })).toBe('one-shot');
    expect(hashPathFor(200_000_000, { deviceMemoryGb: 0.5, subtle: true })).toBe('stream');
  });

  it('takes a browser that does not say (or says nonsense) for a 2 GB device', () => {
    for (const deviceMemoryGb of [undefined, 0, -1, Number.NaN]) {
      expect(hashPathFor(128 * MIB, { deviceMemoryGb, subtle: true })).toBe('one-shot');
      expect(hashPathFor(128 * MIB + 1, { deviceMemoryGb, subtle: true })).toBe('stream');
    }
  });

  it('streams whatever the size where there is no crypto.subtle (a console served over plain HTTP)', () => {
    expect(hashPathFor(1, { deviceMemoryGb: 8, subtle: false })).toBe('stream');
    expect(hashPathFor(0, { subtle: false })).toBe('stream');
  });
});

describe('the two paths', () => {
  it('give the same digest of a real audio file as node:crypto', async () => {
    expect(await sha256OneShot(fixtureBlob())).toBe(expected);
    expect(await sha256OfBlob(fixtureBlob())).toBe(expected);
  });

  it('sha256Fastest takes the one-shot path where it may (progress 0, then the whole file) and the sliced one otherwise', async () => {
    const oneShot: number[] = [];
    expect(await sha256Fastest(fixtureBlob(), (bytes) => oneShot.push(bytes), { deviceMemoryGb: 8, subtle: true })).toBe(expected);
    expect(oneShot).toEqual([0, fixture.length]);

    const sliced: number[] = [];
    expect(await sha256Fastest(fixtureBlob(), (bytes) => sliced.push(bytes), { deviceMemoryGb: 8, subtle: false })).toBe(expected);
    expect(sliced).toEqual([fixture.length]);
  });

  it('falls back to slices when the whole-file read is refused, as a browser short of memory refuses it', async () => {
    class RefusedWhole extends Blob {
      override arrayBuffer(): Promise<ArrayBuffer> {
        return Promise.reject(new RangeError('Array buffer allocation failed'));
      }
    }
    const progress: number[] = [];
    expect(await sha256Fastest(new RefusedWhole([fixture]), (bytes) => progress.push(bytes), { deviceMemoryGb: 8, subtle: true })).toBe(expected);
    expect(progress).toEqual([0, fixture.length]);
  });
});
