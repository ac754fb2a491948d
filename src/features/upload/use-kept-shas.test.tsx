// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { Job } from '../../api/schemas';
import type { KeptFileInfo, KeptFiles } from './kept-files';
import { UploadProvider } from './upload-context';
import { createUploadQueueStore } from './upload-queue-store';
import type { UploadRunner } from './upload-runner';
import { useKeptShas } from './use-kept-shas';

const SHA_KEPT = 'aa'.repeat(32);
const SHA_QUEUED = 'BB'.repeat(32);

/** Kept files whose list answers when the test says, and tells its subscribers of a change. */
function fakeKept(initial: string[]) {
  let shas = initial;
  const listeners = new Set<() => void>();
  const kept = {
    list: async (): Promise<KeptFileInfo[]> => shas.map((sha256) => ({ sha256, fileName: 'x.wav', size: 1, keptAt: 0, jobId: null })),
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as KeptFiles;
  return {
    kept,
    change(next: string[]) {
      shas = next;
      for (const listener of listeners) listener();
    },
  };
}

function setUp(kept: KeptFiles) {
  const store = createUploadQueueStore();
  const asked: ((blob: Blob | undefined) => void)[] = [];
  const blobs = {
    put: async () => undefined,
    remove: async () => undefined,
    get: () => new Promise<Blob | undefined>((resolve) => asked.push(resolve)),
  };
  const wrapper = ({ children }: { children: ReactNode }) => <UploadProvider value={{ store, blobs, runner: {} as UploadRunner }}>{children}</UploadProvider>;
  const hook = renderHook(() => useKeptShas(kept), { wrapper });
  return {
    store,
    hook,
    async answerBlob(blob: Blob | undefined) {
      await waitFor(() => expect(asked.length).toBeGreaterThan(0));
      act(() => {
        for (const answer of asked.splice(0)) answer(blob);
      });
    },
  };
}

const accepted = (store: ReturnType<typeof createUploadQueueStore>) =>
  act(() => {
    store.getState().uploadsQueued([{ id: 'u1', fileName: 'call.wav', size: 1, format: 'wav', pipeline: 'transcription', language: 'en-US', metadata: {}, sha256: SHA_QUEUED }], 0);
    store.getState().uploadStarted('u1', 1);
    store.getState().uploadAccepted('u1', { id: 'job_1' } as Job, 2, false);
  });

describe('useKeptShas: whose bytes this browser holds', () => {
  it('reads the kept files, in lower case, and reads them again when they change', async () => {
    const { kept, change } = fakeKept([SHA_KEPT.toUpperCase()]);
    const { hook } = setUp(kept);
    expect(hook.result.current).toBeNull();
    await waitFor(() => expect(hook.result.current).toEqual(new Set([SHA_KEPT])));
    act(() => change([]));
    await waitFor(() => expect(hook.result.current).toEqual(new Set()));
  });

  it('counts an upload still on its way in the queue', async () => {
    const { kept } = fakeKept([]);
    const { store, hook } = setUp(kept);
    act(() => store.getState().uploadsQueued([{ id: 'u1', fileName: 'call.wav', size: 1, format: 'wav', pipeline: 'transcription', language: 'en-US', metadata: {}, sha256: SHA_QUEUED }], 0));
    await waitFor(() => expect(hook.result.current).toEqual(new Set([SHA_QUEUED.toLowerCase()])));
  });

  it('does not call an accepted upload "not kept" while the queue store is still asked for its bytes, and counts it once they are there', async () => {
    const { kept } = fakeKept([]);
    const { store, hook, answerBlob } = setUp(kept);
    accepted(store);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Unknown, not an answer without it: a re-run clicked now tries the bytes rather than asking for the file.
    expect(hook.result.current).toBeNull();
    await answerBlob(new Blob(['x']));
    await waitFor(() => expect(hook.result.current).toEqual(new Set([SHA_QUEUED.toLowerCase()])));
  });

  it('does not count an accepted upload whose bytes have left the queue store and are not kept (the kept files cleared)', async () => {
    const { kept } = fakeKept([]);
    const { store, hook, answerBlob } = setUp(kept);
    accepted(store);
    await answerBlob(undefined);
    await waitFor(() => expect(hook.result.current).toEqual(new Set()));
  });
});
