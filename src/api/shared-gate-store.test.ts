import { createRequestGate, type GateChannel, parseGateMessage, sharedGateStore } from './request-gate';

/** A Storage as a browser's localStorage behaves: strings in, strings out, one for every tab of the origin. */
class MemoryStorage {
  readonly values = new Map<string, string>();
  failWrites = false;
  getItem(name: string) {
    return this.values.get(name) ?? null;
  }
  setItem(name: string, value: string) {
    if (this.failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.values.set(name, value);
  }
  removeItem(name: string) {
    this.values.delete(name);
  }
}

/** BroadcastChannel as browsers run it: a message reaches every other channel of the same name, later, as a copy. */
class ChannelHub {
  private readonly members = new Set<FakeChannel>();
  open(): FakeChannel {
    const channel = new FakeChannel(this.members);
    this.members.add(channel);
    return channel;
  }
}

class FakeChannel implements GateChannel {
  private readonly listeners = new Set<(event: MessageEvent) => void>();
  constructor(private readonly members: Set<FakeChannel>) {}
  postMessage(message: unknown) {
    const copy = structuredClone(message);
    for (const member of this.members) {
      if (member === this) continue;
      setTimeout(() => {
        for (const listener of member.listeners) listener(new MessageEvent('message', { data: copy }));
      }, 0);
    }
  }
  addEventListener(_type: 'message', listener: (event: MessageEvent) => void) {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void) {
    this.listeners.delete(listener);
  }
}

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const KEY = 'np_live_a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6';

/** Two tabs of one browser: one localStorage, one channel name, each with its own gate. */
function browser() {
  const storage = new MemoryStorage();
  const hub = new ChannelHub();
  const tab = (options: { hasKey?: boolean; remembered?: boolean } = {}) =>
    createRequestGate({
      initiallyHasKey: options.hasKey ?? true,
      clock: () => Date.now(),
      holdStore: sharedGateStore({ storage, channel: hub.open() }),
      keyIsShared: () => options.remembered ?? true,
    });
  return { storage, tab };
}

async function passedAfter(gate: ReturnType<typeof createRequestGate>, start: number): Promise<() => number> {
  let passedAt = -1;
  void gate.pass().then(() => {
    passedAt = Date.now() - start;
  });
  await vi.advanceTimersByTimeAsync(0);
  return () => passedAt;
}

describe('the request gate shared by every tab', () => {
  beforeEach(() => vi.useFakeTimers({ now: NOW }));
  afterEach(() => vi.useRealTimers());

  it('a Retry-After learned in one tab holds the tab already open beside it, to the same millisecond', async () => {
    const { tab } = browser();
    const a = tab();
    const b = tab();
    a.hold(NOW + 30_000, 'service_unavailable');
    // The message is delivered as a task, as between tabs.
    await vi.advanceTimersByTimeAsync(0);
    const passed = await passedAfter(b, NOW);
    expect(b.getState()).toMatchObject({ heldUntil: NOW + 30_000, heldBy: 'service_unavailable' });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(passed()).toBe(-1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passed()).toBe(30_000);
  });

  it('a page opened later (a new tab, a job page by its address, a reload) starts held until the time another tab learned', async () => {
    const { tab } = browser();
    tab().hold(NOW + 20_000, 'rate_limit_exceeded');
    await vi.advanceTimersByTimeAsync(5_000);
    const opened = tab();
    expect(opened.getState()).toMatchObject({ heldUntil: NOW + 20_000, heldBy: 'rate_limit_exceeded' });
    const passed = await passedAfter(opened, NOW + 5_000);
    await vi.advanceTimersByTimeAsync(14_999);
    expect(passed()).toBe(-1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passed()).toBe(15_000);
    // Once the time has passed, a page opened then holds nothing.
    expect(tab().getState()).toMatchObject({ heldUntil: 0, heldBy: null });
  });

  it('a shorter wait heard from another tab never shortens the one this tab holds', async () => {
    const { tab, storage } = browser();
    const a = tab();
    const b = tab();
    b.hold(NOW + 40_000, 'rate_limit_exceeded');
    a.hold(NOW + 10_000, 'service_unavailable');
    await vi.advanceTimersByTimeAsync(0);
    expect(b.getState()).toMatchObject({ heldUntil: NOW + 40_000, heldBy: 'rate_limit_exceeded' });
    expect(a.getState()).toMatchObject({ heldUntil: NOW + 40_000, heldBy: 'rate_limit_exceeded' });
    expect(JSON.parse(storage.values.get('novapulse.request-hold')!)).toEqual({ until: NOW + 40_000, code: 'rate_limit_exceeded' });
  });

  it('a 401 for the remembered key closes every tab on it and every page opened with it later, without a request', async () => {
    const { tab } = browser();
    const a = tab();
    const b = tab();
    a.keyRejected('expired_api_key', a.getState().keyGeneration);
    await vi.advanceTimersByTimeAsync(0);
    expect(b.getState()).toMatchObject({ auth: 'closed', authCode: 'expired_api_key' });
    const passed = await passedAfter(b, NOW);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(passed()).toBe(-1);
    // A reload, a day later: still closed, with the reason, before anything is sent.
    expect(tab().getState()).toMatchObject({ auth: 'closed', authCode: 'expired_api_key' });
    // A page with no key at all is closed for that reason, not for another key's refusal.
    expect(tab({ hasKey: false }).getState()).toMatchObject({ auth: 'closed', authCode: null });
  });

  it('a key entered again lifts the kept refusal for pages opened later; the tab beside it waits for its own key', async () => {
    const { tab } = browser();
    const a = tab();
    const b = tab();
    a.keyRejected('expired_api_key');
    await vi.advanceTimersByTimeAsync(0);
    a.keyProvided();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState()).toMatchObject({ auth: 'open', authCode: null });
    expect(b.getState()).toMatchObject({ auth: 'closed', authCode: 'expired_api_key' });
    expect(tab().getState()).toMatchObject({ auth: 'open', authCode: null });
  });

  it("a key typed into one tab only is that tab's own: its 401 is neither told nor kept", async () => {
    const { tab, storage } = browser();
    const a = tab({ remembered: false });
    const b = tab();
    a.keyRejected('invalid_api_key');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState().auth).toBe('closed');
    expect(b.getState()).toMatchObject({ auth: 'open', authCode: null });
    expect(storage.values.has('novapulse.auth-closed')).toBe(false);
    // And a tab on its own typed key does not close for the remembered key's refusal either.
    const c = tab({ remembered: false });
    b.keyRejected('expired_api_key');
    await vi.advanceTimersByTimeAsync(0);
    expect(c.getState()).toMatchObject({ auth: 'open', authCode: null });
  });

