import { createFakeTabChannels } from '../../testing/fake-tabs';
import { createFakeLockManager } from '../../testing/fake-web-locks';
import { audioBytes, createUploadHarness, type UploadHarness } from '../../testing/upload-harness';

let h: UploadHarness;

async function realTick() {
  const started = performance.now();
  for (let round = 0; round < 3 || (h?.realWorkPending() && performance.now() - started < 5_000); round++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function until(done: () => boolean, limitMs = 120_000, stepMs = 100) {
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    if (done()) return;
    await vi.advanceTimersByTimeAsync(stepMs);
    await realTick();
  }
  throw new Error('condition not reached in time');
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 25, 10, 0, 30), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  h?.stop();
  vi.useRealTimers();
});

/** An origin's Web Locks and BroadcastChannel, shared by the tabs the test opens. */
const twoTabs = () => ({ locks: createFakeLockManager(), channels: createFakeTabChannels() });

/** Jobs per file name, as the simulator holds them. */
function jobsPerFile(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const job of h.jobs()) counts[job.file.name] = (counts[job.file.name] ?? 0) + 1;
  return counts;
}

const states = (items: readonly { fileName: string; state: string; jobId: string | null }[]) => items.map((item) => `${item.fileName} ${item.state} ${item.jobId}`);

// Jobs run 90 s on a 2-slot key: uploads wait for slots longer than the server's 60 s duplicate window, so a second
// send of the same file would make a second job rather than be refused.
const SLOW_JOBS: NonNullable<Parameters<typeof createUploadHarness>[0]>['account'] = { tier: 'starter', timing: { queueMs: [1_000, 1_000], processMs: [90_000, 90_000] } };

describe('two tabs on one queue', { timeout: 30_000 }, () => {
  it('only one tab sends: every file queued in either tab is sent once and becomes one job, and both tabs show the same queue', async () => {
    h = createUploadHarness({ tabs: twoTabs(), account: SLOW_JOBS });
    await h.start();
    for (const name of ['a1', 'a2', 'a3']) h.enqueue(audioBytes('mp3', name), `${name}.mp3`);
    const second = h.openTab();
    await until(() => second.store.getState().items.length === 3, 5_000);
    for (const name of ['b1', 'b2']) h.enqueue(audioBytes('mp3', name), `${name}.mp3`, {}, second);

    await until(() => h.store.getState().items.length === 5 && h.store.getState().items.every((item) => item.state === 'accepted'), 600_000, 1_000);
    expect(jobsPerFile()).toEqual({ 'a1.mp3': 1, 'a2.mp3': 1, 'a3.mp3': 1, 'b1.mp3': 1, 'b2.mp3': 1 });
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([202, 202, 202, 202, 202]);
    await until(() => states(second.store.getState().items).join() === states(h.store.getState().items).join(), 5_000);
    expect(second.store.getState().items.map((item) => item.fileName)).toEqual(['a1.mp3', 'a2.mp3', 'a3.mp3', 'b1.mp3', 'b2.mp3']);
  });

  it('what the person does in the tab that does not lead is done once, by the one that does (cancel there stops the upload here)', async () => {
    h = createUploadHarness({ tabs: twoTabs(), account: SLOW_JOBS });
    await h.start();
    const ids = ['c1', 'c2', 'c3'].map((name) => h.enqueue(audioBytes('mp3', name), `${name}.mp3`));
    const second = h.openTab();
    await until(() => second.store.getState().items.length === 3, 5_000);
    second.store.getState().uploadCancelled(ids[2]!);
    await until(() => h.item(ids[2]!).state === 'cancelled' && second.item(ids[2]!)?.state === 'cancelled', 5_000);
    await until(() => h.item(ids[0]!).state === 'accepted' && h.item(ids[1]!).state === 'accepted', 60_000);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await realTick();
    expect(jobsPerFile()).toEqual({ 'c1.mp3': 1, 'c2.mp3': 1 });
  });

  it('when the leading tab closes, the other takes the lead and drains the queue: still one job per file', async () => {
    h = createUploadHarness({ tabs: twoTabs(), account: SLOW_JOBS });
    await h.start();
    const ids = ['d1', 'd2', 'd3', 'd4'].map((name) => h.enqueue(audioBytes('mp3', name), `${name}.mp3`));
    const second = h.openTab();
    await until(() => ids.slice(0, 2).every((id) => second.item(id)?.state === 'accepted'), 60_000);
    expect(second.runner.slotStatus().inFlight).toBe(0);
    h.closeFirstTab();
    await until(() => ids.every((id) => second.item(id)?.state === 'accepted'), 600_000, 1_000);
    expect(jobsPerFile()).toEqual({ 'd1.mp3': 1, 'd2.mp3': 1, 'd3.mp3': 1, 'd4.mp3': 1 });
    expect(h.uploadsSent()).toHaveLength(4);
  });
});
