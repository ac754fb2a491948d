import { createRequestGate } from './request-gate';

// Written against survivors of the mutation run (docs/mutation-testing.md).

describe('request gate, beyond the main paths', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 10, 25, 10, 0, 0) }));
  afterEach(() => vi.useRealTimers());

  it('starts closed, with no code, when there is no key yet', () => {
    const gate = createRequestGate({ initiallyHasKey: false });
    expect(gate.getState()).toEqual({ auth: 'closed', authCode: null, heldUntil: 0, heldBy: null, keyGeneration: 0 });
    expect(createRequestGate({ initiallyHasKey: true }).getState().auth).toBe('open');
  });

  it('keeps a closed gate closed through a hold that comes and goes', async () => {
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => Date.now() });
    gate.keyRejected('invalid_api_key');
    expect(gate.getState()).toMatchObject({ auth: 'closed', authCode: 'invalid_api_key' });
    let passed = false;
    void gate.pass().then(() => {
      passed = true;
    });
    gate.hold(Date.now() + 1_000, 'rate_limit_exceeded');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(passed).toBe(false);
    gate.keyProvided();
    await vi.advanceTimersByTimeAsync(0);
    expect(passed).toBe(true);
  });

  it('keeps holding after an unrelated change during the hold (a key entered meanwhile)', async () => {
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => Date.now() });
    const start = Date.now();
    gate.hold(start + 10_000, 'service_unavailable');
    let passedAt = -1;
    void gate.pass().then(() => {
      passedAt = Date.now() - start;
    });
    await vi.advanceTimersByTimeAsync(3_000);
    gate.keyProvided();
    await vi.advanceTimersByTimeAsync(6_999);
    expect(passedAt).toBe(-1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passedAt).toBe(10_000);
  });

  it('keeps the code of the first hold when a second names the same end', () => {
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => Date.now() });
    const seen: string[] = [];
    gate.subscribe((state) => seen.push(String(state.heldBy)));
    gate.hold(Date.now() + 5_000, 'service_unavailable');
    gate.hold(Date.now() + 5_000, 'rate_limit_exceeded');
    expect(gate.getState().heldBy).toBe('service_unavailable');
    expect(seen).toEqual(['service_unavailable']);
  });

  it('tells subscribers each change until they unsubscribe', () => {
    const gate = createRequestGate({ initiallyHasKey: true });
    const seen: string[] = [];
    const unsubscribe = gate.subscribe((state) => seen.push(`${state.auth}:${state.authCode}`));
    gate.keyRejected('expired_api_key');
    gate.keyProvided();
    unsubscribe();
    gate.keyRejected('invalid_api_key');
    expect(seen).toEqual(['closed:expired_api_key', 'open:null']);
  });

  it('refuses at once a request whose signal is already aborted, even with the gate open', async () => {
    const gate = createRequestGate({ initiallyHasKey: true });
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(gate.pass(controller.signal)).rejects.toThrow('gone');
  });

  it('gives up a hold when aborted, with the signal reason, and later changes do not revive it', async () => {
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => Date.now() });
    gate.hold(Date.now() + 60_000, 'rate_limit_exceeded');
    const controller = new AbortController();
    const outcome = gate.pass(controller.signal).then(
      () => 'passed',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort(new Error('cancelled by the person'));
    expect(await outcome).toBe('cancelled by the person');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects an abort without a reason as an AbortError', async () => {
    const gate = createRequestGate({ initiallyHasKey: false });
    const signal = { aborted: false, reason: undefined, throwIfAborted() {}, addEventListener: vi.fn(), removeEventListener: vi.fn() };
    const waiting = gate.pass(signal as unknown as AbortSignal);
    const onAbort = signal.addEventListener.mock.calls[0]?.[1] as () => void;
    onAbort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(signal.removeEventListener).toHaveBeenCalledWith('abort', onAbort);
  });
});