  it('a 503 that named no time: the probing tab is not held, the tab beside it and a page opened meanwhile wait', async () => {
    const { tab } = browser();
    const a = tab();
    const b = tab();
    a.serviceDown(NOW + 5_000, 'service_unavailable');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.getState()).toMatchObject({ heldUntil: 0, heldBy: null });
    expect(b.getState()).toMatchObject({ heldUntil: NOW + 5_000, heldBy: 'service_unavailable' });
    expect(tab().getState()).toMatchObject({ heldUntil: NOW + 5_000, heldBy: 'service_unavailable' });
  });

  it('keeps the time and code only, never the key, under its two names', async () => {
    const { tab, storage } = browser();
    const a = tab();
    a.hold(NOW + 5_000, 'rate_limit_exceeded');
    a.keyRejected('expired_api_key');
    expect(Object.fromEntries([...storage.values].map(([name, value]) => [name, JSON.parse(value)]))).toEqual({
      'novapulse.request-hold': { until: NOW + 5_000, code: 'rate_limit_exceeded' },
      'novapulse.auth-closed': { code: 'expired_api_key', at: NOW },
    });
    expect([...storage.values.values()].join('')).not.toContain(KEY.slice(0, 8));
  });

  it('reads nothing from a missing, corrupt or wrongly shaped entry', () => {
    const storage = new MemoryStorage();
    const store = sharedGateStore({ storage, channel: null });
    expect(store.read()).toBeNull();
    expect(store.readAuthClosed()).toBeNull();
    for (const text of ['not json', 'null', '42', '{"until":"soon","code":"x"}', '{"until":1}', '{"code":"x"}', '{"until":null,"code":"x"}']) {
      storage.values.set('novapulse.request-hold', text);
      expect(store.read(), text).toBeNull();
    }
    for (const text of ['not json', '{"at":"now","code":"x"}', '{"code":"x"}', '{"at":1}']) {
      storage.values.set('novapulse.auth-closed', text);
      expect(store.readAuthClosed(), text).toBeNull();
    }
  });

  it('ignores anything on the channel that is not one of its messages', () => {
    for (const data of [null, 'hold', { kind: 'hold', until: 'soon', code: 'x' }, { kind: 'hold', until: 5 }, { kind: 'auth-closed', code: 'x' }, { kind: 'key', at: 1 }]) {
      expect(parseGateMessage(data), JSON.stringify(data)).toBeNull();
    }
    expect(parseGateMessage({ kind: 'hold', until: 5, code: 'x', extra: 1 })).toEqual({ kind: 'hold', until: 5, code: 'x' });
  });

  it('a storage that refuses writes loses only the kept copy: open tabs still hear it, nothing throws', async () => {
    const { tab, storage } = browser();
    storage.failWrites = true;
    const a = tab();
    const b = tab();
    expect(() => a.hold(NOW + 3_000, 'service_unavailable')).not.toThrow();
    expect(() => a.keyRejected('expired_api_key')).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(b.getState()).toMatchObject({ heldUntil: NOW + 3_000, auth: 'closed' });
  });

  it('works without storage or channel where the platform has neither', () => {
    vi.stubGlobal('localStorage', undefined);
    vi.stubGlobal('BroadcastChannel', undefined);
    const store = sharedGateStore();
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => NOW, holdStore: store, keyIsShared: () => true });
    expect(() => gate.hold(NOW + 1_000, 'service_unavailable')).not.toThrow();
    expect(store.read()).toBeNull();
    vi.unstubAllGlobals();
  });
});
