import { maySendBeforeHash, sizesInPlay } from './duplicate-hold';
import type { Job } from '../../api/schemas';
import { createUploadQueueStore, type UploadItem } from './upload-queue-store';

const WINDOW = 60_000;
const NOW = 1_000_000;

/** Uploads queued as the form queues them, then moved by the queue's own events. */
function queue(sizes: Record<string, number>) {
  const store = createUploadQueueStore();
  store.getState().uploadsQueued(
    Object.entries(sizes).map(([id, size]) => ({ id, fileName: `${id}.mp3`, size, format: 'mp3' as const, pipeline: 'transcription' as const, language: 'en-US', metadata: {} })),
    NOW - 120_000,
  );
  const item = (id: string) => store.getState().items.find((entry) => entry.id === id) as UploadItem;
  return { events: () => store.getState(), item, items: () => store.getState().items };
}

describe('sending before the hash is known', () => {
  it('goes for the one file of its size, not for two of one size', () => {
    const { item, items } = queue({ a: 100, b: 200, c: 200 });
    const sizes = sizesInPlay(items(), NOW, WINDOW);
    expect(maySendBeforeHash(item('a'), sizes)).toBe(true);
    expect(maySendBeforeHash(item('b'), sizes)).toBe(false);
    expect(maySendBeforeHash(item('c'), sizes)).toBe(false);
  });

  it('an upload of the size accepted within the window holds it back; one accepted before the window, failed, cancelled or skipped does not', () => {
    const { events, item, items } = queue({ recent: 100, old: 200, failed: 300, cancelled: 400, fresh1: 100, fresh2: 200, fresh3: 300, fresh4: 400 });
    events().uploadAccepted('recent', { id: 'job_r', status: 'queued' } as Job, NOW - WINDOW + 1, false);
    events().uploadAccepted('old', { id: 'job_o', status: 'queued' } as Job, NOW - WINDOW, false);
    events().uploadFailed('failed', { code: 'internal_error', status: 500, message: 'boom', requestId: null, at: NOW });
    events().uploadCancelled('cancelled');
    const sizes = sizesInPlay(items(), NOW, WINDOW);
    expect(maySendBeforeHash(item('fresh1'), sizes)).toBe(false);
    expect(maySendBeforeHash(item('fresh2'), sizes)).toBe(true);
    expect(maySendBeforeHash(item('fresh3'), sizes)).toBe(true);
    expect(maySendBeforeHash(item('fresh4'), sizes)).toBe(true);
  });

  it('never for a later attempt that may have landed (its look-up needs the hash) nor for one already hashed', () => {
    const { events, item, items } = queue({ cut: 100, hashed: 200 });
    events().uploadStarted('cut', NOW);
    events().uploadInterrupted('cut', 'reloaded');
    events().hashComputed('hashed', 'f'.repeat(64));
    const sizes = sizesInPlay(items(), NOW, WINDOW);
    expect(item('cut')).toMatchObject({ state: 'hashing', mayHaveReachedServer: true });
    expect(maySendBeforeHash(item('cut'), sizes)).toBe(false);
    expect(maySendBeforeHash(item('hashed'), sizes)).toBe(false);
  });
});
