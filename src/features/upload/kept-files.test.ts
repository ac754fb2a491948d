import 'fake-indexeddb/auto';
import { createKeptFiles, DEFAULT_KEPT_FILES_CAP_BYTES } from './kept-files';

let dbCount = 0;
/** A kept-files store in a database of its own, with a clock the test moves by hand. */
function keptFilesWith(capBytes?: number) {
  let now = 1_000;
  const files = createKeptFiles({ capBytes, clock: () => now, dbName: `kept-files-test-${++dbCount}` });
  return {
    files,
    /** Keeps `size` bytes under the name `name`, one second after the previous one. */
    async keep(name: string, size: number, jobId: string | null = `job_${name}`) {
      now += 1_000;
      return files.put({ sha256: name.padEnd(64, '0'), fileName: `${name}.wav`, jobId, blob: new Blob([new Uint8Array(size)]) });
    },
  };
}

const sha = (name: string) => name.padEnd(64, '0');

describe('kept files', () => {
  it('the default cap is 2 GB (2 × 1024³ bytes)', () => {
    expect(DEFAULT_KEPT_FILES_CAP_BYTES).toBe(2_147_483_648);
    expect(createKeptFiles().capBytes).toBe(2_147_483_648);
  });

  it('looks up a kept file by its SHA-256: bytes, file name, size, kept time and job id', async () => {
    const { files } = keptFilesWith();
    await files.put({ sha256: sha('abc'), fileName: 'call-1.wav', jobId: 'job_1', blob: new Blob(['RIFF-bytes']) });
    const found = await files.get(sha('abc'));
    expect(found).toMatchObject({ sha256: sha('abc'), fileName: 'call-1.wav', size: 10, jobId: 'job_1', keptAt: 1_000 });
    expect(await found?.blob.text()).toBe('RIFF-bytes');
    expect(await files.get(sha('def'))).toBeUndefined();
  });

  it('lists newest first and evicts the oldest once the cap of 1000 bytes is passed', async () => {
    const { files, keep } = keptFilesWith(1_000);
    expect(await keep('a', 50)).toBe(true);
    expect(await keep('b', 500)).toBe(true);
    expect(await keep('c', 200)).toBe(true);
    expect((await files.list()).map((file) => file.fileName)).toEqual(['c.wav', 'b.wav', 'a.wav']);
    expect(await files.summary()).toEqual({ count: 3, bytes: 750, capBytes: 1_000 });

    // 250 more makes exactly 1000: nothing goes.
    expect(await keep('d', 250)).toBe(true);
    expect(await files.summary()).toEqual({ count: 4, bytes: 1_000, capBytes: 1_000 });

    // 100 more makes 1100: b (500) goes, and a (50), older still, goes with it though it would fit: the newest are what is kept.
    expect(await keep('e', 100)).toBe(true);
    expect((await files.list()).map((file) => file.fileName)).toEqual(['e.wav', 'd.wav', 'c.wav']);
    expect(await files.summary()).toEqual({ count: 3, bytes: 550, capBytes: 1_000 });
    expect(await files.get(sha('a'))).toBeUndefined();
    expect(await files.get(sha('b'))).toBeUndefined();
  });

  it('a file exactly at the cap is kept; a file over the cap alone is not, and evicts nothing', async () => {
    const { files, keep } = keptFilesWith(1_000);
    await keep('a', 100);
    expect(await keep('big', 1_001)).toBe(false);
    expect((await files.list()).map((file) => file.fileName)).toEqual(['a.wav']);
    expect(await keep('exact', 1_000)).toBe(true);
    expect(await files.summary()).toEqual({ count: 1, bytes: 1_000, capBytes: 1_000 });
  });

  it('keeping the same bytes again replaces the entry and makes it the newest', async () => {
    const { files, keep } = keptFilesWith(1_000);
    await keep('a', 400, 'job_first');
    await keep('b', 400);
    await keep('a', 400, 'job_second');
    expect((await files.list()).map((file) => [file.fileName, file.jobId])).toEqual([
      ['a.wav', 'job_second'],
      ['b.wav', 'job_b'],
    ]);
    expect(await files.summary()).toEqual({ count: 2, bytes: 800, capBytes: 1_000 });
    // b is now the oldest: 300 more passes the cap and b goes, not a.
    await keep('c', 300);
    expect((await files.list()).map((file) => file.fileName)).toEqual(['c.wav', 'a.wav']);
  });

  it('clear removes every kept file; remove takes one', async () => {
    const { files, keep } = keptFilesWith();
    await keep('a', 10);
    await keep('b', 20);
    await files.remove(sha('a'));
    expect((await files.list()).map((file) => file.fileName)).toEqual(['b.wav']);
    await files.clear();
    expect(await files.summary()).toEqual({ count: 0, bytes: 0, capBytes: DEFAULT_KEPT_FILES_CAP_BYTES });
    expect(await files.get(sha('b'))).toBeUndefined();
  });

  it('survives a reopen: a second store over the same database sees the kept files', async () => {
    const name = `kept-files-reopen-${++dbCount}`;
    await createKeptFiles({ dbName: name, clock: () => 5 }).put({ sha256: sha('x'), fileName: 'x.wav', jobId: null, blob: new Blob(['xyz']) });
    const reopened = createKeptFiles({ dbName: name });
    expect(await reopened.list()).toEqual([{ sha256: sha('x'), fileName: 'x.wav', size: 3, keptAt: 5, jobId: null }]);
  });
});
