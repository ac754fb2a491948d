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
  /**
   * The service is down and named no time (a 503 without Retry-After): this tab paces its own single probe by
   * backoff, so it is not held; the other tabs and pages opened meanwhile wait until `until` instead of probing too.
   */
  serviceDown(until: number, code: string): void;
}

/** Where a hold outlives the page: a reload inside a Retry-After must still wait it out. */
export interface HoldStore {
  read(): { until: number; code: string } | null;
  write(hold: { until: number; code: string }): void;
}

/** A 401 that closed the gate: its code and when (epoch ms). Never the key. */
export interface AuthClosure {
  code: string;
  at: number;
}

/** What one tab tells the others. */
export type GateMessage = { kind: 'hold'; until: number; code: string } | { kind: 'auth-closed'; code: string; at: number };

/**
 * A HoldStore every tab of the console shares: what one tab learns (a Retry-After, a 401) is kept for pages opened
 * later and told to the tabs already open, so that none of them probes inside a wait the console already knows.
 */
export interface GateShare extends HoldStore {
  readAuthClosed(): AuthClosure | null;
  writeAuthClosed(closure: AuthClosure | null): void;
  /** Tells the other tabs (not this one). */
  broadcast(message: GateMessage): void;
  /** Hears the other tabs. */
  listen(listener: (message: GateMessage) => void): () => void;
}

/** The part of BroadcastChannel the share needs, so a test can pass its own model of two tabs. */
export interface GateChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const HOLD_ITEM = 'novapulse.request-hold';
const AUTH_ITEM = 'novapulse.auth-closed';
const CHANNEL_NAME = 'novapulse.request-gate';

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function readJson(storage: KeyValueStorage | null, name: string): Record<string, unknown> | null {
  if (!storage) return null;
  try {
    const parsed: unknown = JSON.parse(storage.getItem(name) ?? 'null');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Only well-formed messages count: anything else on the channel is ignored. */
export function parseGateMessage(data: unknown): GateMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const message = data as Record<string, unknown>;
  if (message.kind === 'hold' && isFiniteNumber(message.until) && typeof message.code === 'string') return { kind: 'hold', until: message.until, code: message.code };
  if (message.kind === 'auth-closed' && isFiniteNumber(message.at) && typeof message.code === 'string') return { kind: 'auth-closed', code: message.code, at: message.at };
  return null;
}

function platformStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function platformChannel(): GateChannel | null {
  try {
    if (typeof BroadcastChannel === 'undefined') return null;
    const channel = new BroadcastChannel(CHANNEL_NAME);
    // Node (tests, benchmarks) has BroadcastChannel too: there an open channel must not keep the process alive.
    (channel as { unref?: () => void }).unref?.();
    return channel;
  } catch {
    return null;
  }
}

/**
 * The gate's share across tabs: localStorage keeps the time and code of a hold or a 401 for pages opened later (never
 * the key), a BroadcastChannel tells the tabs already open. Either may be missing (a private window, an old browser):
 * then that part is simply not shared.
 */
export function sharedGateStore(options: { storage?: KeyValueStorage | null; channel?: GateChannel | null } = {}): GateShare {
  const storage = options.storage === undefined ? platformStorage() : options.storage;
  const channel = options.channel === undefined ? platformChannel() : options.channel;
  const write = (name: string, value: unknown) => {
    try {
      if (value === null) storage?.removeItem(name);
      else storage?.setItem(name, JSON.stringify(value));
    } catch {
      // A full or blocked storage only loses the wait for pages opened later; open tabs still hear it.
    }
  };
  return {
    read() {
      const saved = readJson(storage, HOLD_ITEM);
      return saved && isFiniteNumber(saved.until) && typeof saved.code === 'string' ? { until: saved.until, code: saved.code } : null;
    },
    write: (hold) => write(HOLD_ITEM, { until: hold.until, code: hold.code }),
    readAuthClosed() {
      const saved = readJson(storage, AUTH_ITEM);
      return saved && isFiniteNumber(saved.at) && typeof saved.code === 'string' ? { code: saved.code, at: saved.at } : null;
    },
    writeAuthClosed: (closure) => write(AUTH_ITEM, closure === null ? null : { code: closure.code, at: closure.at }),
    broadcast(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // A closed channel: the other tabs learn it from their own next answer instead.
      }
    },
    listen(listener) {
      if (!channel) return () => {};
      const onMessage = (event: MessageEvent) => {
        const message = parseGateMessage(event.data);
        if (message) listener(message);
      };
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
  };
}

function isGateShare(store: HoldStore | GateShare | undefined): store is GateShare {
  return store !== undefined && 'broadcast' in store;
}

export interface RequestGateOptions {
  clock?: Clock;
  initiallyHasKey: boolean;
  /** Where holds (and, with a GateShare, 401s) outlive the page and reach the other tabs. */
  holdStore?: HoldStore | GateShare;
  /**
   * Whether this tab's key is the one every tab shares (the remembered key, in localStorage). Only then is a 401 told
   * to other tabs and kept for later pages: a key typed into one tab only is that tab's business, and a page opened
   * later starts without it anyway.
   */
  keyIsShared?: () => boolean;
}

export function createRequestGate(options: RequestGateOptions): RequestGate {
  const clock = options.clock ?? systemClock;
  const store = options.holdStore;
  const share = isGateShare(store) ? store : null;
  const keyIsShared = options.keyIsShared ?? (() => false);
  const saved = store?.read();
  const savedHold = saved && saved.until > clock() ? saved : null;
  // A page opened with the remembered key after another tab learned that key is refused: closed at once, no probe.
  const savedClosure = options.initiallyHasKey && keyIsShared() ? share?.readAuthClosed() : null;
  let state: GateState = {
    auth: options.initiallyHasKey && !savedClosure ? 'open' : 'closed',
    authCode: savedClosure?.code ?? null,
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

  function held(until: number, code: string): boolean {
    if (until <= state.heldUntil) return false;
    update({ heldUntil: until, heldBy: code });
    return true;
  }

  function shareHold(until: number, code: string) {
    // Another tab may have kept a longer wait that this one has not heard of yet: a shorter one never replaces it.
    const kept = store?.read();
    if (!kept || kept.until < until) store?.write({ until, code });
    share?.broadcast({ kind: 'hold', until, code });
  }

  share?.listen((message) => {
    if (message.kind === 'hold') held(message.until, message.code);
    else if (message.kind === 'auth-closed' && state.auth === 'open' && keyIsShared()) update({ auth: 'closed', authCode: message.code });
    // A key entered in another tab is not told: it is not this tab's key (a remembered one reaches a reloaded page), so
    // this tab stays closed until a key is entered here.
  });

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
      share?.writeAuthClosed(null);
    },
    keyRejected(code, keyGeneration) {
      if (keyGeneration !== undefined && keyGeneration !== state.keyGeneration) return;
      update({ auth: 'closed', authCode: code });
      if (share && keyIsShared()) {
        const closure = { code, at: clock() };
        share.writeAuthClosed(closure);
        share.broadcast({ kind: 'auth-closed', ...closure });
      }
    },
    hold(until, code) {
      if (until <= state.heldUntil) return;
      shareHold(until, code);
      held(until, code);
    },
    serviceDown(until, code) {
      if (until <= state.heldUntil) return;
      shareHold(until, code);
    },
  };
}
