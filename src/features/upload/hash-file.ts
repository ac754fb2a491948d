type HashMessage = { id: number; kind: 'progress'; hashedBytes: number } | { id: number; kind: 'done'; sha256: string } | { id: number; kind: 'error'; message: string };

export type HashFile = ((blob: Blob, onProgress: (hashedBytes: number) => void) => Promise<string>) & {
  /**
   * Loads what hashing needs (the worker, the in-page fallback's code) ahead of the first file: a module fetched
   * while offline fails, and the browser remembers the failure until a reload.
   */
  warm?: () => void;
};

/** The part of a Worker the hasher uses, so tests can hand it one that fails. */
export interface HashWorker {
  postMessage(message: { id: number; blob: Blob }): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<HashMessage>) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

export interface FileHasherOptions {
  /** Makes the worker; null where the platform has none. */
  createWorker?: (() => HashWorker) | null;
  /** Hashes on the page itself: where there is no worker, and when the worker fails. */
  hashInPage?: HashFile;
  /** A worker silent for this long (no progress, no answer) is taken for dead. */
  silenceTimeoutMs?: number;
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
  /** A worker that failed while offline (its script could not be fetched) is tried again once online. */
  isOnline?: () => boolean;
}

const loadInPageHasher = () => import('../../lib/sha256-stream');
const defaultInPage: HashFile = async (blob, onProgress) => (await loadInPageHasher()).sha256OfBlob(blob, onProgress);

function defaultCreateWorker(): (() => HashWorker) | null {
  if (typeof Worker === 'undefined') return null;
  return () => new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' }) as unknown as HashWorker;
}

/**
 * Hashes in a Web Worker where the platform has one. A worker that fails to
 * load, crashes or goes silent never leaves a file "checking for duplicates"
 * for ever: its files are hashed on the page instead, and so are later ones.
 */
export function createFileHasher(options: FileHasherOptions = {}): HashFile {
  const createWorker = options.createWorker === undefined ? defaultCreateWorker() : options.createWorker;
  // The in-page hasher is loaded only when needed, so its WebAssembly stays out of the main bundle.
  const hashInPage = options.hashInPage ?? defaultInPage;
  const silenceTimeoutMs = options.silenceTimeoutMs ?? 30_000;
  const timers = options.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) };
  const warmInPage = () => {
    if (!options.hashInPage) void loadInPageHasher().catch(() => undefined);
  };
  if (!createWorker) return Object.assign((blob: Blob, onProgress: (hashedBytes: number) => void) => hashInPage(blob, onProgress), { warm: warmInPage });

  const isOnline = options.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine);
  let worker: HashWorker | null = null;
  let workerBroken = false;
  let brokenOffline = false;
  let nextId = 0;
  interface PendingHash {
    blob: Blob;
    resolve: (sha: string) => void;
    reject: (error: Error) => void;
    onProgress: (bytes: number) => void;
    watchdog: unknown;
  }
  const pending = new Map<number, PendingHash>();

  const armWatchdog = (id: number) => {
    const job = pending.get(id);
    if (!job) return;
    if (job.watchdog !== null) timers.clear(job.watchdog);
    job.watchdog = timers.set(workerFailed, silenceTimeoutMs);
  };

  function settle(id: number): PendingHash | undefined {
    const job = pending.get(id);
    if (!job) return undefined;
    pending.delete(id);
    if (job.watchdog !== null) timers.clear(job.watchdog);
    return job;
  }

  /** The worker is gone: everything it held is hashed on the page, and so is everything after. */
  function workerFailed() {
    workerBroken = true;
    brokenOffline = !isOnline();
    worker?.terminate();
    worker = null;
    for (const id of [...pending.keys()]) {
      const job = settle(id)!;
      hashInPage(job.blob, job.onProgress).then(job.resolve, job.reject);
    }
  }

  const ensureWorker = (): HashWorker | null => {
    // Broken only because its script could not be fetched offline: worth another try now the connection is back.
    if (workerBroken && brokenOffline && isOnline()) workerBroken = false;
    if (worker || workerBroken) return worker;
    try {
      worker = createWorker();
    } catch {
      workerBroken = true;
      brokenOffline = !isOnline();
      return null;
    }
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.kind === 'progress') {
        pending.get(message.id)?.onProgress(message.hashedBytes);
        armWatchdog(message.id);
        return;
      }
      const job = settle(message.id);
      if (!job) return;
      if (message.kind === 'done') job.resolve(message.sha256);
      else job.reject(new Error(message.message));
    };
    worker.onerror = workerFailed;
    worker.onmessageerror = workerFailed;
    return worker;
  };

  const hasher = (blob: Blob, onProgress: (hashedBytes: number) => void): Promise<string> => {
    const target = ensureWorker();
    if (!target) return hashInPage(blob, onProgress);
    return new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { blob, resolve, reject, onProgress, watchdog: null });
      armWatchdog(id);
      try {
        target.postMessage({ id, blob });
      } catch {
        workerFailed();
      }
    });
  };
  return Object.assign(hasher, {
    warm() {
      ensureWorker();
      warmInPage();
    },
  });
}
