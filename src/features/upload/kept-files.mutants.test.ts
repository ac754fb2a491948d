import 'fake-indexeddb/auto';
import { createStore, keys, set } from 'idb-keyval';
import { createKeptFiles, planEviction } from './kept-files';

// Written against survivors of the mutation run (docs/mutation-testing.md).

describe('planEviction', () => {
  it('keeps the newest that fit, and once one does not fit, lets every older one go too', () => {
    const entries = [
      { sha256: 'old', size: 30, keptAt: 1 },
      { sha256: 'newest', size: 60, keptAt: 3 },
      { sha256: 'middle', size: 50, keptAt: 2 },
    ];
    const plan = planEviction(entries, 100);
    expect(plan.keep.map((entry) => entry.sha256)).toEqual(['newest']);
    expect(plan.evict.map((entry) => entry.sha256)).toEqual(['middle', 'old']);
    expect(entries.map((entry) => entry.sha256)).toEqual(['old', 'newest', 'middle']);
    expect(planEviction(entries, 140).keep.map((entry) => entry.sha256)).toEqual(['newest', 'middle', 'old']);
  });
});

describe('kept files holding malformed entries', () => {
  it('hides them from get, list and summary, and drops them on the next put', async () => {
    const dbName = 'kept-files-mutants-malformed';
    const raw = createStore(dbName, 'files');
    const files = createKeptFiles({ capBytes: 1_000, clock: () => 5_000, dbName });
    const good = { sha256: 'a'.repeat(64), fileName: 'a.wav', size: 3, keptAt: 1_000, jobId: null, blob: new Blob(['abc']) };
    await set(good.sha256, good, raw);
    const broken = {
      'no-blob': { ...good, sha256: 'no-blob', blob: 'abc' },
      'job-id-number': { ...good, sha256: 'job-id-number', jobId: 7 },
      'size-string': { ...good, sha256: 'size-string', size: '3' },
      'kept-at-missing': { ...good, sha256: 'kept-at-missing', keptAt: undefined },
      'name-missing': { ...good, sha256: 'name-missing', fileName: null },
      'sha-number': { ...good, sha256: 42 },
      'not-an-object': 'abc',
      'null-value': null,
    };
    for (const [key, value] of Object.entries(broken)) await set(key, value, raw);
    for (const key of Object.keys(broken)) expect(await files.get(key), key).toBeUndefined();
    expect((await files.get(good.sha256))?.fileName).toBe('a.wav');
    expect((await files.list()).map((entry) => entry.sha256)).toEqual([good.sha256]);
    expect(await files.summary()).toEqual({ count: 1, bytes: 3, capBytes: 1_000 });
    expect(await files.put({ sha256: 'b'.repeat(64), fileName: 'b.wav', jobId: 'job_b', blob: new Blob(['defg']) })).toBe(true);
    expect(await files.summary()).toEqual({ count: 2, bytes: 7, capBytes: 1_000 });
    expect((await keys(raw)).sort()).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
  });
});
