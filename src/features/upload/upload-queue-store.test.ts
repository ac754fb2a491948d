import 'fake-indexeddb/auto';
import type { Job } from '../../api/schemas';
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
    await new Promise((resolve) => setTimeout(resolve, 50));

    const reloaded = await restore();
    const items = reloaded.getState().items;
    expect(items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(items[0]).toMatchObject({ state: 'waiting', mayHaveReachedServer: true, sha256: 'f'.repeat(64), metadata: { ticket: 'a' } });
    expect(items[1]).toMatchObject({ state: 'accepted', jobId: 'job_b' });
    expect(items[2]).toMatchObject({ state: 'hashing' });
    expect(await (await blobStore.get('a'))?.text()).toBe('audio-a');
  });
});
