
type HashMessage = { id: number; kind: 'progress'; hashedBytes: number } | { id: number; kind: 'done'; sha256: string } | { id: number; kind: 'error'; message: string };

export type HashFile = (blob: Blob, onProgress: (hashedBytes: number) => void) => Promise<string>;

/** Hashes in a Web Worker where the platform has one; in place otherwise (tests, old hosts). */
export function createFileHasher(): HashFile {
  // The in-page hasher is loaded only where there is no worker, so its WebAssembly stays out of the main bundle.
  if (typeof Worker === 'undefined') return async (blob, onProgress) => (await import('../../lib/sha256-stream')).sha256OfBlob(blob, onProgress);
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (sha: string) => void; reject: (error: Error) => void; onProgress: (bytes: number) => void }>();
  const ensureWorker = () => {
    if (worker) return worker;
    worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<HashMessage>) => {
      const message = event.data;
      const job = pending.get(message.id);
      if (!job) return;
      if (message.kind === 'progress') job.onProgress(message.hashedBytes);
      else {
        pending.delete(message.id);
        if (message.kind === 'done') job.resolve(message.sha256);
        else job.reject(new Error(message.message));
      }
    };
    return worker;
  };
  return (blob, onProgress) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject, onProgress });
      ensureWorker().postMessage({ id, blob });
    });
}
