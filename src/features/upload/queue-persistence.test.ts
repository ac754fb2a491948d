import type { Job } from '../../api/schemas';
import { type KeepAcceptedBytes, type PersistQueueOptions, persistUploadQueue, QUEUE_STORAGE_KEY, type QueueBlobs, type QueueStorage } from './queue-persistence';
import { createUploadQueueStore, type NewUpload } from './upload-queue-store';

const NOTICE = 'The saved upload queue could not be read and was cleared. Files that were waiting in it were not sent; add them again.';

/** setTimeout by hand: time moves only when the test says so. */
function manualTimer() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    setTimeout: (run: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, run });
      return id;
    },
    clearTimeout: (id: unknown) => void timers.delete(id as number),
    /** Moves the clock to `to` (ms), running each timer due on the way at its own time. */
    advanceTo(to: number) {
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].run();
      }
      now = Math.max(now, to);
    },
  };
}

/** A storage that keeps every write, as IndexedDB would hold the last. */
function spyStorage(initial: string | null = null) {
  let value = initial;
  const writes: string[] = [];
  const storage: QueueStorage = {
    getItem: async () => value,
    setItem: async (_name, text) => {
      writes.push(text);
      value = text;
    },
  };
  return { storage, writes, current: () => value };
}

function fakeBlobs(initial: Record<string, string> = {}) {
  const held = new Map(Object.entries(initial).map(([id, text]) => [id, new Blob([text])]));
  const blobs: QueueBlobs = {
    get: async (id) => held.get(id),
    remove: async (id) => void held.delete(id),
    ids: async () => [...held.keys()],
  };
  return { blobs, held };
}

function fakeKept() {
  const kept: { sha256: string; fileName: string; jobId: string | null; text: string }[] = [];
  const keptFiles: KeepAcceptedBytes = {
    put: async (file) => {
      kept.push({ sha256: file.sha256, fileName: file.fileName, jobId: file.jobId, text: await file.blob.text() });
      return true;
    },
  };
  return { keptFiles, kept };
}

async function setup(storage: QueueStorage, extra: Partial<PersistQueueOptions> = {}) {
  const timer = manualTimer();
  const store = createUploadQueueStore();
  const onRestored = vi.fn();
  const warn = vi.fn();
  const persistence = persistUploadQueue(store, { storage, timer, onRestored, warn, page: null, visibility: null, ...extra });
  await persistence.restored;
  return { store, timer, persistence, onRestored, warn, events: () => store.getState() };
}

