import type { Clock } from '../lib/random';
import { systemClock } from '../lib/random';

/**
 * The one door every request on a key passes. It is closed by a 401 until a
 * new key is set, and held shut by a Retry-After (429, 503) until the time the
 * server named, so that no request on the key is sent early.
 */
export interface GateState {
  auth: 'open' | 'closed';
  /** The code that closed the auth gate, or null for "no key yet". */
  authCode: string | null;
  /** Epoch ms until which every request waits; 0 when nothing holds. */
  heldUntil: number;
  heldBy: string | null;
  /** Counts the keys provided; a 401 answered for an earlier key must not close the gate for the current one. */
  keyGeneration: number;
}

export interface RequestGate {
  getState(): GateState;
  subscribe(listener: (state: GateState) => void): () => void;
  /** Resolves once a request may be sent; rejects with the signal's reason if aborted while waiting. */
  pass(signal?: AbortSignal): Promise<void>;
  /** A key was entered, the same one again or a new one: the gate reopens for it. */
  keyProvided(): void;
  /** A 401 closes the gate, unless it answers a request sent with an earlier key (`keyGeneration`). */
  keyRejected(code: string, keyGeneration?: number): void;
  /** Holds every request until `until` (epoch ms); a later hold extends, an earlier one never shortens. */
  hold(until: number, code: string): void;
}

/** Where a hold outlives the page: a reload inside a Retry-After must still wait it out. */
export interface HoldStore {
  read(): { until: number; code: string } | null;
  write(hold: { until: number; code: string }): void;
}

/** A HoldStore in sessionStorage (this tab only; the time and code, never the key). */
export function sessionHoldStore(name = 'novapulse.request-hold'): HoldStore | undefined {
  let storage: Storage;
  try {
    if (typeof sessionStorage === 'undefined') return undefined;
    storage = sessionStorage;
  } catch {
    return undefined;
  }
  return {
    read() {
      try {
        const parsed: unknown = JSON.parse(storage.getItem(name) ?? 'null');
        if (typeof parsed !== 'object' || parsed === null) return null;
        const { until, code } = parsed as { until?: unknown; code?: unknown };
        return typeof until === 'number' && Number.isFinite(until) && typeof code === 'string' ? { until, code } : null;
      } catch {
        return null;
      }
    },
    write(hold) {
      try {
        storage.setItem(name, JSON.stringify(hold));
      } catch {
        // A full or blocked storage only loses the hold across a reload.
      }
    },
  };
}

export function createRequestGate(options: { clock?: Clock; initiallyHasKey: boolean; holdStore?: HoldStore }): RequestGate {
  const clock = options.clock ?? systemClock;
  const saved = options.holdStore?.read();
  const savedHold = saved && saved.until > clock() ? saved : null;
  let state: GateState = {
    auth: options.initiallyHasKey ? 'open' : 'closed',
    authCode: null,
    heldUntil: savedHold?.until ?? 0,
    heldBy: savedHold?.code ?? null,
    keyGeneration: 0,
  };
  const listeners = new Set<(state: GateState) => void>();

  function update(next: Partial<GateState>) {
    state = { ...state, ...next };
    for (const listener of [...listeners]) listener(state);
  }

  function nextChange(signal?: AbortSignal, timeoutMs?: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        unsubscribe();
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const unsubscribe = subscribe(() => {
        done();
        resolve();
      });
      const onAbort = () => {
        done();
        reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          done();
          resolve();
        }, timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  function subscribe(listener: (state: GateState) => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return {
    getState: () => state,
    subscribe,
    async pass(signal) {
      for (;;) {
        signal?.throwIfAborted();
        if (state.auth === 'closed') {
          await nextChange(signal);
          continue;
        }
        const wait = state.heldUntil - clock();
        if (wait > 0) {
          await nextChange(signal, wait);
          continue;
        }
        return;
      }
    },
    keyProvided() {
      update({ auth: 'open', authCode: null, keyGeneration: state.keyGeneration + 1 });
    },
    keyRejected(code, keyGeneration) {
      if (keyGeneration !== undefined && keyGeneration !== state.keyGeneration) return;
      update({ auth: 'closed', authCode: code });
    },
    hold(until, code) {
      if (until <= state.heldUntil) return;
      options.holdStore?.write({ until, code });
      update({ heldUntil: until, heldBy: code });
    },
  };
}
