import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, entries, set } from 'idb-keyval';
import { createFakeChannelBus, noLock } from '../../testing/fake-web-locks';
import type { CrossTabLock } from '../../lib/cross-tab-lock';
import { createRerunLedger, isRerunRecord, type RerunLedger, type RerunRecord, type RerunRequest, recordUpdates, watchRerunLedger } from './rerun-ledger';
import type { UploadItem } from './upload-queue-store';

// Written against the survivors of a mutation run (docs/mutation-testing.md, issue 13).
// Each test gets an empty IndexedDB of its own, so which databases exist is known.

const LEGACY_DB = 'novapulse-reupload-links';
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
type QueueItem = Pick<UploadItem, 'id' | 'jobId' | 'jobStatus' | 'state'>;

let reported: ReturnType<typeof vi.fn>;
beforeEach(() => {
  vi.stubGlobal('indexedDB', new IDBFactory());
  reported = vi.fn();
  vi.stubGlobal('reportError', reported);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const databaseNames = async () => (await indexedDB.databases()).map((db) => db.name);
const legacyStore = () => createStore(LEGACY_DB, 'links');
const firstReported = () => reported.mock.calls[0]?.[0] as Error | undefined;
const reportedMessages = () => reported.mock.calls.map(([error]) => (error as Error).message);
const quietLedger = (dbName = 'ledger', extra: Parameters<typeof createRerunLedger>[0] = {}) => createRerunLedger({ dbName, lock: noLock, channel: null, takeOverLegacyLinks: false, ...extra });

describe('reading records', () => {
  it('a stored value that is not an object is no record', () => {
    expect(isRerunRecord(undefined)).toBe(false);
    expect(isRerunRecord('u1')).toBe(false);
  });

  it('accepts a record in each state a queued upload can be in', () => {
    for (const uploadState of ['hashing', 'waiting', 'uploading', 'retrying', 'duplicate', 'accepted', 'failed', 'cancelled'] as const) {
      expect(isRerunRecord(record('job_a', 'u1', { uploadState }))).toBe(true);
    }
  });

  it('a queue item tells only the record of its own upload; another tab’s record is left alone', () => {
    expect(recordUpdates([record('job_a', 'u-other-tab')], [{ id: 'u1', jobId: 'job_x', jobStatus: 'queued', state: 'accepted' }])).toEqual([]);
  });

  it('a change of only the new job, only its status or only the upload state is each news', () => {
    const records = [
      record('job_a', 'u1', { jobId: null, jobStatus: null, uploadState: 'accepted' }),
      record('job_b', 'u2', { jobId: 'job_y', jobStatus: 'queued', uploadState: 'accepted' }),
      record('job_c', 'u3', { jobId: null, jobStatus: null, uploadState: 'waiting' }),
    ];
    const items: QueueItem[] = [
      { id: 'u1', jobId: 'job_x', jobStatus: null, state: 'accepted' },
      { id: 'u2', jobId: 'job_y', jobStatus: 'completed', state: 'accepted' },
      { id: 'u3', jobId: null, jobStatus: null, state: 'uploading' },
    ];
    expect(recordUpdates(records, items)).toEqual([
      record('job_a', 'u1', { jobId: 'job_x', jobStatus: null, uploadState: 'accepted' }),
      record('job_b', 'u2', { jobId: 'job_y', jobStatus: 'completed', uploadState: 'accepted' }),
      record('job_c', 'u3', { jobId: null, jobStatus: null, uploadState: 'uploading' }),
    ]);
  });
});

describe('the ledger in one tab', () => {
  it('knows no re-run before it has read any', () => {
    expect(quietLedger().all()).toEqual([]);
  });

  it('tells its subscribers of a claim, and no more once they unsubscribe', async () => {
    const ledger = quietLedger();
    const heard = vi.fn();
    const unsubscribe = ledger.subscribe(heard);
    await ledger.claim([request('job_a', 'u1')], async () => undefined);
    expect(heard).toHaveBeenCalled();
    const times = heard.mock.calls.length;
    unsubscribe();
    await ledger.claim([request('job_b', 'u2')], async () => undefined);
    expect(heard).toHaveBeenCalledTimes(times);
  });

  it('hands the queue nothing when every request was already re-run', async () => {
    const ledger = quietLedger();
    await ledger.claim([request('job_a', 'u1')], async () => undefined);
    const enqueue = vi.fn(async () => undefined);
    const outcomes = await ledger.claim([request('job_a', 'u2')], enqueue);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['already']);
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('shows the job a re-run became as soon as the queue learns it', async () => {
    const ledger = quietLedger();
    await ledger.claim([request('job_a', 'u1'), request('job_b', 'u2')], async () => undefined);
    const observing = ledger.observe([{ id: 'u1', jobId: 'job_new', jobStatus: 'queued', state: 'accepted' }]);
    expect(ledger.all()).toEqual([record('job_a', 'u1', { jobId: 'job_new', jobStatus: 'queued', uploadState: 'accepted' }), record('job_b', 'u2')]);
    await observing;
  });
});

describe('the ledger across tabs', () => {
  it('another tab hears the job a re-run became', async () => {
    const bus = createFakeChannelBus();
    const tabA = quietLedger('shared', { channel: bus() });
    const tabB = quietLedger('shared', { channel: bus() });
    await Promise.all([tabA.load(), tabB.load()]);
    await tabA.claim([request('job_a', 'u1')], async () => undefined);
    await vi.waitFor(() => expect(tabB.all()).toHaveLength(1));
    await tabA.observe([{ id: 'u1', jobId: 'job_new', jobStatus: 'processing', state: 'accepted' }]);
    await vi.waitFor(() => expect(tabB.all()[0]?.jobId).toBe('job_new'));
  });

  describe('over the browser’s BroadcastChannel', () => {
    const opened: BroadcastChannel[] = [];
    afterEach(() => {
      for (const channel of opened.splice(0)) channel.close();
    });

    it('a tab hears another’s re-run; a ledger built without a channel hears nothing', async () => {
      const dbName = `shared-${Math.random()}`;
      const tabA = createRerunLedger({ dbName, lock: noLock, takeOverLegacyLinks: false });
      const tabB = createRerunLedger({ dbName, lock: noLock, takeOverLegacyLinks: false });
      const deaf = createRerunLedger({ dbName, lock: noLock, channel: null, takeOverLegacyLinks: false });
      await Promise.all([tabA.load(), tabB.load(), deaf.load()]);
      await tabA.claim([request('job_a', 'u1')], async () => undefined);
      await vi.waitFor(() => expect(tabB.all().map((one) => one.uploadId)).toEqual(['u1']));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(deaf.all()).toEqual([]);
    });

    it('a tab is not sent its own change back (no second read of its own claim)', async () => {
      const dbName = `echo-${Math.random()}`;
      const tabA = createRerunLedger({ dbName, lock: noLock, takeOverLegacyLinks: false });
      const tabB = createRerunLedger({ dbName, lock: noLock, takeOverLegacyLinks: false });
      await Promise.all([tabA.load(), tabB.load()]);
      const heardA = vi.fn();
      tabA.subscribe(heardA);
      await tabA.claim([request('job_a', 'u1')], async () => undefined);
      await vi.waitFor(() => expect(tabB.all()).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heardA).toHaveBeenCalledTimes(1);
    });

    it('works in a browser without BroadcastChannel, within its own tab', async () => {
      vi.stubGlobal('BroadcastChannel', undefined);
      const ledger = createRerunLedger({ dbName: 'no-channel', lock: noLock, takeOverLegacyLinks: false });
      await ledger.load();
      await ledger.claim([request('job_a', 'u1')], async () => undefined);
      await ledger.observe([{ id: 'u1', jobId: 'job_new', jobStatus: 'queued', state: 'accepted' }]);
      expect(ledger.all()).toEqual([record('job_a', 'u1', { jobId: 'job_new', jobStatus: 'queued', uploadState: 'accepted' })]);
    });

    it('works in a browser, whose channel has no unref()', async () => {
      class BrowserChannel extends BroadcastChannel {
        constructor(name: string) {
          super(name);
          opened.push(this);
        }
        get unref() {
          return undefined;
        }
      }
      vi.stubGlobal('BroadcastChannel', BrowserChannel);
      const dbName = `browser-${Math.random()}`;
      const tabA = createRerunLedger({ dbName, lock: noLock, takeOverLegacyLinks: false });
      const tabB = createRerunLedger({ dbName, lock: noLock, takeOverLegacyLinks: false });
      await Promise.all([tabA.load(), tabB.load()]);
      await tabA.claim([request('job_a', 'u1')], async () => undefined);
      await vi.waitFor(() => expect(tabB.all()).toHaveLength(1));
    });
  });

  it('reports a re-read that fails when another tab says the records changed', async () => {
    // A database of that name without the ledger's store: every read of it fails.
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('broken');
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });
    let onChange: () => void = () => undefined;
    const ledger = createRerunLedger({
      dbName: 'broken',
      lock: noLock,
      takeOverLegacyLinks: false,
      channel: {
        post: () => undefined,
        listen: (listener) => {
          onChange = listener;
          return () => undefined;
        },
      },
    });
    await ledger.load().catch(() => undefined);
    onChange();
    await vi.waitFor(() => expect(reportedMessages()).toEqual(['Re-run ledger: could not re-read the re-runs']));
    expect(firstReported()?.cause).toBeInstanceOf(Error);
  });
});

describe('taking over the re-upload links kept before the ledger', () => {
  const link = (uploadId: string, extra: Record<string, unknown> = {}) => ({ uploadId, fromJobId: `from_${uploadId}`, pipeline: 'full-analysis', toJobId: `to_${uploadId}`, at: 7, ...extra });
  const takenOver = (uploadId: string, extra: Partial<RerunRecord> = {}) => record(`from_${uploadId}`, uploadId, { jobId: `to_${uploadId}`, uploadState: null, at: 7, ...extra });

  it('takes them over when theirs is the only database there is', async () => {
    await set('u1', link('u1'), legacyStore());
    const ledger = createRerunLedger({ dbName: 'ledger', lock: noLock, channel: null });
    await ledger.load();
    expect(ledger.all()).toEqual([takenOver('u1')]);
    expect(reported).not.toHaveBeenCalled();
  });

  it('takes them over in a browser that cannot list its databases', async () => {
    await set('u1', link('u1'), legacyStore());
    Object.defineProperty(indexedDB, 'databases', { value: undefined });
    const ledger = createRerunLedger({ dbName: 'ledger', lock: noLock, channel: null });
    await ledger.load();
    expect(ledger.all()).toEqual([takenOver('u1')]);
  });

  it('does not create their database where there never were links, and reports nothing', async () => {
    await quietLedger('ledger').claim([request('job_a', 'u1')], async () => undefined);
    const ledger = createRerunLedger({ dbName: 'ledger', lock: noLock, channel: null });
    await ledger.load();
    expect(await databaseNames()).toEqual(['ledger']);
    expect(ledger.all().map((one) => one.uploadId)).toEqual(['u1']);
    expect(reported).not.toHaveBeenCalled();
  });

  it('skips an empty or unusable link and takes over the others', async () => {
    const store = legacyStore();
    await set('a-null', null, store);
    await set('b-summary', link('b-summary', { pipeline: 'summary' }), store);
    await set('c-good', link('c-good'), store);
    const ledger = createRerunLedger({ dbName: 'ledger', lock: noLock, channel: null });
    await ledger.load();
    expect(ledger.all()).toEqual([takenOver('c-good')]);
    expect(reported).not.toHaveBeenCalled();
  });

  it('keeps what the ledger already knows of an upload rather than its old link', async () => {
    await quietLedger('ledger').claim([request('from_u1', 'u1', { at: 7 })], async () => undefined);
    await quietLedger('ledger').load();
    const knowing = quietLedger('ledger');
    await knowing.load();
    await knowing.observe([{ id: 'u1', jobId: 'to_u1', jobStatus: 'completed', state: 'accepted' }]);
    await set('u1', link('u1'), legacyStore());
    await set('u2', link('u2'), legacyStore());
    const ledger = createRerunLedger({ dbName: 'ledger', lock: noLock, channel: null });
    await ledger.load();
    expect(ledger.all()).toEqual([record('from_u1', 'u1', { jobId: 'to_u1', jobStatus: 'completed', uploadState: 'accepted', at: 7 }), takenOver('u2')]);
  });

  it('leaves them alone when told not to take them over', async () => {
    await set('u1', link('u1'), legacyStore());
    const ledger = quietLedger('ledger');
    await ledger.load();
    expect(ledger.all()).toEqual([]);
    expect((await entries(legacyStore())).map(([key]) => key)).toEqual(['u1']);
  });

  it('reports a takeover that fails, and still reads the ledger', async () => {
    await quietLedger('ledger').claim([request('job_a', 'u1')], async () => undefined);
    const lockLost = new Error('lock lost');
    const failingLock: CrossTabLock = { run: async () => Promise.reject(lockLost) };
    const ledger = createRerunLedger({ dbName: 'ledger', lock: failingLock, channel: null });
    await ledger.load();
    expect(reportedMessages()).toEqual(['Re-run ledger: could not take over the earlier re-upload links']);
    expect(firstReported()?.cause).toBe(lockLost);
    expect(ledger.all().map((one) => one.uploadId)).toEqual(['u1']);
  });

  it('without IndexedDB there are no links to take over, and none is reported missing', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const ledger = createRerunLedger({ dbName: 'ledger', lock: noLock, channel: null });
    await ledger.load().catch(() => undefined);
    expect(reportedMessages()).not.toContain('Re-run ledger: could not take over the earlier re-upload links');
  });
});

