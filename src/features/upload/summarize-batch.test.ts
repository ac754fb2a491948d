import { currentBatch, summarizeBatch } from './summarize-batch';
import type { UploadItem } from './upload-queue-store';

type Item = Pick<UploadItem, 'state' | 'size' | 'progress' | 'submitWhenWindowEnds' | 'retryAt' | 'dedupUntil'>;
const item = (state: UploadItem['state'], size: number, extra: Partial<Item> = {}): Item => ({
  state,
  size,
  progress: null,
  submitWhenWindowEnds: false,
  retryAt: null,
  dedupUntil: null,
  ...extra,
});
const sending = (size: number, loaded: number, seconds: number) => item('uploading', size, { progress: { loaded, total: size, startedAt: 0, updatedAt: seconds * 1000 } });

describe('summarizeBatch', () => {
  it('counts each state; a held duplicate the person has not chosen to send is held, not waiting; a skipped repeat is skipped', () => {
    const summary = summarizeBatch(
      [
        item('accepted', 10),
        item('uploading', 10),
        item('hashing', 10),
        item('waiting', 10),
        item('retrying', 10),
        item('duplicate', 10),
        item('duplicate', 10, { submitWhenWindowEnds: true }),
        item('skipped', 10),
        item('failed', 10),
        item('cancelled', 10),
      ],
      0,
    );
    expect(summary).toMatchObject({ total: 10, accepted: 1, uploading: 1, waiting: 4, held: 1, skipped: 1, failed: 1, cancelled: 1 });
  });
  it('measures progress in bytes, leaving failed, cancelled, skipped and held uploads out', () => {
    const summary = summarizeBatch(
      [
        item('accepted', 100),
        item('uploading', 300, { progress: { loaded: 150, total: 300, startedAt: 0, updatedAt: 0 } }),
        item('waiting', 100),
        item('failed', 1_000),
        item('skipped', 1_000),
        item('duplicate', 1_000),
      ],
      0,
    );
    expect(summary.bytesDone).toBe(250);
    expect(summary.bytesTotal).toBe(500);
    expect(summary.progress).toBe(0.5);
  });
  it('estimates time left at the pace of the uploads sending now, concurrent ones added up', () => {
    // 100 B/s and 50 B/s: 150 B/s. Left: 200 + 100 of the two in flight, 300 waiting = 600 B, 4 s.
    const items = [item('accepted', 1_000), sending(300, 100, 1), sending(200, 100, 2), item('waiting', 300)];
    expect(summarizeBatch(items, 60_000).secondsLeft).toBe(4);
  });
  it('"Time left" does not count up while the batch waits: with nothing sending there is no estimate, and the next due time is given', () => {
    const items = [item('accepted', 1_000), item('waiting', 3_000), item('retrying', 500, { retryAt: 90_000 })];
    expect(summarizeBatch(items, 15_000)).toMatchObject({ secondsLeft: null, nextSendAt: 90_000 });
    expect(summarizeBatch(items, 75_000)).toMatchObject({ secondsLeft: null, nextSendAt: 90_000 });
    // A held file to be sent when its window ends is due then too.
    expect(summarizeBatch([item('waiting', 10), item('duplicate', 10, { submitWhenWindowEnds: true, dedupUntil: 40_000 })], 15_000).nextSendAt).toBe(40_000);
  });
  it('has no estimate before a byte is sent, and none needed once all is done', () => {
    expect(summarizeBatch([item('waiting', 10)], 5_000).secondsLeft).toBeNull();
    expect(summarizeBatch([item('accepted', 10), item('failed', 5), item('skipped', 10)], 5_000)).toMatchObject({ secondsLeft: 0, progress: 1 });
  });
  it('an empty batch is at 0', () => {
    expect(summarizeBatch([], 0)).toMatchObject({ total: 0, progress: 0, secondsLeft: 0 });
  });
});

describe('currentBatch', () => {
  const queued = (id: string, batchId: string, state: UploadItem['state']) => ({ id, batchId, state, addedAt: 0 });
  it('a finished batch (accepted and skipped) does not roll into the next one', () => {
    const items = [queued('a', 'b1', 'accepted'), queued('b', 'b1', 'skipped'), queued('c', 'b2', 'waiting')];
    expect(currentBatch(items).map((entry) => entry.id)).toEqual(['c']);
  });
  it('a batch with an upload still under way or held stays, with every batch after it', () => {
    const items = [queued('a', 'b1', 'accepted'), queued('b', 'b1', 'duplicate'), queued('c', 'b2', 'accepted'), queued('d', 'b3', 'waiting')];
    expect(currentBatch(items).map((entry) => entry.id)).toEqual(['a', 'b', 'c', 'd']);
  });
  it('when every batch is done, the newest alone', () => {
    const items = [queued('a', 'b1', 'accepted'), queued('b', 'b2', 'accepted'), queued('c', 'b2', 'failed')];
    expect(currentBatch(items).map((entry) => entry.id)).toEqual(['b', 'c']);
  });
});
