// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { createUploadQueueStore, type NewUpload, useQueueCounts, useQueueItems } from './upload-queue-store';

const upload = (id: string, sha256: string | null = null): NewUpload => ({
  id,
  fileName: `${id}.wav`,
  size: 10,
  format: 'wav',
  pipeline: 'transcription',
  language: 'en-US',
  metadata: {},
  sha256,
});

describe('queue hooks for the screens', () => {
  it('count uploads in flight, and those still to go (checking, waiting or retrying), as the queue changes', () => {
    const store = createUploadQueueStore();
    const { result } = renderHook(() => ({ counts: useQueueCounts(store), items: useQueueItems(store) }));
    expect(result.current.counts).toEqual({ uploading: 0, waiting: 0 });
    act(() => store.getState().uploadsQueued([upload('hashing'), upload('waiting', 'a'.repeat(64)), upload('sent', 'b'.repeat(64)), upload('retry', 'c'.repeat(64)), upload('done', 'd'.repeat(64))], 0));
    expect(result.current.items.map((item) => item.id)).toEqual(['hashing', 'waiting', 'sent', 'retry', 'done']);
    expect(result.current.counts).toEqual({ uploading: 0, waiting: 5 });
    act(() => {
      store.getState().uploadStarted('sent', 1);
      store.getState().uploadStarted('retry', 1);
      store.getState().retryScheduled('retry', 'internal_error', 5_000, { countsAsFailure: true, mayHaveReachedServer: true, error: { code: 'internal_error', status: 500, message: 'x', requestId: null, at: 2 } });
      store.getState().uploadStarted('done', 1);
      store.getState().uploadFailed('done', { code: 'invalid_parameter', status: 400, message: 'x', requestId: null, at: 2 });
    });
    // hashing + waiting + retrying are still to go; the failed one is neither.
    expect(result.current.counts).toEqual({ uploading: 1, waiting: 3 });
  });
});
