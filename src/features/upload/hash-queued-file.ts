import type { Clock } from '../../lib/random';
import type { HashFile } from './hash-file';
import { fileMissing, toUploadError } from './send-upload';
import type { QueueEvents, UploadItem } from './upload-queue-store';

/**
 * Hashes queued files, one at a time (the hasher is a worker doing real
 * work). A hash that fails while offline waits for the connection, as the
 * upload itself would; online, it is a visible failure.
 */
export function createQueuedFileHasher(deps: {
  clock: Clock;
  events: () => QueueEvents;
  loadBlob: (id: string) => Promise<Blob | undefined>;
  hashFile: HashFile;
  isOnline: () => boolean;
  onDone: () => void;
}) {
  const hashing = new Set<string>();
  /** A hash failed while offline: hashing resumes when the browser is online again. */
  let waitsForConnection = false;

  async function hash(item: UploadItem) {
    hashing.add(item.id);
    try {
      const blob = await deps.loadBlob(item.id);
      if (!blob) {
        deps.events().uploadFailed(item.id, fileMissing(deps.clock()));
        return;
      }
      const sha256 = await deps.hashFile(blob, (bytes) => deps.events().hashProgressed(item.id, bytes));
      deps.events().hashComputed(item.id, sha256);
    } catch (error) {
      // Offline, the hasher's code may not load: the file waits for the connection, as its upload would.
      if (!deps.isOnline()) waitsForConnection = true;
      else deps.events().uploadFailed(item.id, { ...toUploadError(error, deps.clock()), code: 'hash_failed' });
    } finally {
      hashing.delete(item.id);
      deps.onDone();
    }
  }

  return {
    /** Starts hashing the next file that needs it, if none is being hashed. */
    next(items: readonly UploadItem[], online: boolean) {
      if (online) waitsForConnection = false;
      const waiting = items.find((item) => item.state === 'hashing' && !hashing.has(item.id));
      if (waiting && hashing.size === 0 && !waitsForConnection) void hash(waiting);
    },
  };
}
