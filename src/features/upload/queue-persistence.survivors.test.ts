import type { Job } from '../../api/schemas';
import { type KeepAcceptedBytes, type PersistQueueOptions, persistUploadQueue, type QueueBlobs, type QueueStorage, serializeQueue } from './queue-persistence';
import { createUploadQueueStore, type NewUpload } from './upload-queue-store';

// Written against survivors of the mutation run (docs/mutation-testing.md): the writer's timing, stop and start,
// the listeners it adds and removes, the restore of a saved queue, and what happens to the queued bytes.

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
    /** Timers set and not yet run nor cleared. */
    pending: () => timers.size,
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
  return { storage, writes };
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

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Persistence over a fresh store, with exactly the options given (no page, no document unless named). */
function open(options: Partial<PersistQueueOptions> & { storage: QueueStorage }) {
  const timer = manualTimer();
  const store = createUploadQueueStore();
  const persistence = persistUploadQueue(store, { timer, page: null, visibility: null, ...options });
  return { store, timer, persistence, events: () => store.getState() };
}

/** Lets the promise chains of a write or a blob move settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const upload = (id: string, fileName = `${id}.wav`): NewUpload => ({
  id,
  fileName,
  size: 1_000,
  format: 'wav',
  pipeline: 'transcription',
  language: 'en-US',
  metadata: { ticket: id },
});
const sha = (id: string) => id.padEnd(64, 'a').slice(0, 64).replace(/[^0-9a-f]/g, 'b');
const job = (id: string, status: Job['status'] = 'queued') => ({ id, status }) as Job;
const idsIn = (text: string | undefined) => (JSON.parse(text ?? '') as { items: { id: string }[] }).items.map((item) => item.id);
const statesIn = (text: string | undefined) => (JSON.parse(text ?? '') as { items: { state: string }[] }).items.map((item) => item.state);

/** The text a queue of hashed, waiting uploads is saved as. */
function savedQueue(ids: string[]) {
  const store = createUploadQueueStore();
  store.getState().uploadsQueued(ids.map((id) => upload(id)), 0);
  for (const id of ids) store.getState().hashComputed(id, sha(id));
  return serializeQueue(store.getState().items);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('upload queue persistence: when writes happen', () => {
  it('after a flush, the next write still waits a full second from it (the timer set before the flush is dropped)', async () => {
    const disk = spyStorage();
    const { events, timer, persistence } = open({ storage: disk.storage });
    await persistence.restored;
    events().uploadsQueued([upload('a'), upload('b'), upload('c')], 0);
    timer.advanceTo(0);
    await settle();
    expect(disk.writes).toHaveLength(1);

    timer.advanceTo(100);
    events().uploadCancelled('a');
    timer.advanceTo(200);
    events().uploadCancelled('b');
    timer.advanceTo(300);
    await persistence.flush();
    expect(disk.writes).toHaveLength(2);
    expect(statesIn(disk.writes[1])).toEqual(['cancelled', 'cancelled', 'hashing']);

    timer.advanceTo(400);
    events().uploadCancelled('c');
    timer.advanceTo(1_299);
    await settle();
    expect(disk.writes).toHaveLength(2);
    timer.advanceTo(1_300);
    await settle();
    expect(disk.writes).toHaveLength(3);
    expect(statesIn(disk.writes[2])).toEqual(['cancelled', 'cancelled', 'cancelled']);

    // Everything is written: a flush has nothing to add.
    await persistence.flush();
    expect(disk.writes).toHaveLength(3);
  });

  it('flush resolves only once the write has landed in storage', async () => {
    const writes: string[] = [];
    const storage: QueueStorage = {
      getItem: () => null,
      setItem: async (_name, text) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        writes.push(text);
      },
    };
    const { events, persistence } = open({ storage });
    await persistence.restored;
    events().uploadsQueued([upload('a')], 0);
    await persistence.flush();
    expect(writes).toHaveLength(1);
    expect(idsIn(writes[0])).toEqual(['a']);
  });

  it('stop resolves only once the pending write has landed in storage', async () => {
    const writes: string[] = [];
    const storage: QueueStorage = {
      getItem: () => null,
      setItem: async (_name, text) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        writes.push(text);
      },
    };
    const { events, persistence } = open({ storage });
    await persistence.restored;
    events().uploadsQueued([upload('a')], 0);
    await persistence.stop();
    expect(writes).toHaveLength(1);
    expect(idsIn(writes[0])).toEqual(['a']);
  });

  it('removing the last upload of the list is written', async () => {
    const disk = spyStorage();
    const { events, timer, persistence } = open({ storage: disk.storage });
    await persistence.restored;
    events().uploadsQueued([upload('a'), upload('b')], 0);
    timer.advanceTo(0);
    await settle();
    expect(idsIn(disk.writes[0])).toEqual(['a', 'b']);

    events().uploadRemoved('b');
    timer.advanceTo(5_000);
    await settle();
    expect(disk.writes).toHaveLength(2);
    expect(idsIn(disk.writes[1])).toEqual(['a']);
  });

  it('the same uploads in a new order are written in that order', async () => {
    const disk = spyStorage();
    const { store, events, timer, persistence } = open({ storage: disk.storage });
    await persistence.restored;
    events().uploadsQueued([upload('a'), upload('b')], 0);
    timer.advanceTo(0);
    await settle();
    expect(idsIn(disk.writes[0])).toEqual(['a', 'b']);

    const [a, b] = store.getState().items;
    if (!a || !b) throw new Error('two uploads expected');
    store.setState({ items: [b, a] });
    timer.advanceTo(5_000);
    await settle();
    expect(disk.writes).toHaveLength(2);
    expect(idsIn(disk.writes[1])).toEqual(['b', 'a']);
  });
});

