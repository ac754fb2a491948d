import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import { keptFiles as defaultKeptFiles, type KeptFiles } from './kept-files';
import { useUploads } from './upload-context';

interface KeptIndex {
  subscribe(listener: () => void): () => void;
  /** The SHA-256s kept, lower case; null until first read. */
  snapshot(): ReadonlySet<string> | null;
}

const indexes = new WeakMap<KeptFiles, KeptIndex>();

/** One read of the kept files for every row that asks, read again whenever they change (here or in another tab). */
function keptIndexOf(kept: KeptFiles): KeptIndex {
  const known = indexes.get(kept);
  if (known) return known;
  const listeners = new Set<() => void>();
  let current: ReadonlySet<string> | null = null;
  let unsubscribe: (() => void) | null = null;
  let reads = 0;
  const read = () => {
    const mine = ++reads;
    kept.list().then(
      (entries) => {
        // An older read answering late must not replace a newer one.
        if (mine !== reads) return;
        current = new Set(entries.map((entry) => entry.sha256.toLowerCase()));
        for (const listener of [...listeners]) listener();
      },
      () => {
        // Unreadable (no IndexedDB, a private window): nothing is known kept, so every re-run asks for its file.
        if (mine !== reads) return;
        current = new Set();
        for (const listener of [...listeners]) listener();
      },
    );
  };
  const index: KeptIndex = {
    subscribe(listener) {
      listeners.add(listener);
      if (!unsubscribe) {
        unsubscribe = kept.subscribe(read);
        read();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          unsubscribe?.();
          unsubscribe = null;
          current = null;
        }
      };
    },
    snapshot: () => current,
  };
  indexes.set(kept, index);
  return index;
}

/** Queue states whose bytes the queue holds; an accepted upload's bytes move to the kept files a moment later. */
const HOLDS_BYTES: ReadonlySet<string> = new Set(['hashing', 'waiting', 'uploading', 'retrying', 'duplicate']);

type BlobLookup = { get(id: string): Promise<Blob | undefined> };
/**
 * Whether an accepted upload's bytes are still in the queue's store (not yet
 * moved, or not movable), asked once per upload for every row that asks, and
 * asked again after any change to the kept files (a move, a clear).
 */
const stillQueued = new WeakMap<object, Map<string, Promise<boolean>>>();
function acceptedBytesHeld(kept: object, blobs: BlobLookup, id: string): Promise<boolean> {
  let answers = stillQueued.get(kept);
  if (!answers) {
    answers = new Map();
    stillQueued.set(kept, answers);
  }
  let answer = answers.get(id);
  if (!answer) {
    answer = blobs.get(id).then(
      (blob) => blob !== undefined,
      () => false,
    );
    answers.set(id, answer);
  }
  return answer;
}

/**
 * Whose bytes this browser holds, by SHA-256: the kept files, and the uploads
 * still on their way in this tab's queue (an accepted upload's bytes move to
 * the kept files a moment later, and are counted from there). Null while the first read is under way.
 */
export function useKeptShas(kept: KeptFiles = defaultKeptFiles): ReadonlySet<string> | null {
  const index = keptIndexOf(kept);
  const stored = useSyncExternalStore(index.subscribe, index.snapshot);
  const { store, blobs } = useUploads();
  // Strings, so that upload progress (which changes the items often) does not re-render every row that asks.
  const queued = useStore(store, (state) =>
    state.items
      .flatMap((item) => (item.sha256 && HOLDS_BYTES.has(item.state) ? [item.sha256.toLowerCase()] : []))
      .sort()
      .join(' '),
  );
  const accepted = useStore(store, (state) =>
    state.items
      .flatMap((item) => (item.sha256 && item.state === 'accepted' ? [`${item.id}:${item.sha256.toLowerCase()}`] : []))
      .sort()
      .join(' '),
  );
  // Which accepted uploads' bytes are still queued, and for which kept files and uploads that was asked.
  const [held, setHeld] = useState<{ stored: ReadonlySet<string>; accepted: string; shas: string } | null>(null);
  useEffect(() => {
    if (!stored || accepted === '') return;
    let live = true;
    const pairs = accepted.split(' ').map((pair) => pair.split(':') as [string, string]);
    void Promise.all(pairs.map(async ([id, sha]) => ((await acceptedBytesHeld(stored, blobs, id)) ? sha : null))).then((answers) => {
      if (live) setHeld({ stored, accepted, shas: answers.filter((sha) => sha !== null).join(' ') });
    });
    return () => {
      live = false;
    };
  }, [stored, accepted, blobs]);
  return useMemo(() => {
    if (!stored) return null;
    // Not known until the queue's store has answered for these uploads: a file must not read "not kept" meanwhile.
    if (accepted !== '' && (held?.stored !== stored || held.accepted !== accepted)) return null;
    const acceptedHeld = accepted === '' ? '' : (held?.shas ?? '');
    const more = [queued, acceptedHeld].filter((list) => list !== '').join(' ');
    return more === '' ? stored : new Set([...stored, ...more.split(' ')]);
  }, [stored, queued, accepted, held]);
}