describe('watching a queue', () => {
  function fakeQueue(items: QueueItem[]) {
    const listeners = new Set<() => void>();
    let state = { items: items as UploadItem[] };
    return {
      getState: () => state,
      subscribe: (listener: () => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      itemsChanged(next: QueueItem[]) {
        state = { items: next as UploadItem[] };
        for (const listener of [...listeners]) listener();
      },
    };
  }
  const accepted = (jobId: string, jobStatus: QueueItem['jobStatus']): QueueItem[] => [{ id: 'u1', jobId, jobStatus, state: 'accepted' }];

  async function ledgerWithOneRerun() {
    const ledger = quietLedger();
    await ledger.claim([request('job_a', 'u1')], async () => undefined);
    // Loaded before the watch, so the watch's first look (once the ledger is loaded) comes at once.
    await ledger.load();
    return ledger;
  }

  it('notes the job a re-run upload became, and stops when told', async () => {
    const ledger = await ledgerWithOneRerun();
    const queue = fakeQueue([{ id: 'u1', jobId: null, jobStatus: null, state: 'waiting' }]);
    const stop = watchRerunLedger(queue, ledger);
    queue.itemsChanged(accepted('job_new', 'queued'));
    await vi.waitFor(() => expect(ledger.all()[0]).toMatchObject({ jobId: 'job_new', jobStatus: 'queued', uploadState: 'accepted' }));
    stop();
    queue.itemsChanged(accepted('job_new', 'completed'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ledger.all()[0]?.jobStatus).toBe('queued');
  });

  it('watches a queue once: a second watch adds nothing, and one stop ends the watching', async () => {
    const ledger = await ledgerWithOneRerun();
    const queue = fakeQueue([{ id: 'u1', jobId: null, jobStatus: null, state: 'waiting' }]);
    const stop = watchRerunLedger(queue, ledger);
    watchRerunLedger(queue, ledger);
    stop();
    await new Promise((resolve) => setTimeout(resolve, 0));
    queue.itemsChanged(accepted('job_new', 'queued'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ledger.all()[0]?.jobId).toBeNull();
    // Stopped, the queue can be watched again.
    const again = watchRerunLedger(queue, ledger);
    queue.itemsChanged(accepted('job_new', 'processing'));
    await vi.waitFor(() => expect(ledger.all()[0]?.jobStatus).toBe('processing'));
    again();
  });

  it('reports a note that could not be kept', async () => {
    const diskFull = new Error('quota exceeded');
    const ledger: RerunLedger = { ...quietLedger(), observe: async () => Promise.reject(diskFull) };
    const queue = fakeQueue([]);
    const stop = watchRerunLedger(queue, ledger);
    await vi.waitFor(() => expect(reportedMessages()).toContain("Re-run ledger: could not note a re-run's new job"));
    expect(firstReported()?.cause).toBe(diskFull);
    stop();
  });
});