describe('upload queue persistence: stop and start', () => {
  it('after stop, nothing is written (no retry, no pagehide, no visibilitychange, no second stop) until start, which retries a write that failed', async () => {
    const written: string[] = [];
    let failures = 1;
    const quota = new Error('QuotaExceededError');
    const storage: QueueStorage = {
      getItem: () => null,
      setItem: (_name, text) => {
        if (failures > 0) {
          failures--;
          throw quota;
        }
        written.push(text);
      },
    };
    const page = new EventTarget();
    const visibility = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    const warn = vi.fn();
    const { events, timer, persistence } = open({ storage, page, visibility, warn });
    await persistence.restored;
    events().uploadsQueued([upload('a')], 0);

    await persistence.stop();
    expect(written).toEqual([]);
    expect(warn).toHaveBeenCalledWith('The upload queue could not be saved; trying again.', quota);

    timer.advanceTo(10_000);
    await settle();
    expect(written).toEqual([]);
    page.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(written).toEqual([]);
    visibility.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(written).toEqual([]);
    await persistence.stop();
    expect(written).toEqual([]);

    persistence.start();
    timer.advanceTo(20_000);
    await settle();
    expect(written).toHaveLength(1);
    expect(idsIn(written[0])).toEqual(['a']);
  });

  it('start while already watching adds no second listener, and stop removes every listener start added', async () => {
    const page = { addEventListener: vi.fn(), removeEventListener: vi.fn() };
    const visibility = { addEventListener: vi.fn(), removeEventListener: vi.fn(), visibilityState: 'visible' };
    const store = createUploadQueueStore();
    const subscribe = store.subscribe;
    let storeListeners = 0;
    store.subscribe = (listener) => {
      storeListeners++;
      const off = subscribe(listener);
      return () => {
        storeListeners--;
        off();
      };
    };
    const persistence = persistUploadQueue(store, { storage: spyStorage().storage, timer: manualTimer(), page, visibility, warn: vi.fn() });
    await persistence.restored;

    persistence.start();
    expect(storeListeners).toBe(1);
    expect(page.addEventListener).toHaveBeenCalledTimes(1);
    expect(page.addEventListener).toHaveBeenCalledWith('pagehide', expect.any(Function));
    expect(visibility.addEventListener).toHaveBeenCalledTimes(1);
    expect(visibility.addEventListener).toHaveBeenCalledWith('visibilitychange', expect.any(Function));

    await persistence.stop();
    expect(storeListeners).toBe(0);
    expect(page.removeEventListener).toHaveBeenCalledTimes(1);
    expect(page.removeEventListener).toHaveBeenCalledWith('pagehide', page.addEventListener.mock.calls[0]?.[1]);
    expect(visibility.removeEventListener).toHaveBeenCalledTimes(1);
    expect(visibility.removeEventListener).toHaveBeenCalledWith('visibilitychange', visibility.addEventListener.mock.calls[0]?.[1]);
  });
});

