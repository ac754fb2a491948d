import 'fake-indexeddb/auto';
import { createStore, entries, set } from 'idb-keyval';
import { createFakeChannelBus, createFakeLockManager, noLock } from '../../testing/fake-web-locks';
import { createRerunLedger, decideReruns, isRerunRecord, type RerunRecord, type RerunRequest, recordUpdates, rerunOrigin, rerunsOf } from './rerun-ledger';

let dbCount = 0;
const freshDb = () => `rerun-ledger-test-${++dbCount}`;

const request = (fromJobId: string, uploadId: string, extra: Partial<RerunRequest> = {}): RerunRequest => ({ fromJobId, uploadId, pipeline: 'full-analysis', at: 1, ...extra });
const record = (fromJobId: string, uploadId: string, extra: Partial<RerunRecord> = {}): RerunRecord => ({
  fromJobId,
  uploadId,
  pipeline: 'full-analysis',
  jobId: null,
  jobStatus: null,
  uploadState: 'waiting',
  at: 1,
  ...extra,
});

/** What a tab's queue does with what the ledger lets through: counts the uploads it would send. */
function queueCounter() {
  const queued: string[] = [];
  return {
    queued,
    enqueue: async (claimed: RerunRequest[]) => {
      // The queue's own IndexedDB write (the file's bytes) takes a moment, as in a browser.
      await new Promise((resolve) => setTimeout(resolve, 5));
      queued.push(...claimed.map((one) => one.fromJobId));
    },
  };
}

describe('deciding a re-run', () => {
  it('lets a job never re-run go, and holds back one already re-run', () => {
    const outcomes = decideReruns([record('job_a', 'u0')], [request('job_a', 'u1'), request('job_b', 'u2')]);
    expect(outcomes.map((outcome) => [outcome.request.fromJobId, outcome.kind])).toEqual([
      ['job_a', 'already'],
      ['job_b', 'claimed'],
    ]);
    expect(outcomes[0]).toMatchObject({ earlier: [record('job_a', 'u0')] });
  });
  it('the same job twice in one batch goes once', () => {
    expect(decideReruns([], [request('job_a', 'u1'), request('job_a', 'u2')]).map((outcome) => outcome.kind)).toEqual(['claimed', 'already']);
  });
  it('a confirmed repeat goes only while the re-runs are those the person saw', () => {
    const stored = [record('job_a', 'u0')];
    expect(decideReruns(stored, [request('job_a', 'u1', { repeatOf: 1 })])[0]?.kind).toBe('claimed');
    // Another tab re-ran it meanwhile: the person confirmed a second re-run, not a third.
    expect(decideReruns([...stored, record('job_a', 'u9', { at: 2 })], [request('job_a', 'u1', { repeatOf: 1 })])[0]?.kind).toBe('already');
  });
  it('lists a job’s re-runs newest first and names the job a re-run came from', () => {
    const records = [record('job_a', 'u1', { at: 1, jobId: 'job_x' }), record('job_a', 'u2', { at: 5 }), record('job_b', 'u3')];
    expect(rerunsOf(records, 'job_a').map((one) => one.uploadId)).toEqual(['u2', 'u1']);
    expect(rerunOrigin(records, 'job_x')).toBe('job_a');
    expect(rerunOrigin(records, 'job_a')).toBeNull();
  });
  it('takes the new job, its status and the upload state from the queue, and only what changed', () => {
    const records = [record('job_a', 'u1'), record('job_b', 'u2', { jobId: 'job_y', jobStatus: 'processing', uploadState: 'accepted' })];
    const items = [
      { id: 'u1', jobId: 'job_x', jobStatus: 'queued' as const, state: 'accepted' as const },
      { id: 'u2', jobId: 'job_y', jobStatus: 'processing' as const, state: 'accepted' as const },
    ];
    expect(recordUpdates(records, items)).toEqual([record('job_a', 'u1', { jobId: 'job_x', jobStatus: 'queued', uploadState: 'accepted' })]);
  });
});

