import { createRequestGate, sessionHoldStore } from './request-gate';

/** A Storage as a tab's sessionStorage behaves: strings in, strings out. */
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

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);

describe('the request hold in sessionStorage', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    vi.stubGlobal('sessionStorage', storage);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('writes the hold (time and code only) under its name and reads it back', () => {
    const store = sessionHoldStore()!;
    store.write({ until: NOW + 30_000, code: 'rate_limit_exceeded' });
    expect(JSON.parse(storage.values.get('novapulse.request-hold')!)).toEqual({ until: NOW + 30_000, code: 'rate_limit_exceeded' });
    expect(store.read()).toEqual({ until: NOW + 30_000, code: 'rate_limit_exceeded' });
    expect(sessionHoldStore('other')!.read()).toBeNull();
  });

  it('reads nothing from a missing, corrupt or wrongly shaped entry', () => {
    const store = sessionHoldStore()!;
    expect(store.read()).toBeNull();
    for (const text of ['not json', 'null', '42', '{"until":"soon","code":"x"}', '{"until":1}', '{"code":"x"}', '{"until":null,"code":"x"}']) {
      storage.values.set('novapulse.request-hold', text);
      expect(store.read(), text).toBeNull();
    }
  });

  it('a storage that refuses writes loses only the hold, never throws', () => {
    storage.failWrites = true;
    expect(() => sessionHoldStore()!.write({ until: NOW + 1_000, code: 'service_unavailable' })).not.toThrow();
  });

  it('is absent where the platform has no sessionStorage', () => {
    vi.stubGlobal('sessionStorage', undefined);
    expect(sessionHoldStore()).toBeUndefined();
  });

  it('a new gate over it starts held until the saved time, and a gate holds nothing once it has passed', () => {
    const store = sessionHoldStore()!;
    store.write({ until: NOW + 5_000, code: 'service_unavailable' });
    expect(createRequestGate({ initiallyHasKey: true, clock: () => NOW, holdStore: store }).getState()).toMatchObject({ heldUntil: NOW + 5_000, heldBy: 'service_unavailable' });
    expect(createRequestGate({ initiallyHasKey: true, clock: () => NOW + 5_000, holdStore: store }).getState()).toMatchObject({ heldUntil: 0, heldBy: null });
  });

  it('a shorter hold is neither kept nor saved', () => {
    const store = sessionHoldStore()!;
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => NOW, holdStore: store });
    gate.hold(NOW + 10_000, 'rate_limit_exceeded');
    gate.hold(NOW + 2_000, 'service_unavailable');
    expect(store.read()).toEqual({ until: NOW + 10_000, code: 'rate_limit_exceeded' });
  });
});
