import type { Clock } from '../../lib/random';
import type { HashFile } from './hash-file';
import { fileMissing, toUploadError } from './send-upload';
import type { QueueEvents, UploadItem, UploadState } from './upload-queue-store';

/**
 * States in which an upload without a hash is hashed, in order of need: one being sent (its hash may show a duplicate
 * and stop the send), one sent already (later uploads of the same bytes are held by it, and its bytes are kept by
 * it), then one that waits for it.
 */
const HASHED_FIRST: readonly UploadState[] = ['uploading', 'accepted', 'retrying', 'hashing'];

/**
 * Hashes queued files, one at a time (the hasher is a worker doing real
 * work). A hash that fails while offline waits for the connection, as the
 * upload itself would; online, it is a visible failure of a file that waits
 * for it. A file already sent goes on without it (the server still refuses
 * a duplicate), and is hashed again if it comes back to the queue.
 */
export function createQueuedFileHasher(deps: {
  clock: Clock;
  events: () => QueueEvents;
  loadBlob: (id: string) => Promise<Blob | undefined>;
  hashFile: HashFile;
  isOnline: () => boolean;
  /** Whether the upload is being sent (or was, and is no longer queued): then it goes on without its hash. */
  sentAlready: (id: string) => boolean;
  onDone: () => void;
}) {
  const hashing = new Set<string>();
  /** Files sent before their hash whose hash failed: not tried again until they are back in the queue. */
  const sentUnhashable = new Set<string>();
  /** A hash failed while offline: hashing resumes when the browser is online again. */
  let waitsForConnection = false;

  async function hash(item: UploadItem) {
    hashing.add(item.id);
    try {
      const blob = await deps.loadBlob(item.id);
      if (!blob) {
        // A file under way reads its own bytes, and says so if they are gone.
        if (!deps.sentAlready(item.id)) deps.events().uploadFailed(item.id, fileMissing(deps.clock()));
        else sentUnhashable.add(item.id);
        return;
      }
      const sha256 = await deps.hashFile(blob, (bytes) => deps.events().hashProgressed(item.id, bytes));
      deps.events().hashComputed(item.id, sha256);
    } catch (error) {
      // Offline, the hasher's code may not load: the file waits for the connection, as its upload would.
      if (!deps.isOnline()) waitsForConnection = true;
      else if (!deps.sentAlready(item.id)) deps.events().uploadFailed(item.id, { ...toUploadError(error, deps.clock()), code: 'hash_failed' });
      else sentUnhashable.add(item.id);
    } finally {
      hashing.delete(item.id);
      deps.onDone();
    }
  }

  return {
    /** Starts hashing the next file that needs it, if none is being hashed. */
    next(items: readonly UploadItem[], online: boolean) {
      if (online) waitsForConnection = false;
      for (const item of items) if (item.state === 'hashing') sentUnhashable.delete(item.id);
      if (hashing.size > 0 || waitsForConnection) return;
      for (const state of HASHED_FIRST) {
        const next = items.find((item) => item.state === state && item.sha256 === null && !sentUnhashable.has(item.id));
        if (next) {
          void hash(next);
          return;
        }
      }
    },
  };
}