describe('reading a stored record', () => {
  it('accepts a well-formed record and refuses one it could not act on', () => {
    expect(isRerunRecord(record('job_a', 'u1', { jobId: 'job_x', jobStatus: 'completed', uploadState: 'accepted' }))).toBe(true);
    expect(isRerunRecord(record('job_a', 'u1', { jobStatus: 'unknown', uploadState: null }))).toBe(true);
    expect(isRerunRecord(null)).toBe(false);
    expect(isRerunRecord({ ...record('job_a', 'u1'), uploadId: 7 })).toBe(false);
    expect(isRerunRecord({ ...record('job_a', 'u1'), fromJobId: undefined })).toBe(false);
    expect(isRerunRecord({ ...record('job_a', 'u1'), pipeline: 'summary' })).toBe(false);
    expect(isRerunRecord({ ...record('job_a', 'u1'), jobId: 3 })).toBe(false);
    expect(isRerunRecord({ ...record('job_a', 'u1'), jobStatus: 'done' })).toBe(false);
    expect(isRerunRecord({ ...record('job_a', 'u1'), uploadState: 'lost' })).toBe(false);
    expect(isRerunRecord({ ...record('job_a', 'u1'), at: '1' })).toBe(false);
  });
  it('a malformed record in IndexedDB is left out, the others read', async () => {
    const dbName = freshDb();
    await set('junk', { uploadId: 'junk' }, createStore(dbName, 'reruns'));
    const ledger = createRerunLedger({ dbName, lock: noLock, channel: null, takeOverLegacyLinks: false });
    await ledger.claim([request('job_a', 'u1')], async () => undefined);
    const reloaded = createRerunLedger({ dbName, lock: noLock, channel: null, takeOverLegacyLinks: false });
    await reloaded.load();
    expect(reloaded.all().map((one) => one.uploadId)).toEqual(['u1']);
  });
});

