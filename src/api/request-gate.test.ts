import { createRequestGate } from './request-gate';

describe('request gate', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 10, 25, 10, 0, 0) }));
  afterEach(() => vi.useRealTimers());

  it('lets nothing through before a hold ends, and everything right after', async () => {
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => Date.now() });
    gate.hold(Date.now() + 5_000, 'rate_limit_exceeded');
    const passedAt: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 3; i++) void gate.pass().then(() => passedAt.push(Date.now() - start));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(passedAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(passedAt).toEqual([5_000, 5_000, 5_000]);
  });

  it('never shortens a hold: a later Retry-After extends, an earlier one is ignored', async () => {
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => Date.now() });
    const start = Date.now();
    gate.hold(start + 10_000, 'service_unavailable');
    gate.hold(start + 2_000, 'rate_limit_exceeded');
    expect(gate.getState().heldUntil).toBe(start + 10_000);
    gate.hold(start + 12_000, 'rate_limit_exceeded');
    let passed = -1;
    void gate.pass().then(() => {
      passed = Date.now() - start;
    });
    await vi.advanceTimersByTimeAsync(11_999);
    expect(passed).toBe(-1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passed).toBe(12_000);
  });

  it('holds every request while the auth gate is closed, however long, until a key is provided', async () => {
    const gate = createRequestGate({ initiallyHasKey: true });
    gate.keyRejected('expired_api_key');
    let passed = false;
    void gate.pass().then(() => {
      passed = true;
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(passed).toBe(false);
    gate.keyProvided();
    await vi.advanceTimersByTimeAsync(0);
    expect(passed).toBe(true);
  });

  it('gives up waiting when the request is aborted', async () => {
    const gate = createRequestGate({ initiallyHasKey: false });
    const controller = new AbortController();
    const waiting = gate.pass(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeDefined();
  });

  it('reopens for the same key entered again, and counts every key provided', () => {
    const gate = createRequestGate({ initiallyHasKey: true });
    const first = gate.getState().keyGeneration;
    gate.keyRejected('expired_api_key', first);
    expect(gate.getState().auth).toBe('closed');
    gate.keyProvided();
    expect(gate.getState()).toMatchObject({ auth: 'open', authCode: null, keyGeneration: first + 1 });
  });

  it('ignores a 401 answered for an earlier key, and heeds one for the current key', () => {
    const gate = createRequestGate({ initiallyHasKey: true });
    const old = gate.getState().keyGeneration;
    gate.keyProvided();
    gate.keyRejected('expired_api_key', old);
    expect(gate.getState()).toMatchObject({ auth: 'open', authCode: null });
    gate.keyRejected('invalid_api_key', old + 1);
    expect(gate.getState()).toMatchObject({ auth: 'closed', authCode: 'invalid_api_key' });
  });

  it('a hold outlives a reload: a new gate over the same store waits it out (found by the soak)', async () => {
    let stored: { until: number; code: string } | null = null;
    const holdStore = {
      read: () => stored,
      write: (hold: { until: number; code: string }) => {
        stored = hold;
      },
    };
    const first = createRequestGate({ initiallyHasKey: true, clock: () => Date.now(), holdStore });
    const start = Date.now();
    first.hold(start + 30_000, 'rate_limit_exceeded');
    await vi.advanceTimersByTimeAsync(10_000);
    // The page reloads: a new gate.
    const second = createRequestGate({ initiallyHasKey: true, clock: () => Date.now(), holdStore });
    expect(second.getState()).toMatchObject({ heldUntil: start + 30_000, heldBy: 'rate_limit_exceeded' });
    let passedAt = -1;
    void second.pass().then(() => {
      passedAt = Date.now() - start;
    });
    await vi.advanceTimersByTimeAsync(19_999);
    expect(passedAt).toBe(-1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passedAt).toBe(30_000);
    // A hold already over when the page loads holds nothing.
    const third = createRequestGate({ initiallyHasKey: true, clock: () => Date.now(), holdStore });
    expect(third.getState().heldUntil).toBe(0);
  });
});
