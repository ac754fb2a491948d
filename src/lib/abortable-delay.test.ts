import { abortableDelay } from './abortable-delay';

describe('abortableDelay', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves after the time and not before', async () => {
    let done = false;
    void abortableDelay(1_000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('rejects with an AbortError at once when aborted, before or during the wait', async () => {
    const during = new AbortController();
    const waiting = abortableDelay(60_000, during.signal);
    during.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    const before = new AbortController();
    before.abort();
    await expect(abortableDelay(60_000, before.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