describe('the re-run ledger over IndexedDB', () => {
  it('two tabs re-running the same failed job at the same moment queue it once (the lock holds across tabs)', async () => {
    const dbName = freshDb();
    const locks = createFakeLockManager();
    const tabA = createRerunLedger({ dbName, lock: locks.tab(), channel: null });
    const tabB = createRerunLedger({ dbName, lock: locks.tab(), channel: null });
    await Promise.all([tabA.load(), tabB.load()]);
    const queueA = queueCounter();
    const queueB = queueCounter();
    const [a, b] = await Promise.all([tabA.claim([request('job_a', 'ua')], queueA.enqueue), tabB.claim([request('job_a', 'ub')], queueB.enqueue)]);
    expect([...queueA.queued, ...queueB.queued]).toEqual(['job_a']);
    expect([a?.[0]?.kind, b?.[0]?.kind].sort()).toEqual(['already', 'claimed']);
    expect(locks.overlaps()).toBe(0);
    // Both tabs now show the one re-run.
    expect(rerunsOf(tabB.all(), 'job_a')).toHaveLength(1);
  });

  it('without a lock across tabs the same race queues the job twice (what the lock is for)', async () => {
    const dbName = freshDb();
    const tabA = createRerunLedger({ dbName, lock: noLock, channel: null });
    const tabB = createRerunLedger({ dbName, lock: noLock, channel: null });
    const queueA = queueCounter();
    const queueB = queueCounter();
    await Promise.all([tabA.claim([request('job_a', 'ua')], queueA.enqueue), tabB.claim([request('job_a', 'ub')], queueB.enqueue)]);
    expect([...queueA.queued, ...queueB.queued]).toEqual(['job_a', 'job_a']);
  });

  it('two tabs with overlapping batches (A,B and B,C) queue each job once', async () => {
    const dbName = freshDb();
    const locks = createFakeLockManager();
    const tabA = createRerunLedger({ dbName, lock: locks.tab(), channel: null });
    const tabB = createRerunLedger({ dbName, lock: locks.tab(), channel: null });
    const queueA = queueCounter();
    const queueB = queueCounter();
    await Promise.all([
      tabA.claim([request('job_a', 'u1'), request('job_b', 'u2')], queueA.enqueue),
      tabB.claim([request('job_b', 'u3'), request('job_c', 'u4')], queueB.enqueue),
    ]);
    expect([...queueA.queued, ...queueB.queued].sort()).toEqual(['job_a', 'job_b', 'job_c']);
  });

  it('after a reload (a new ledger over the same IndexedDB) the re-run is remembered and not queued again', async () => {
    const dbName = freshDb();
    const before = createRerunLedger({ dbName, lock: noLock, channel: null });
    const first = queueCounter();
    await before.claim([request('job_a', 'u1')], first.enqueue);
    expect(first.queued).toEqual(['job_a']);

    const after = createRerunLedger({ dbName, lock: noLock, channel: null });
    await after.load();
    expect(rerunsOf(after.all(), 'job_a').map((one) => one.uploadId)).toEqual(['u1']);
    const second = queueCounter();
    const [outcome] = await after.claim([request('job_a', 'u2')], second.enqueue);
    expect(outcome?.kind).toBe('already');
    expect(second.queued).toEqual([]);
  });

  it('keeps the job a re-run became, read back after a reload', async () => {
    const dbName = freshDb();
    const ledger = createRerunLedger({ dbName, lock: noLock, channel: null });
    await ledger.claim([request('job_a', 'u1')], async () => undefined);
    await ledger.observe([{ id: 'u1', jobId: 'job_new', jobStatus: 'queued', state: 'accepted' }]);
    const reloaded = createRerunLedger({ dbName, lock: noLock, channel: null });
    await reloaded.load();
    expect(reloaded.all()).toEqual([record('job_a', 'u1', { jobId: 'job_new', jobStatus: 'queued', uploadState: 'accepted' })]);
  });

  it('takes back the records when queueing fails, and passes the error on', async () => {
    const dbName = freshDb();
    const ledger = createRerunLedger({ dbName, lock: noLock, channel: null });
    await expect(
      ledger.claim([request('job_a', 'u1')], async () => {
        throw new Error('quota exceeded');
      }),
    ).rejects.toThrow('quota exceeded');
    expect(ledger.all()).toEqual([]);
    const queue = queueCounter();
    await ledger.claim([request('job_a', 'u2')], queue.enqueue);
    expect(queue.queued).toEqual(['job_a']);
  });

  it('a tab hears the other tab’s re-run without asking (BroadcastChannel)', async () => {
    const dbName = freshDb();
    const bus = createFakeChannelBus();
    const tabA = createRerunLedger({ dbName, lock: noLock, channel: bus() });
    const tabB = createRerunLedger({ dbName, lock: noLock, channel: bus() });
    await Promise.all([tabA.load(), tabB.load()]);
    await tabA.claim([request('job_a', 'u1')], async () => undefined);
    await vi.waitFor(() => expect(rerunsOf(tabB.all(), 'job_a')).toHaveLength(1));
  });

  it('takes over the re-upload links kept before the ledger, and empties their store', async () => {
    const legacy = createStore('novapulse-reupload-links', 'links');
    await set('u-old', { uploadId: 'u-old', fromJobId: 'job_old', pipeline: 'full-analysis', toJobId: 'job_new', at: 7 }, legacy);
    await set('bad', { uploadId: 'bad' }, legacy);
    const ledger = createRerunLedger({ dbName: freshDb(), lock: noLock, channel: null });
    await ledger.load();
    expect(ledger.all()).toEqual([record('job_old', 'u-old', { jobId: 'job_new', uploadState: null, at: 7 })]);
    expect((await entries(legacy)).map(([key]) => key)).toEqual(['bad']);
  });
});
