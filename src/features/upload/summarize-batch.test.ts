import { summarizeBatch } from './summarize-batch';
import type { UploadItem } from './upload-queue-store';

type Item = Pick<UploadItem, 'state' | 'size' | 'progress' | 'firstAttemptAt' | 'addedAt'>;
const item = (state: UploadItem['state'], size: number, extra: Partial<Item> = {}): Item => ({ state, size, progress: null, firstAttemptAt: null, addedAt: 0, ...extra });

describe('summarizeBatch', () => {
  it('counts each state; hashing, waiting, retrying and duplicates are waiting', () => {
    const summary = summarizeBatch(
      [item('accepted', 10), item('uploading', 10), item('hashing', 10), item('waiting', 10), item('retrying', 10), item('duplicate', 10), item('failed', 10), item('cancelled', 10)],
      0,
    );
    expect(summary).toMatchObject({ total: 8, accepted: 1, uploading: 1, waiting: 4, failed: 1, cancelled: 1 });
  });
  it('measures progress in bytes, leaving failed and cancelled uploads out', () => {
    const summary = summarizeBatch(
      [item('accepted', 100), item('uploading', 300, { progress: { loaded: 150, total: 300, startedAt: 0, updatedAt: 0 } }), item('waiting', 100), item('failed', 1_000)],
      0,
    );
    expect(summary.bytesDone).toBe(250);
    expect(summary.bytesTotal).toBe(500);
    expect(summary.progress).toBe(0.5);
  });
  it('estimates time left at the pace since the first upload began', () => {
    const items = [item('accepted', 1_000, { firstAttemptAt: 10_000 }), item('waiting', 3_000)];
    // 1,000 bytes in 5 s: 200 B/s, 3,000 left.
    expect(summarizeBatch(items, 15_000).secondsLeft).toBe(15);
  });
  it('has no estimate before a byte is sent, and none needed once all is done', () => {
    expect(summarizeBatch([item('waiting', 10)], 5_000).secondsLeft).toBeNull();
    expect(summarizeBatch([item('accepted', 10, { firstAttemptAt: 0 }), item('failed', 5)], 5_000)).toMatchObject({ secondsLeft: 0, progress: 1 });
  });
  it('an empty batch is at 0', () => {
    expect(summarizeBatch([], 0)).toMatchObject({ total: 0, progress: 0, secondsLeft: 0 });
  });
});
