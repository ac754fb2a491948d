import { createAccountReads } from './account-reads';

describe('account reads asked for by events', () => {
  beforeEach(() => vi.useFakeTimers({ now: 100_000 }));
  afterEach(() => vi.useRealTimers());

  function setup(options: { gapMs?: number; lastReadAt?: number } = {}) {
    const reads: number[] = [];
    let lastReadAt = options.lastReadAt ?? 0;
    const accountReads = createAccountReads({
      read: async () => {
        reads.push(Date.now());
        lastReadAt = Date.now();
      },
      lastReadAt: () => lastReadAt,
      budgetGapMs: () => options.gapMs ?? 0,
      clock: Date.now,
    });
    return { reads, accountReads, readElsewhere: () => (lastReadAt = Date.now()) };
  }

  it('ten jobs ending together cost one read, not ten', async () => {
    const { reads, accountReads } = setup();
    for (let job = 0; job < 10; job++) accountReads.changed();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(reads).toEqual([100_000]);
  });

  it('waits the account’s share of the budget after the last read, however it was read', async () => {
    const { reads, accountReads } = setup({ gapMs: 6_000, lastReadAt: 98_000 });
    accountReads.changed();
    await vi.advanceTimersByTimeAsync(3_999);
    expect(reads).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads).toEqual([104_000]);
  });

  it('events close together share one read even with budget to spare (1 s apart at least)', async () => {
    const { reads, accountReads } = setup();
    accountReads.changed();
    await vi.advanceTimersByTimeAsync(0);
    accountReads.changed();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(reads).toEqual([100_000, 101_000]);
  });

  it('a read by someone else after the event (the upload runner’s slot check) makes this one needless', async () => {
    const { reads, accountReads, readElsewhere } = setup({ gapMs: 6_000, lastReadAt: 99_000 });
    accountReads.changed();
    await vi.advanceTimersByTimeAsync(1_000);
    readElsewhere();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(reads).toEqual([]);
  });

  it('stopped, it reads nothing', async () => {
    const { reads, accountReads } = setup({ gapMs: 3_000 });
    accountReads.changed();
    accountReads.stop();
    accountReads.changed();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reads).toEqual([]);
  });
});
