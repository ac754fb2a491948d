import 'fake-indexeddb/auto';
import type { Job } from '../../api/schemas';
import { keptFiles } from './kept-files';
import { blobStore, createUploadQueueStore } from './upload-queue-store';

function restore() {
  return new Promise<ReturnType<typeof createUploadQueueStore>>((resolve) => {
    const store = createUploadQueueStore({ persistIn: 'indexeddb', onRestored: () => resolve(store) });
  });
}

const upload = (id: string) => ({ id, fileName: `${id}.mp3`, size: 10, format: 'mp3' as const, pipeline: 'transcription' as const, language: 'en-US', metadata: { ticket: id } });

describe('upload queue persistence', () => {
  it('a reload loses nothing: items and their bytes come back, and a cut-off upload may have landed', async () => {
    const first = await restore();
    first.getState().uploadsQueued([upload('a'), upload('b'), upload('c')], 1_000);
    await blobStore.put('a', new Blob(['audio-a']));
    first.getState().hashComputed('a', 'f'.repeat(64));
    first.getState().hashComputed('b', 'e'.repeat(64));
    first.getState().uploadStarted('a', 2_000);
    first.getState().uploadAccepted('b', { id: 'job_b', status: 'queued' } as Job, 2_500, false);
    // What pagehide does when the page is left or reloaded.
    await first.persistence?.stop();

    const reloaded = await restore();
    const items = reloaded.getState().items;
    expect(items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(items[0]).toMatchObject({ state: 'waiting', mayHaveReachedServer: true, sha256: 'f'.repeat(64), metadata: { ticket: 'a' } });
    expect(items[1]).toMatchObject({ state: 'accepted', jobId: 'job_b' });
    expect(items[2]).toMatchObject({ state: 'hashing' });
    expect(await (await blobStore.get('a'))?.text()).toBe('audio-a');
  });

  it('as the app makes it: a 200-upload queue and 100 progress ticks make at most two writes, none holding progress (finding 10: 103 writes, 9.6 MB)', async () => {
    const writes: string[] = [];
    let now = 0;
    const timers: { at: number; run: () => void }[] = [];
    const store = createUploadQueueStore({
      persistIn: 'indexeddb',
      storage: { getItem: () => null, setItem: (_name, value) => void writes.push(value) },
      timer: { now: () => now, setTimeout: (run, ms) => timers.push({ at: now + ms, run }), clearTimeout: () => {} },
    });
    await store.persistence?.restored;
    const runDue = () => {
      for (const timer of timers.splice(0).sort((a, b) => a.at - b.at)) {
        if (timer.at <= now) timer.run();
        else timers.push(timer);
      }
    };
    store.getState().uploadsQueued(
      Array.from({ length: 200 }, (_, index) => upload(`u${index}`)),
      0,
    );
    for (let index = 0; index < 200; index++) store.getState().hashComputed(`u${index}`, 'a'.repeat(64));
    store.getState().uploadStarted('u0', 0);
    runDue();
    for (let tick = 1; tick <= 100; tick++) {
      now = tick * 100;
      store.getState().uploadProgressed('u0', tick, 10, now);
      runDue();
    }
    now = 60_000;
    runDue();
    await store.persistence?.stop();
    expect(writes.length).toBeGreaterThanOrEqual(1);
    expect(writes.length).toBeLessThanOrEqual(2);
    const total = writes.reduce((sum, text) => sum + text.length, 0);
    expect(total).toBeLessThan(2 * 200 * 1_024);
    for (const text of writes) expect(text).not.toContain('"progress"');
    expect((JSON.parse(writes.at(-1) ?? '') as { items: unknown[] }).items).toHaveLength(200);
  });

  it('an accepted upload leaves the queue’s bytes for the kept files (by SHA-256); removing an upload deletes its bytes', async () => {
    const store = await restore();
    const sha = 'c'.repeat(64);
    await blobStore.put('k', new Blob(['audio-k']));
    await blobStore.put('r', new Blob(['audio-r']));
    store.getState().uploadsQueued([upload('k'), upload('r')], 1_000);
    store.getState().hashComputed('k', sha);
    store.getState().uploadStarted('k', 2_000);
    store.getState().uploadAccepted('k', { id: 'job_k', status: 'queued' } as Job, 2_500, false);
    store.getState().uploadCancelled('r');
    store.getState().uploadRemoved('r');
    await vi.waitFor(async () => expect(await blobStore.get('k')).toBeUndefined());
    await vi.waitFor(async () => expect(await blobStore.get('r')).toBeUndefined());
    const kept = await keptFiles.get(sha);
    expect(kept).toMatchObject({ fileName: 'k.mp3', jobId: 'job_k', size: 7 });
    expect(await kept?.blob.text()).toBe('audio-k');
    await store.persistence?.stop();
  });
});
