import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';

/**
 * The bytes of accepted uploads, kept so that a file can be sent again (for
 * example with `full-analysis`) without the person finding it on disk.
 * Looked up by SHA-256; newest first; the oldest go once the cap is passed.
 */
export interface KeptFile {
  sha256: string;
  fileName: string;
  /** Bytes, as the blob holds them. */
  size: number;
  keptAt: number;
  jobId: string | null;
  blob: Blob;
}

export type KeptFileInfo = Omit<KeptFile, 'blob'>;

export interface KeptFilesSummary {
  count: number;
  bytes: number;
  capBytes: number;
}

export const DEFAULT_KEPT_FILES_CAP_BYTES = 2 * 1024 ** 3;

export interface KeptFiles {
  /** Keeps the bytes (replacing any under the same SHA-256) and evicts the oldest beyond the cap. False when the file alone is over the cap. */
  put(file: { sha256: string; fileName: string; jobId: string | null; blob: Blob }): Promise<boolean>;
  get(sha256: string): Promise<KeptFile | undefined>;
  /** Newest first, without the bytes. */
  list(): Promise<KeptFileInfo[]>;
  summary(): Promise<KeptFilesSummary>;
  remove(sha256: string): Promise<void>;
  clear(): Promise<void>;
  /** Told after any change, in this tab or another: what is kept is read again, not guessed. */
  subscribe(listener: () => void): () => void;
  readonly capBytes: number;
}

function isKeptFile(value: unknown): value is KeptFile {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.sha256 === 'string' &&
    typeof entry.fileName === 'string' &&
    typeof entry.size === 'number' &&
    typeof entry.keptAt === 'number' &&
    (entry.jobId === null || typeof entry.jobId === 'string') &&
    entry.blob instanceof Blob
  );
}

const newestFirst = (a: { keptAt: number }, b: { keptAt: number }) => b.keptAt - a.keptAt;

const info = ({ blob: _blob, ...rest }: KeptFile): KeptFileInfo => rest;

/** Which of `entries` (the new one among them) stay under the cap, newest first; the rest go. */
export function planEviction<T extends Pick<KeptFileInfo, 'sha256' | 'size' | 'keptAt'>>(entries: T[], capBytes: number): { keep: T[]; evict: T[] } {
  const keep: T[] = [];
  const evict: T[] = [];
  let total = 0;
  for (const entry of [...entries].sort(newestFirst)) {
    // Once one is over the cap, every older one goes too: the newest are what is kept.
    if (evict.length === 0 && total + entry.size <= capBytes) {
      keep.push(entry);
      total += entry.size;
    } else {
      evict.push(entry);
    }
  }
  return { keep, evict };
}

/** Reads every entry inside `store`'s transaction; malformed entries are dropped from the answer. */
function readAll(store: IDBObjectStore, then: (entries: KeptFile[], malformed: IDBValidKey[]) => void) {
  const request = store.openCursor();
  const entries: KeptFile[] = [];
  const malformed: IDBValidKey[] = [];
  request.onsuccess = () => {
    const cursor = request.result;
    if (!cursor) {
      then(entries, malformed);
      return;
    }
    if (isKeptFile(cursor.value)) entries.push(cursor.value);
    else malformed.push(cursor.key);
    cursor.continue();
  };
}

export function createKeptFiles(options: { capBytes?: number; clock?: () => number; dbName?: string } = {}): KeptFiles {
  const capBytes = options.capBytes ?? DEFAULT_KEPT_FILES_CAP_BYTES;
  const clock = options.clock ?? Date.now;
  const dbName = options.dbName ?? 'novapulse-kept-files';
  const listeners = new Set<() => void>();
  let channel: BroadcastChannel | null = null;
  const tell = () => {
    for (const listener of [...listeners]) listener();
  };
  const changed = <T>(result: T): T => {
    tell();
    channel?.postMessage('changed');
    return result;
  };
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    if (!channel && typeof BroadcastChannel !== 'undefined') {
      channel = new BroadcastChannel(dbName);
      channel.onmessage = tell;
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        channel?.close();
        channel = null;
      }
    };
  };
  let idb: UseStore | null = null;
  // Opened on first use, so importing this module touches no IndexedDB.
  const store = (): UseStore => {
    idb ??= createStore(dbName, 'files');
    return idb;
  };

  const all = () =>
    store()('readonly', (objects) => {
      return new Promise<KeptFile[]>((resolve, reject) => {
        objects.transaction.onerror = () => reject(objects.transaction.error);
        readAll(objects, (entries) => resolve(entries));
      });
    });

  const put: KeptFiles['put'] = async ({ sha256, fileName, jobId, blob }) => {
    // Keeping it would evict everything else and still pass the cap.
    if (blob.size > capBytes) return false;
    const entry: KeptFile = { sha256, fileName, size: blob.size, keptAt: clock(), jobId, blob };
    return store()('readwrite', (objects) => {
      let kept = false;
      // One transaction for the read, the write and the evictions: two tabs keeping files at once cannot both overshoot the cap.
      readAll(objects, (entries, malformed) => {
        const others = entries.filter((other) => other.sha256 !== sha256);
        const { keep, evict } = planEviction([entry, ...others], capBytes);
        kept = keep.includes(entry);
        if (kept) objects.put(entry, sha256);
        for (const old of evict) if (old !== entry) objects.delete(old.sha256);
        for (const key of malformed) objects.delete(key);
      });
      return promisifyRequest(objects.transaction).then(() => kept);
    }).then(changed);
  };

  return {
    capBytes,
    put,
    get: (sha256) =>
      store()('readonly', (objects) => promisifyRequest(objects.get(sha256))).then((value: unknown) => (isKeptFile(value) ? value : undefined)),
    list: async () => (await all()).map(info).sort(newestFirst),
    summary: async () => {
      const entries = await all();
      return { count: entries.length, bytes: entries.reduce((sum, entry) => sum + entry.size, 0), capBytes };
    },
    remove: (sha256) => store()('readwrite', (objects) => promisifyRequest(objects.delete(sha256)).then(() => undefined)).then(changed),
    clear: () => store()('readwrite', (objects) => promisifyRequest(objects.clear()).then(() => undefined)).then(changed),
    subscribe,
  };
}

/** The console's one store of kept files. */
export const keptFiles: KeptFiles = createKeptFiles();