describe('upload queue persistence: defaults', () => {
  it('without a page given, leaving the window writes at once', async () => {
    const win = new EventTarget();
    vi.stubGlobal('window', win);
    const disk = spyStorage();
    const timer = manualTimer();
    const store = createUploadQueueStore();
    const persistence = persistUploadQueue(store, { storage: disk.storage, timer, visibility: null, warn: vi.fn() });
    await persistence.restored;
    store.getState().uploadsQueued([upload('a')], 0);
    win.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(disk.writes).toHaveLength(1);
    expect(idsIn(disk.writes[0])).toEqual(['a']);
    await persistence.stop();
  });

  it('without a visibility source given, the document turning hidden writes at once', async () => {
    const doc = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    vi.stubGlobal('document', doc);
    const disk = spyStorage();
    const timer = manualTimer();
    const store = createUploadQueueStore();
    const persistence = persistUploadQueue(store, { storage: disk.storage, timer, page: null, warn: vi.fn() });
    await persistence.restored;
    store.getState().uploadsQueued([upload('a')], 0);
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(disk.writes).toHaveLength(1);
    expect(idsIn(disk.writes[0])).toEqual(['a']);
    await persistence.stop();
  });

  it('without a warn given, an unreadable saved queue is reported on the console', async () => {
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { persistence } = open({ storage: spyStorage('garbage').storage });
    await persistence.restored;
    expect(consoleWarn).toHaveBeenCalledWith('The saved upload queue could not be read and was cleared.', 'not JSON');
  });

  it('without onRestored, blobs or kept files, restoring, accepting and removing uploads go without a warning or a throw', async () => {
    const disk = spyStorage();
    const warn = vi.fn();
    const { events, timer, persistence } = open({ storage: disk.storage, warn });
    await persistence.restored;
    events().uploadsQueued([upload('a'), upload('b')], 0);
    events().hashComputed('a', sha('a'));
    events().uploadStarted('a', 1);
    events().uploadAccepted('a', job('job_a'), 2, false);
    await persistence.flush();
    expect(() => events().uploadRemoved('b')).not.toThrow();
    timer.advanceTo(5_000);
    await settle();
    expect(idsIn(disk.writes.at(-1))).toEqual(['a']);
    expect(statesIn(disk.writes.at(-1))).toEqual(['accepted']);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('upload queue persistence: restoring', () => {
  it('nothing is written before the saved queue is read, even on flush; then the saved uploads come first and those queued meanwhile after', async () => {
    const disk = spyStorage();
    const read = deferred<string | null>();
    const storage: QueueStorage = { getItem: () => read.promise, setItem: disk.storage.setItem };
    const { events, timer, persistence } = open({ storage, warn: vi.fn() });
    events().uploadsQueued([upload('new')], 0);
    await persistence.flush();
    timer.advanceTo(5_000);
    await settle();
    expect(disk.writes).toEqual([]);

    read.resolve(savedQueue(['old']));
    await persistence.restored;
    expect(events().items.map((item) => item.id)).toEqual(['old', 'new']);
    await persistence.flush();
    expect(disk.writes).toHaveLength(1);
    expect(idsIn(disk.writes[0])).toEqual(['old', 'new']);
  });

  it('a saved queue that matches the store is not written again, nor is a write even scheduled', async () => {
    const saved = savedQueue(['a', 'b']);
    const disk = spyStorage(saved);
    const { events, timer, persistence } = open({ storage: disk.storage, warn: vi.fn() });
    await persistence.restored;
    expect(events().items.map((item) => item.id)).toEqual(['a', 'b']);
    expect(timer.pending()).toBe(0);
    await persistence.flush();
    timer.advanceTo(10_000);
    await settle();
    expect(disk.writes).toEqual([]);
  });

  it('an upload already in the store under an id the saved queue holds gives way to the saved one, and nothing needs writing', async () => {
    const disk = spyStorage(savedQueue(['a']));
    const timer = manualTimer();
    const store = createUploadQueueStore();
    store.getState().uploadsQueued([upload('a', 'other.wav')], 5);
    const persistence = persistUploadQueue(store, { storage: disk.storage, timer, page: null, visibility: null, warn: vi.fn() });
    await persistence.restored;
    expect(store.getState().items.map((item) => [item.id, item.fileName])).toEqual([['a', 'a.wav']]);
    expect(timer.pending()).toBe(0);
    timer.advanceTo(10_000);
    await settle();
    expect(disk.writes).toEqual([]);
  });

  it('nothing saved and nothing queued: nothing is written', async () => {
    const disk = spyStorage();
    const { timer, persistence } = open({ storage: disk.storage, warn: vi.fn() });
    await persistence.restored;
    timer.advanceTo(10_000);
    await settle();
    expect(disk.writes).toEqual([]);
  });

  it('nothing saved but an upload queued during the read: it is written once the read is done', async () => {
    const disk = spyStorage();
    const { events, timer, persistence } = open({ storage: disk.storage, warn: vi.fn() });
    events().uploadsQueued([upload('q')], 0);
    await persistence.restored;
    timer.advanceTo(0);
    await settle();
    expect(disk.writes).toHaveLength(1);
    expect(idsIn(disk.writes[0])).toEqual(['q']);
  });

  it('a storage that throws on read is reported with its message, an Error or not', async () => {
    const rejecting = vi.fn();
    const first = open({ storage: { getItem: () => Promise.reject(new Error('the database is gone')), setItem: () => undefined }, warn: rejecting });
    await first.persistence.restored;
    expect(rejecting).toHaveBeenCalledWith('The saved upload queue could not be read and was cleared.', 'unreadable storage: the database is gone');

    const throwing = vi.fn();
    const second = open({
      storage: {
        getItem: () => {
          throw 'disk asleep';
        },
        setItem: () => undefined,
      },
      warn: throwing,
    });
    await second.persistence.restored;
    expect(throwing).toHaveBeenCalledWith('The saved upload queue could not be read and was cleared.', 'unreadable storage: disk asleep');
  });

  it('an onRestored that throws is reported as a failed restore, and restored still resolves', async () => {
    const warn = vi.fn();
    const broken = new Error('listener broke');
    const { persistence } = open({
      storage: spyStorage().storage,
      warn,
      onRestored: () => {
        throw broken;
      },
    });
    await expect(persistence.restored).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith('Restoring the upload queue failed.', broken);
  });
});

describe('upload queue persistence: the bytes left by an unreadable queue', () => {
  it('are deleted, while every upload queued during the read keeps its bytes', async () => {
    const { blobs, held } = fakeBlobs({ lost: 'x', fresh1: 'y', fresh2: 'z' });
    const { events, persistence } = open({ storage: spyStorage('garbage').storage, blobs, warn: vi.fn() });
    events().uploadsQueued([upload('fresh1'), upload('fresh2')], 0);
    await persistence.restored;
    await settle();
    expect([...held.keys()].sort()).toEqual(['fresh1', 'fresh2']);
  });

  it('with no byte store, only the unreadable queue is reported', async () => {
    const warn = vi.fn();
    const { persistence } = open({ storage: spyStorage('garbage').storage, warn });
    await persistence.restored;
    await settle();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('The saved upload queue could not be read and was cleared.', 'not JSON');
  });

  it('with a byte store that cannot list its ids, nothing is deleted and nothing more is reported', async () => {
    const remove = vi.fn(async () => undefined);
    const blobs: QueueBlobs = { get: async () => undefined, remove };
    const warn = vi.fn();
    const { persistence } = open({ storage: spyStorage('garbage').storage, blobs, warn });
    await persistence.restored;
    await settle();
    expect(remove).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('a failure to list or delete them is reported', async () => {
    const broken = new Error('IndexedDB closed');
    const blobs: QueueBlobs = { get: async () => undefined, remove: async () => undefined, ids: () => Promise.reject(broken) };
    const warn = vi.fn();
    const { persistence } = open({ storage: spyStorage('garbage').storage, blobs, warn });
    await persistence.restored;
    await settle();
    expect(warn).toHaveBeenCalledWith('The bytes left by an unreadable upload queue could not be deleted.', broken);
  });
});

describe('upload queue persistence: the bytes of accepted and removed uploads', () => {
  it('an upload that changes without being accepted keeps its bytes in the queue', async () => {
    const { blobs, held } = fakeBlobs({ a: 'audio-a' });
    const put = vi.fn(async () => true);
    const { events, persistence } = open({ storage: spyStorage().storage, blobs, keptFiles: { put }, warn: vi.fn() });
    await persistence.restored;
    events().uploadsQueued([upload('a')], 0);
    await persistence.flush();
    events().hashComputed('a', sha('a'));
    events().uploadStarted('a', 1);
    await persistence.flush();
    await settle();
    expect(put).not.toHaveBeenCalled();
    expect([...held.keys()]).toEqual(['a']);
  });

  it('accepted without kept files: the bytes leave the queue, with no warning', async () => {
    const { blobs, held } = fakeBlobs({ a: 'audio-a', b: 'audio-b' });
    const warn = vi.fn();
    const { events, persistence } = open({ storage: spyStorage().storage, blobs, warn });
    await persistence.restored;
    events().uploadsQueued([upload('a'), upload('b')], 0);
    events().hashComputed('a', sha('a'));
    events().uploadStarted('a', 1);
    events().uploadAccepted('a', job('job_a'), 2, false);
    await persistence.flush();
    await settle();
    expect([...held.keys()]).toEqual(['b']);
    expect(warn).not.toHaveBeenCalled();
  });

  it('accepted when its bytes are already gone from the queue: nothing is kept and nothing reported', async () => {
    const { blobs } = fakeBlobs();
    const put = vi.fn(async () => true);
    const warn = vi.fn();
    const { events, persistence } = open({ storage: spyStorage().storage, blobs, keptFiles: { put }, warn });
    await persistence.restored;
    events().uploadsQueued([upload('a')], 0);
    events().hashComputed('a', sha('a'));
    events().uploadAccepted('a', job('job_a'), 2, false);
    await persistence.flush();
    await settle();
    expect(put).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('bytes that cannot be kept stay queued with a warning naming the file, and are not tried again when the job changes', async () => {
    const { blobs, held } = fakeBlobs({ a: 'audio-a' });
    const full = new Error('kept files full');
    const put = vi.fn<KeepAcceptedBytes['put']>(() => Promise.reject(full));
    const warn = vi.fn();
    const { events, persistence } = open({ storage: spyStorage().storage, blobs, keptFiles: { put }, warn });
    await persistence.restored;
    events().uploadsQueued([upload('a')], 0);
    events().hashComputed('a', sha('a'));
    events().uploadStarted('a', 1);
    events().uploadAccepted('a', job('job_a'), 2, false);
    await persistence.flush();
    await settle();
    expect(put).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('The bytes of a.wav could not be moved to the kept files; they stay queued until the next start.', full);
    expect([...held.keys()]).toEqual(['a']);

    events().acceptedJobsObserved([{ ...job('job_a', 'processing'), progress: 0.5 } as Job]);
    expect(events().items[0]?.jobStatus).toBe('processing');
    await persistence.flush();
    await settle();
    expect(put).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('bytes of a removed upload that cannot be deleted are reported', async () => {
    const locked = new Error('blob locked');
    const blobs: QueueBlobs = { get: async () => undefined, remove: () => Promise.reject(locked), ids: async () => [] };
    const warn = vi.fn();
    const { events, persistence } = open({ storage: spyStorage().storage, blobs, warn });
    await persistence.restored;
    events().uploadsQueued([upload('a')], 0);
    events().uploadCancelled('a');
    events().uploadRemoved('a');
    await settle();
    expect(warn).toHaveBeenCalledWith('The bytes of a removed upload could not be deleted.', locked);
  });
});