/** Lets the promise chains of a write or a blob move settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const upload = (id: string, size = 1_000): NewUpload => ({
  id,
  fileName: `${id}.wav`,
  size,
  format: 'wav',
  pipeline: 'transcription',
  language: 'en-US',
  metadata: { ticket: id },
});
const sha = (id: string) => id.padEnd(64, 'a').slice(0, 64).replace(/[^0-9a-f]/g, 'b');
const job = (id: string) => ({ id, status: 'queued' }) as Job;

describe('upload queue persistence: writes', () => {
  it('a 200-upload queue with 100 progress ticks is written twice (queued, started), and what is written holds no progress', async () => {
    const disk = spyStorage();
    const { events, timer } = await setup(disk.storage);
    const ids = Array.from({ length: 200 }, (_, index) => `u${String(index).padStart(3, '0')}`);
    events().uploadsQueued(
      ids.map((id) => upload(id, 5_000_000)),
      0,
    );
    for (const id of ids) events().hashProgressed(id, 2_500_000);
    for (const id of ids) events().hashComputed(id, sha(id));
    timer.advanceTo(0);
    await settle();
    expect(disk.writes).toHaveLength(1);

    timer.advanceTo(5_000);
    events().uploadStarted('u000', 5_000);
    for (let tick = 1; tick <= 100; tick++) {
      timer.advanceTo(5_000 + tick * 50);
      events().uploadProgressed('u000', tick * 50_000, 5_000_000, 5_000 + tick * 50);
    }
    timer.advanceTo(60_000);
    await settle();

    expect(disk.writes).toHaveLength(2);
    for (const text of disk.writes) {
      expect(text).not.toContain('"progress"');
      expect(text).not.toContain('"hashedBytes"');
      expect(text).not.toContain('"jobProgress"');
      expect(text).not.toContain('"loaded"');
    }
    const last = JSON.parse(disk.writes[1] ?? '') as { version: number; items: { id: string; state: string; attempts: number }[] };
    expect(last.version).toBe(2);
    expect(last.items).toHaveLength(200);
    expect(last.items[0]).toMatchObject({ id: 'u000', state: 'uploading', attempts: 1 });
    expect(last.items[199]).toMatchObject({ id: 'u199', state: 'waiting', attempts: 0 });
  });

  it('changes close together are written at most once a second, the last of them at the end of that second', async () => {
    const disk = spyStorage();
    const { events, timer } = await setup(disk.storage);
    events().uploadsQueued([upload('a'), upload('b')], 0);
    timer.advanceTo(0);
    await settle();
    expect(disk.writes).toHaveLength(1);

    timer.advanceTo(100);
    events().uploadCancelled('a');
    timer.advanceTo(200);
    events().uploadCancelled('b');
    timer.advanceTo(999);
    await settle();
    expect(disk.writes).toHaveLength(1);

    timer.advanceTo(1_000);
    await settle();
    expect(disk.writes).toHaveLength(2);
    expect((JSON.parse(disk.writes[1] ?? '') as { items: { state: string }[] }).items.map((item) => item.state)).toEqual(['cancelled', 'cancelled']);
  });

  it('a change that alters nothing kept (hash progress, a job progress tick) is not written', async () => {
    const disk = spyStorage();
    const { events, timer } = await setup(disk.storage);
    events().uploadsQueued([upload('a')], 0);
    events().hashComputed('a', sha('a'));
    events().uploadStarted('a', 0);
    events().uploadAccepted('a', { id: 'job_a', status: 'processing', progress: 0.1 } as Job, 0, false);
    timer.advanceTo(0);
    await settle();
    expect(disk.writes).toHaveLength(1);
    for (let tick = 2; tick <= 9; tick++) {
      timer.advanceTo(tick * 2_000);
      events().acceptedJobsObserved([{ id: 'job_a', status: 'processing', progress: tick / 10 } as Job]);
    }
    timer.advanceTo(30_000);
    await settle();
    expect(disk.writes).toHaveLength(1);
  });

  it('flushes at once when the page is hidden or left', async () => {
    const disk = spyStorage();
    const page = new EventTarget();
    const visibility = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const { events, timer } = await setup(disk.storage, { page, visibility });
    events().uploadsQueued([upload('a'), upload('b')], 0);
    timer.advanceTo(0);
    await settle();
    expect(disk.writes).toHaveLength(1);

    timer.advanceTo(100);
    events().uploadCancelled('a');
    visibility.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(disk.writes).toHaveLength(1);
    visibility.visibilityState = 'hidden';
    visibility.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(disk.writes).toHaveLength(2);
    expect(disk.current()).toContain('"cancelled"');

    timer.advanceTo(200);
    events().uploadCancelled('b');
    page.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(disk.writes).toHaveLength(3);
    expect((JSON.parse(disk.current() ?? '') as { items: { state: string }[] }).items.map((item) => item.state)).toEqual(['cancelled', 'cancelled']);
    // Nothing left to write: the pending timer writes nothing more.
    timer.advanceTo(5_000);
    await settle();
    expect(disk.writes).toHaveLength(3);
  });

  it('stop writes what is pending and nothing after; start watches again', async () => {
    const disk = spyStorage();
    const { events, timer, persistence } = await setup(disk.storage);
    events().uploadsQueued([upload('a'), upload('b')], 0);
    timer.advanceTo(0);
    events().uploadCancelled('a');
    await persistence.stop();
    expect(disk.writes).toHaveLength(2);
    expect(disk.current()).toContain('"cancelled"');

    events().uploadCancelled('b');
    timer.advanceTo(10_000);
    await settle();
    expect(disk.writes).toHaveLength(2);

    persistence.start();
    timer.advanceTo(10_000);
    await settle();
    expect(disk.writes).toHaveLength(3);
    expect((JSON.parse(disk.current() ?? '') as { items: { state: string }[] }).items.map((item) => item.state)).toEqual(['cancelled', 'cancelled']);
  });

  it('a failed write is tried again a second later', async () => {
    let failNext = true;
    const written: string[] = [];
    const storage: QueueStorage = {
      getItem: () => null,
      setItem: (_name, text) => {
        if (failNext) {
          failNext = false;
          throw new Error('QuotaExceededError');
        }
        written.push(text);
      },
    };
    const { events, timer, warn } = await setup(storage);
    events().uploadsQueued([upload('a')], 0);
    timer.advanceTo(0);
    await settle();
    expect(written).toHaveLength(0);
    expect(warn).toHaveBeenCalledTimes(1);
    timer.advanceTo(1_000);
    await settle();
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('"a.wav"');
  });
});

describe('upload queue persistence: reading back', () => {
  it('a reload restores every upload, rebuilds progress, and runs sessionRestored before onRestored', async () => {
    const disk = spyStorage();
    const first = await setup(disk.storage);
    first.events().uploadsQueued([upload('a'), upload('b'), upload('c')], 1_000);
    first.events().hashComputed('a', sha('a'));
    first.events().hashComputed('b', sha('b'));
    first.events().hashProgressed('c', 400);
    first.events().uploadStarted('a', 2_000);
    first.events().uploadProgressed('a', 600, 1_000, 2_100);
    first.events().uploadAccepted('b', { id: 'job_b', status: 'processing', progress: 0.5 } as Job, 2_500, false);
    await first.persistence.flush();

    const second = await setup(disk.storage);
    const items = second.store.getState().items;
    expect(items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    // a was cut off mid-upload: back in the queue, and it may have landed.
    expect(items[0]).toMatchObject({ state: 'waiting', mayHaveReachedServer: true, retryReason: 'reloaded', attempts: 1, progress: null, hashedBytes: 1_000, sha256: sha('a') });
    expect(items[1]).toMatchObject({ state: 'accepted', jobId: 'job_b', jobStatus: 'processing', jobProgress: null, acceptedAt: 2_500, metadata: { ticket: 'b' } });
    expect(items[2]).toMatchObject({ state: 'hashing', hashedBytes: 0, sha256: null });
    expect(second.onRestored).toHaveBeenCalledTimes(1);
    expect(second.persistence.notice.getState().message).toBeNull();
  });

  it('reads the queue zustand wrote before (version 1, progress and all)', async () => {
    const legacyItem = {
      ...upload('old'),
      sha256: sha('old'),
      hashedBytes: 1_000,
      state: 'uploading',
      addedAt: 5,
      attempts: 2,
      failures: 1,
      mayHaveReachedServer: false,
      progress: { loaded: 10, total: 1_000, startedAt: 5, updatedAt: 6 },
      retryAt: null,
      retryReason: null,
      dedupUntil: null,
      submitWhenWindowEnds: false,
      jobId: null,
      adopted: false,
      acceptedAt: null,
      jobStatus: null,
      jobProgress: null,
      jobError: null,
      error: null,
    };
    const { store, persistence } = await setup(spyStorage(JSON.stringify({ state: { items: [legacyItem] }, version: 1 })).storage);
    expect(store.getState().items).toHaveLength(1);
    expect(store.getState().items[0]).toMatchObject({ id: 'old', state: 'waiting', mayHaveReachedServer: true, attempts: 2, progress: null });
    expect(persistence.notice.getState().message).toBeNull();
  });

  const valid = (items: unknown[]) => JSON.stringify({ version: 2, items });
  const goodItem = {
    ...upload('g'),
    sha256: null,
    state: 'waiting',
    addedAt: 1,
    attempts: 0,
    failures: 0,
    mayHaveReachedServer: false,
    retryAt: null,
    retryReason: null,
    dedupUntil: null,
    submitWhenWindowEnds: false,
    jobId: null,
    adopted: false,
    acceptedAt: null,
    jobStatus: null,
    jobError: null,
    error: null,
  };

  it('the well-formed item used below is read (so each unreadable case fails for its own reason)', async () => {
    const { store, persistence } = await setup(spyStorage(valid([goodItem])).storage);
    expect(store.getState().items.map((item) => item.id)).toEqual(['g']);
    expect(persistence.notice.getState().message).toBeNull();
  });

  const unreadable: [string, string][] = [
    ['text that is not JSON', '{"version":2,"items":[{"id":"a"'],
    ['JSON null', 'null'],
    ['a bare string', '"queue"'],
    ['items that are not a list', JSON.stringify({ version: 2, items: { a: goodItem } })],
    ['an item missing its state', valid([{ ...goodItem, state: undefined }])],
    ['an item with an unknown state', valid([{ ...goodItem, state: 'exploded' }])],
    ['an item with a negative size', valid([{ ...goodItem, size: -1 }])],
    ['metadata with a number value', valid([{ ...goodItem, metadata: { n: 1 } }])],
    ['a SHA-256 that is not 64 hex digits', valid([{ ...goodItem, sha256: 'xyz' }])],
    ['two uploads with one id', valid([goodItem, goodItem])],
    ['an unknown version', JSON.stringify({ version: 3, items: [goodItem] })],
    ['no version', JSON.stringify({ items: [goodItem] })],
  ];

  it.each(unreadable)('%s: starts with an empty queue and tells the person, never throws', async (_case, raw) => {
    const disk = spyStorage(raw);
    const { store, persistence, onRestored, timer } = await setup(disk.storage);
    expect(store.getState().items).toEqual([]);
    expect(persistence.notice.getState().message).toBe(NOTICE);
    expect(onRestored).toHaveBeenCalledTimes(1);
    // The unreadable text is replaced by an empty queue.
    timer.advanceTo(0);
    await settle();
    expect(disk.current()).toBe('{"version":2,"items":[]}');
  });

  it('a storage that cannot be read starts empty with the notice, and sessionRestored and onRestored still run', async () => {
    const storage: QueueStorage = {
      getItem: () => Promise.reject(new Error('UnknownError: the database is gone')),
      setItem: () => undefined,
    };
    const store = createUploadQueueStore();
    const sessionRestored = vi.spyOn(store.getState(), 'sessionRestored');
    const onRestored = vi.fn();
    const persistence = persistUploadQueue(store, { storage, onRestored, timer: manualTimer(), warn: () => {}, page: null, visibility: null });
    await expect(persistence.restored).resolves.toBeUndefined();
    expect(store.getState().items).toEqual([]);
    expect(persistence.notice.getState().message).toBe(NOTICE);
    expect(sessionRestored).toHaveBeenCalledTimes(1);
    expect(onRestored).toHaveBeenCalledTimes(1);
  });

  it('after an unreadable queue, the bytes it left behind are deleted, not those of uploads queued since', async () => {
    const { blobs, held } = fakeBlobs({ lost1: 'x', lost2: 'y', fresh: 'z' });
    const timer = manualTimer();
    const store = createUploadQueueStore();
    const storage: QueueStorage = { getItem: async () => 'garbage', setItem: () => undefined };
    const persistence = persistUploadQueue(store, { storage, blobs, timer, warn: () => {}, page: null, visibility: null });
    store.getState().uploadsQueued([upload('fresh')], 0);
    await persistence.restored;
    await settle();
    expect([...held.keys()]).toEqual(['fresh']);
    expect(store.getState().items.map((item) => item.id)).toEqual(['fresh']);
  });
});

describe('upload queue persistence: the bytes', () => {
  it('an accepted upload’s bytes move to the kept files under its SHA-256 and leave the queue’s store, once "accepted" is saved', async () => {
    const { blobs, held } = fakeBlobs({ a: 'audio-a', b: 'audio-b' });
    const { keptFiles, kept } = fakeKept();
    const { events, persistence } = await setup(spyStorage().storage, { blobs, keptFiles });
    events().uploadsQueued([upload('a'), upload('b')], 0);
    events().hashComputed('a', sha('a'));
    events().uploadStarted('a', 1);
    events().uploadAccepted('a', job('job_a'), 2, false);
    await settle();
    // Until the saved queue says "accepted", a reload would find the upload still queued: its bytes stay.
    expect([...held.keys()].sort()).toEqual(['a', 'b']);
    await persistence.flush();
    await settle();
    expect(kept).toEqual([{ sha256: sha('a'), fileName: 'a.wav', jobId: 'job_a', text: 'audio-a' }]);
    expect([...held.keys()]).toEqual(['b']);
  });

  it('an upload accepted before its hash came keeps its bytes queued until the hash comes, then they move under it', async () => {
    const { blobs, held } = fakeBlobs({ a: 'audio-a' });
    const { keptFiles, kept } = fakeKept();
    const { events, persistence } = await setup(spyStorage().storage, { blobs, keptFiles });
    events().uploadsQueued([upload('a')], 0);
    events().uploadStarted('a', 1);
    events().uploadAccepted('a', job('job_a'), 2, false);
    await persistence.flush();
    await settle();
    // The hasher still needs them, and the kept files are found by hash.
    expect([...held.keys()]).toEqual(['a']);
    expect(kept).toEqual([]);
    events().hashComputed('a', sha('a'));
    await persistence.flush();
    await settle();
    expect(kept).toEqual([{ sha256: sha('a'), fileName: 'a.wav', jobId: 'job_a', text: 'audio-a' }]);
    expect(held.size).toBe(0);
  });

  it('removing an upload by hand deletes its queued bytes', async () => {
    const { blobs, held } = fakeBlobs({ a: 'audio-a', b: 'audio-b' });
    const { events } = await setup(spyStorage().storage, { blobs, keptFiles: fakeKept().keptFiles });
    events().uploadsQueued([upload('a'), upload('b')], 0);
    events().uploadCancelled('b');
    events().uploadRemoved('b');
    await settle();
    expect([...held.keys()]).toEqual(['a']);
  });

  it('an upload accepted before the reload whose bytes are still queued has them moved on restore', async () => {
    const disk = spyStorage();
    const first = await setup(disk.storage);
    first.events().uploadsQueued([upload('a')], 0);
    first.events().hashComputed('a', sha('a'));
    first.events().uploadAccepted('a', job('job_a'), 2, false);
    await first.persistence.flush();

    const { blobs, held } = fakeBlobs({ a: 'audio-a' });
    const { keptFiles, kept } = fakeKept();
    await setup(disk.storage, { blobs, keptFiles });
    await settle();
    expect(kept.map((file) => [file.sha256, file.jobId, file.text])).toEqual([[sha('a'), 'job_a', 'audio-a']]);
    expect(held.size).toBe(0);
  });

  it('the stored key is the one the console always used', () => {
    expect(QUEUE_STORAGE_KEY).toBe('novapulse.upload-queue');
  });
});

describe('a tab that does not lead the queue (two tabs on one queue)', () => {
  it('writes nothing and removes no bytes while another tab leads; once it leads, it writes what it holds', async () => {
    const disk = spyStorage();
    const { blobs, held } = fakeBlobs({ a: 'bytes of a' });
    let leads = false;
    const { events, timer, persistence } = await setup(disk.storage, { blobs, mayWrite: () => leads });
    events().uploadsQueued([upload('a')], 1);
    events().uploadRemoved('a');
    events().uploadsQueued([upload('b')], 2);
    timer.advanceTo(10_000);
    await persistence.flush();
    await settle();
    expect(disk.writes).toEqual([]);
    expect([...held.keys()]).toEqual(['a']);

    leads = true;
    await persistence.flush();
    expect(disk.writes).toHaveLength(1);
    expect((JSON.parse(disk.current() ?? '{}') as { items: { id: string }[] }).items.map((item) => item.id)).toEqual(['b']);
  });
});
