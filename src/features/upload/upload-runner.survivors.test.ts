/**
 * The upload runner's slot accounts, account reads, retries and outage probes, pinned where the
 * behaviour tests left room (mutation survivors). Each test builds the runner over the in-process
 * simulator on msw/node with fake time, and checks what the simulator received and when, the state
 * an upload ends in and the slot status. Uploads are queued with their SHA-256 already known, so no
 * hashing runs unless a test is about hashing.
 */
import { createApiClient } from '../../api/client';
import { fetchAccount } from '../../api/endpoints/get-account';
import { createRequestGate } from '../../api/request-gate';
import { setupSimulatorHost, TEST_API_BASE } from '../../testing/simulator-host';
import type { HashFile } from './hash-file';
import { createUploadQueueStore, type UploadItem } from './upload-queue-store';
import { createUploadRunner, type UploadRunnerDeps } from './upload-runner';

const BASE = TEST_API_BASE;
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

const host = setupSimulatorHost();
// The simulator's clock is the test's fake Date.
Object.defineProperty(host.clock, 'now', { get: () => Date.now(), configurable: true });
/** Answers the simulator is still working on (real asynchronous work: crypto.subtle, multipart parsing). */
let realWork = 0;
const answer = host.simulator.handle.bind(host.simulator);
host.simulator.handle = (request) => {
  realWork += 1;
  return answer(request).finally(() => {
    realWork -= 1;
  });
};

/** A promise the test resolves when it chooses. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function audio(tag: string): Uint8Array<ArrayBuffer> {
  const head = [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
  const tail = new TextEncoder().encode(`:${tag}:${'x'.repeat(64)}`);
  const bytes = new Uint8Array(new ArrayBuffer(head.length + tail.length));
  bytes.set(head);
  bytes.set(tail, head.length);
  return bytes;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

interface RigOptions {
  account?: Parameters<typeof host.account>[0];
  concurrentJobs?: number;
  random?: () => number;
  /** Omitted: the runner gets no isOnline (it then assumes online). */
  online?: boolean;
  withOnAccepted?: boolean;
  key?: 'full' | 'readOnly';
  hashFile?: HashFile;
  readAccount?: UploadRunnerDeps['readAccount'];
}

function createRig(options: RigOptions = {}) {
  const simulator = host.simulator;
  const handle = host.account({ tier: 'starter', timing: { queueMs: [1_000, 1_000], processMs: [120_000, 120_000] }, ...options.account });
  if (options.concurrentJobs !== undefined) simulator.setFaults(handle.accountId, { concurrentJobs: options.concurrentJobs });

  /** Requests as they left the client (before any hold), with the fake time. */
  const sent: { method: string; path: string; at: number }[] = [];
  /** When set, a request is held until the returned promise settles (an abort rejects it). */
  let holdRequest: ((method: string, path: string) => Promise<void> | null) | null = null;
  const fetchThrough: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? 'GET';
    sent.push({ method, path: url.pathname, at: Date.now() });
    const hold = holdRequest?.(method, url.pathname) ?? null;
    if (hold) {
      const signal = init?.signal;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
        if (signal?.aborted) onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        hold.then(resolve, reject);
      });
    }
    return globalThis.fetch(input, init);
  };

  let key: string = handle.keys[options.key ?? 'full'];
  const gate = createRequestGate({ initiallyHasKey: true, clock: () => Date.now() });
  const client = createApiClient({ baseUrl: BASE, gate, getKey: () => key, clock: () => Date.now(), fetch: fetchThrough });
  const store = createUploadQueueStore();
  const blobs = new Map<string, Blob>();
  const unreadable = new Set<string>();
  const loadHolds = new Map<string, Promise<void>>();
  /** When each account read was asked for (the runner's clock), whatever became of it. */
  const accountReads: number[] = [];
  let accountHold: Promise<void> | null = null;
  let accountAnswerHold: Promise<void> | null = null;
  const accepted: string[] = [];
  let online = options.online ?? true;

  const deps: UploadRunnerDeps = {
    store,
    client,
    loadBlob: async (id) => {
      const hold = loadHolds.get(id);
      if (hold) await hold;
      if (unreadable.has(id)) throw new DOMException('The transaction was aborted.', 'AbortError');
      return blobs.get(id);
    },
    hashFile: options.hashFile ?? (async () => 'f'.repeat(64)),
    clock: () => Date.now(),
    random: options.random ?? (() => 0.5),
    readAccount:
      options.readAccount ??
      (async () => {
        accountReads.push(Date.now());
        if (accountHold) await accountHold;
        const account = await fetchAccount(client);
        if (accountAnswerHold) await accountAnswerHold;
        return { concurrentJobs: account.limits.concurrent_jobs, activeJobs: account.usage.active_jobs, dedupWindowMs: account.limits.dedup_window_seconds * 1000 };
      }),
  };
  if (options.withOnAccepted) deps.onAccepted = (jobId) => accepted.push(jobId);
  if (options.online !== undefined) deps.isOnline = () => online;
  const runner = createUploadRunner(deps);
  let stopRunner: (() => void) | null = null;
  let counter = 0;

  const rig = {
    simulator,
    accountId: handle.accountId,
    keys: handle.keys,
    gate,
    client,
    store,
    runner,
    sent,
    accountReads,
    accepted,
    blobs,
    unreadable,
    loadHolds,
    start() {
      stopRunner = runner.start();
    },
    stopRunner() {
      stopRunner?.();
      stopRunner = null;
    },
    close() {
      rig.stopRunner();
    },
    holdRequests(rule: ((method: string, path: string) => Promise<void> | null) | null) {
      holdRequest = rule;
    },
    holdAccountReads(before: Promise<void> | null, afterAnswer: Promise<void> | null = null) {
      accountHold = before;
      accountAnswerHold = afterAnswer;
    },
    setOnline(next: boolean) {
      online = next;
      if (next) runner.pump();
    },
    setKey(next: string) {
      key = next;
      gate.keyProvided();
    },
    /** Queues a file whose hash is known, as a re-upload of a kept file is: it waits for a slot at once. */
    async enqueue(tag: string, extra: { id?: string; addedAt?: number; withBlob?: boolean } = {}) {
      return (await rig.prepare(tag, extra))();
    },
    /** Hashes first; the returned function queues the upload synchronously, in the same turn as what follows it. */
    async prepare(tag: string, extra: { id?: string; addedAt?: number; withBlob?: boolean } = {}) {
      const bytes = audio(tag);
      const sha256 = await sha256Hex(bytes);
      return () => {
        const id = extra.id ?? `upload-${++counter}`;
        if (extra.withBlob !== false) blobs.set(id, new Blob([bytes]));
        store.getState().uploadsQueued(
          [{ id, fileName: `${tag}.mp3`, size: bytes.length, format: 'mp3', pipeline: 'transcription', language: 'en-US', metadata: {}, sha256 }],
          extra.addedAt ?? Date.now(),
        );
        return id;
      };
    },
    item(id: string): UploadItem {
      const found = store.getState().items.find((item) => item.id === id);
      if (!found) throw new Error(`no item ${id}`);
      return found;
    },
    /** The simulator's own record of what reached it, times relative to T0. */
    log() {
      return simulator.requestLog(handle.accountId);
    },
    uploads() {
      return rig.log().filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');
    },
    accountGets() {
      return rig.log().filter((entry) => entry.path === '/v1/account');
    },
    lookups() {
      return rig.log().filter((entry) => entry.method === 'GET' && entry.path === '/v1/jobs');
    },
    jobs() {
      return simulator.account(handle.accountId).jobs;
    },
  };
  return rig;
}

type Rig = ReturnType<typeof createRig>;
let rig: Rig | null = null;

function use(options: RigOptions = {}): Rig {
  rig = createRig(options);
  return rig;
}

/** Lets real asynchronous work (crypto.subtle, the simulator answering over msw) finish between fake ticks. */
async function realTick() {
  const started = performance.now();
  for (let round = 0; round < 3 || (realWork > 0 && performance.now() - started < 5_000); round++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Waits in real time (no fake time passes). */
async function untilReal(done: () => boolean, limitMs = 5_000) {
  const started = performance.now();
  while (!done()) {
    if (performance.now() - started > limitMs) throw new Error('condition not reached in real time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Moves fake time by `ms` in steps, letting real work finish at each. */
async function advance(ms: number, stepMs = 250) {
  for (let waited = 0; waited < ms; waited += stepMs) {
    await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - waited));
    await realTick();
  }
  await vi.advanceTimersByTimeAsync(0);
  await realTick();
}

/** Advances fake time until `done` holds, failing after `limitMs`. */
async function until(done: () => boolean, limitMs = 120_000, stepMs = 100) {
  await realTick();
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    if (done()) return;
    await vi.advanceTimersByTimeAsync(stepMs);
    await realTick();
  }
  throw new Error('condition not reached in time');
}

const since = (times: number[]) => times.map((at) => at - T0);

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  rig?.close();
  rig = null;
  vi.useRealTimers();
});

describe('starting, stopping, and what the runner may assume', () => {
  it('a runner given no isOnline and no onAccepted still uploads, and ends accepted', async () => {
    const r = use();
    r.start();
    const id = await r.enqueue('plain');
    await until(() => r.item(id).state === 'accepted', 10_000);
    expect(r.uploads().map((entry) => entry.status)).toEqual([202]);
    expect(r.item(id)).toMatchObject({ adopted: false, jobId: r.jobs()[0]!.id, error: null });
  });

  it('a pump before start does nothing; after stop, an upload cut off goes back as interrupted and nothing more is sent', async () => {
    const r = use({ withOnAccepted: true });
    const first = await r.enqueue('before-start');
    r.runner.pump();
    await advance(5_000);
    expect(r.sent).toEqual([]);
    expect(r.item(first).state).toBe('waiting');

    r.start();
    await until(() => r.item(first).state === 'accepted', 10_000);
    const held = latch();
    r.holdRequests((method) => (method === 'POST' ? held.opened : null));
    const cut = await r.enqueue('cut-off');
    await until(() => r.item(cut).state === 'uploading', 5_000);
    const sentBeforeStop = r.sent.length;
    r.stopRunner();
    const waiting = await r.enqueue('after-stop');
    await advance(60_000, 1_000);
    expect(r.item(cut)).toMatchObject({ state: 'waiting', retryReason: 'interrupted', mayHaveReachedServer: true });
    expect(r.item(waiting)).toMatchObject({ state: 'waiting', attempts: 0 });
    expect(r.sent).toHaveLength(sentBeforeStop);
    expect(r.uploads()).toHaveLength(1);
    held.open();
  });
});

describe('a file that cannot be read back from storage', () => {
  it('is tried again after 1 s, then 2 s, without counting failures, and fails on the third read', async () => {
    const r = use();
    r.start();
    const id = await r.enqueue('unreadable', { id: 'idb' });
    r.unreadable.add(id);
    const seen: { at: number; state: string; reason: string | null; retryAt: number | null; failures: number; reached: boolean; code: string | null }[] = [];
    r.store.subscribe((state) => {
      const item = state.items.find((candidate) => candidate.id === id)!;
      const last = seen[seen.length - 1];
      if (last?.state === item.state && last.retryAt === (item.retryAt === null ? null : item.retryAt - T0)) return;
      seen.push({
        at: Date.now() - T0,
        state: item.state,
        reason: item.retryReason,
        retryAt: item.retryAt === null ? null : item.retryAt - T0,
        failures: item.failures,
        reached: item.mayHaveReachedServer,
        code: item.error?.code ?? null,
      });
    });
    await until(() => r.item(id).state === 'failed', 10_000, 100);
    expect(seen).toEqual([
      { at: 0, state: 'retrying', reason: 'file_unreadable', retryAt: 1_000, failures: 0, reached: false, code: 'file_unreadable' },
      { at: 1_000, state: 'waiting', reason: 'file_unreadable', retryAt: 1_000, failures: 0, reached: false, code: 'file_unreadable' },
      { at: 1_000, state: 'retrying', reason: 'file_unreadable', retryAt: 3_000, failures: 0, reached: false, code: 'file_unreadable' },
      { at: 3_000, state: 'waiting', reason: 'file_unreadable', retryAt: 3_000, failures: 0, reached: false, code: 'file_unreadable' },
      { at: 3_000, state: 'failed', reason: 'file_unreadable', retryAt: null, failures: 0, reached: false, code: 'file_unreadable' },
    ]);
    expect(r.item(id).error?.message).toMatch(/could not read the file back/);
    expect(r.uploads()).toEqual([]);
  });
});

describe('when the account is read', () => {
  it('with nothing queued, the account is never read', async () => {
    const r = use();
    r.start();
    await advance(60_000, 1_000);
    expect(r.accountReads).toEqual([]);
    expect(r.runner.slotStatus()).toMatchObject({ account: 'not-read', concurrentJobs: null, activeJobs: null, free: 0 });
  });

  it('with only an accepted upload and no slot free, the account is not re-read', async () => {
    const r = use({ concurrentJobs: 1 });
    r.start();
    const id = await r.enqueue('only-one');
    await until(() => r.item(id).state === 'accepted', 10_000);
    await advance(60_000, 1_000);
    expect(since(r.accountGets().map((entry) => entry.startedAt))).toEqual([0]);
    expect(r.runner.slotStatus()).toMatchObject({ account: 'readable', concurrentJobs: 1, activeJobs: 1, inFlight: 0, free: 0 });
  });

  it('an upload queued long after the last read, with a slot free, is sent without reading the account again', async () => {
    const r = use();
    r.start();
    const first = await r.enqueue('early');
    await until(() => r.item(first).state === 'accepted', 10_000);
    await advance(30_000, 1_000);
    const second = await r.enqueue('late');
    await until(() => r.item(second).state === 'accepted', 10_000);
    expect(since(r.accountGets().map((entry) => entry.startedAt))).toEqual([0]);
    expect(since(r.uploads().map((entry) => entry.startedAt))).toEqual([0, 30_000]);
  });
});

describe('account reads while uploads wait for a slot', () => {
  it('slots held by a job started elsewhere: the account is re-read every 10 s, and the upload goes at the read that shows one free', async () => {
    const r = use({ concurrentJobs: 1, account: { timing: { queueMs: [1_000, 1_000], processMs: [24_000, 24_000] } } });
    // A job started by another client of the same account, just before the console opened.
    const outside = await fetch(`${BASE}/v1/jobs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${r.keys.full}` },
      body: (() => {
        const form = new FormData();
        form.set('file', new Blob([audio('outside')]), 'outside.mp3');
        form.set('pipeline', 'transcription');
        return form;
      })(),
    });
    expect(outside.status).toBe(202);
    const finishesAt = r.jobs()[0]!.finishesAt;
    expect(finishesAt - T0).toBe(25_000);
    r.start();
    const id = await r.enqueue('held-elsewhere');
    await until(() => r.item(id).state === 'accepted', 60_000);
    expect(since(r.accountGets().map((entry) => entry.startedAt))).toEqual([0, 10_000, 20_000, 30_000]);
    expect(since(r.uploads().map((entry) => entry.startedAt))).toEqual([0, 30_000]);
  });

  it('an account read that fails is tried again after 1 s, 2 s, 4 s, 8 s, then every 10 s; nothing is sent meanwhile', async () => {
    const r = use();
    r.simulator.setFaults(r.accountId, { forced: [{ endpoint: 'GET /v1/account', code: 'internal_error' }] });
    r.start();
    const id = await r.enqueue('account-down');
    await advance(30_000, 500);
    expect(r.runner.slotStatus()).toMatchObject({ account: 'not-read', concurrentJobs: null, free: 0 });
    expect(r.uploads()).toEqual([]);
    r.simulator.clearFaults(r.accountId);
    await until(() => r.item(id).state === 'accepted', 20_000);
    expect(since(r.accountGets().map((entry) => entry.startedAt))).toEqual([0, 1_000, 3_000, 7_000, 15_000, 25_000, 35_000]);
    expect(r.accountGets().map((entry) => entry.status)).toEqual([500, 500, 500, 500, 500, 500, 200]);
    expect(since(r.uploads().map((entry) => entry.startedAt))).toEqual([35_000]);
    expect(r.runner.slotStatus()).toMatchObject({ account: 'readable', concurrentJobs: 2 });
  });

  it('a job of ours settling asks for a read, one second after the last one and not sooner, though a later re-read was planned', async () => {
    const r = use({ concurrentJobs: 1, account: { timing: { queueMs: [100, 100], processMs: [100, 100] } } });
    r.start();
    const [first, second, third] = [await r.enqueue('settle-a'), await r.enqueue('settle-b'), await r.enqueue('settle-c')];
    await until(() => r.item(first).state === 'accepted', 5_000);
    expect(r.item(second).state).toBe('waiting');
    await advance(300, 100);
    // What the poller does when it sees the job completed.
    const account = r.simulator.account(r.accountId);
    const job = r.jobs()[0]!;
    r.store.getState().acceptedJobsObserved([r.simulator.jobView(account, job) as never]);
    r.runner.jobSettled(job.id);
    await until(() => r.item(second).state === 'accepted', 5_000);
    await advance(4_000, 100);
    expect(since(r.uploads().map((entry) => entry.startedAt))).toEqual([0, 300]);
    expect(since(r.accountGets().map((entry) => entry.startedAt))).toEqual([0, 1_000]);
    expect(r.item(third).state).toBe('waiting');
  });

  it('while an account read is unanswered, no second one is started', async () => {
    const r = use();
    const answer = latch();
    r.holdAccountReads(answer.opened);
    r.start();
    const id = await r.enqueue('slow-account');
    await advance(5_000, 1_000);
    // More work arriving meanwhile does not start another read either.
    const other = await r.enqueue('slow-account-2');
    await advance(25_000, 1_000);
    expect(since(r.accountReads)).toEqual([0]);
    expect(r.item(id).state).toBe('waiting');
    expect(r.item(other).state).toBe('waiting');
    r.holdAccountReads(null);
    answer.open();
    await until(() => r.item(id).state === 'accepted' && r.item(other).state === 'accepted', 5_000);
    expect(since(r.accountReads)).toEqual([0]);
    expect(since(r.uploads().map((entry) => entry.startedAt))).toEqual([30_000, 30_000]);
  });

  it('a key that may not read the account: read once, then uploads go one at a time with no further reads', async () => {
    const r = use();
    const account = r.simulator.account(r.accountId);
    account.keys[0]!.scopes = account.keys[0]!.scopes.filter((scope) => scope !== 'account:read');
    const held = latch();
    r.holdRequests((method) => (method === 'POST' ? held.opened : null));
    r.start();
    const ids = [await r.enqueue('no-read-a'), await r.enqueue('no-read-b')];
    await advance(60_000, 1_000);
    expect(r.sent.filter((entry) => entry.method === 'POST')).toHaveLength(1);
    expect(r.runner.slotStatus()).toEqual({ account: 'forbidden', concurrentJobs: null, activeJobs: null, inFlight: 1, free: 0, serviceDownUntil: 0 });
    r.holdRequests(null);
    held.open();
    await until(() => ids.every((id) => r.item(id).state === 'accepted'), 10_000);
    expect(r.accountGets().map((entry) => [entry.startedAt - T0, entry.status])).toEqual([[0, 403]]);
    expect(since(r.uploads().map((entry) => entry.startedAt))).toEqual([60_000, 60_000]);
  });
});

describe('reads asked for with slots free, and after a refused key', () => {
  it('a settled job asks for a read even when the last one shows a slot free', async () => {
    const r = use({ account: { timing: { queueMs: [100, 100], processMs: [100, 100] } } });
    r.start();
    const first = await r.enqueue('wanted-a');
    await until(() => r.item(first).state === 'accepted', 5_000);
    await advance(5_000, 1_000);
    const job = r.jobs()[0]!;
    r.store.getState().acceptedJobsObserved([r.simulator.jobView(r.simulator.account(r.accountId), job) as never]);
    const queueSecond = await r.prepare('wanted-b');
    const second = queueSecond();
    r.runner.jobSettled(job.id);
    await until(() => r.item(second).state === 'accepted', 5_000);
    expect(since(r.accountGets().map((entry) => entry.startedAt))).toEqual([0, 5_000]);
    expect(since(r.uploads().map((entry) => entry.startedAt))).toEqual([0, 5_000]);
  });

  it('after a read refused for the key, a new key with a slot free sends without reading the account again', async () => {
    const r = use({ account: { timing: { queueMs: [100, 100], processMs: [100, 100] } } });
    r.start();
    const first = await r.enqueue('key-a');
    await until(() => r.item(first).state === 'accepted', 5_000);
    await advance(5_000, 1_000);
    r.simulator.expireKeyNow(r.accountId);
    const job = r.jobs()[0]!;
    r.store.getState().acceptedJobsObserved([r.simulator.jobView(r.simulator.account(r.accountId), job) as never]);
    const queueSecond = await r.prepare('key-b');
    const second = queueSecond();
    r.runner.jobSettled(job.id);
    await until(() => r.gate.getState().auth === 'closed', 5_000);
    await advance(5_000, 1_000);
    expect(r.item(second).state).toBe('waiting');
    r.setKey(r.simulator.issueKey(r.accountId));
    await until(() => r.item(second).state === 'accepted', 5_000);
    expect(r.accountGets().map((entry) => [entry.startedAt - T0, entry.status])).toEqual([
      [0, 200],
      [5_000, 401],
    ]);
    expect(r.uploads().map((entry) => [entry.startedAt - T0, entry.status])).toEqual([
      [0, 202],
      [5_000, 401],
      [10_000, 202],
    ]);
  });

  it('after a read refused for the key, with no slot free, the account is read as soon as a new key is given', async () => {
    const r = use({ concurrentJobs: 1 });
    r.start();
    const first = await r.enqueue('gate-a');
    await until(() => r.item(first).state === 'accepted', 5_000);
    await r.enqueue('gate-b');
    await advance(15_000, 1_000);
    r.simulator.expireKeyNow(r.accountId);
    await advance(7_000, 1_000);
    expect(r.gate.getState().auth).toBe('closed');
    r.setKey(r.simulator.issueKey(r.accountId));
    await advance(3_000, 500);
    expect(r.accountGets().map((entry) => [entry.startedAt - T0, entry.status])).toEqual([
      [0, 200],
      [10_000, 200],
      [20_000, 401],
      [22_000, 200],
    ]);
  });
});

describe('timers across a restart', () => {
  it('a retry scheduled before the runner stopped fires on time once it starts again', async () => {
    const r = use();
    r.simulator.setFaults(r.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', remaining: 1 }] });
    r.start();
    const id = await r.enqueue('restart');
    await until(() => r.item(id).state === 'retrying', 5_000);
    // random 0.5 of the 1 s ceiling.
    expect(r.item(id).retryAt! - T0).toBe(500);
    await advance(100, 100);
    r.stopRunner();
    await advance(100, 100);
    r.start();
    await until(() => r.item(id).state === 'accepted', 5_000, 50);
    expect(r.uploads().map((entry) => [entry.startedAt - T0, entry.status])).toEqual([
      [0, 500],
      [500, 202],
    ]);
  });
});

describe('429 concurrent_jobs_exceeded', () => {
  it('refused at the very millisecond of an account read: that read cannot speak for the slot, the next one (1 s on) does', async () => {
    const r = use();
    r.start();
    const first = await r.enqueue('same-ms-a');
    await until(() => r.item(first).state === 'accepted', 5_000);
    await advance(5_000, 1_000);
    r.simulator.setFaults(r.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'concurrent_jobs_exceeded', remaining: 1 }] });
    const second = await r.enqueue('same-ms-b');
    await until(() => r.item(second).state === 'accepted', 20_000, 50);
    expect(since(r.accountGets().map((entry) => entry.startedAt))).toEqual([0, 5_000, 6_000]);
    expect(r.uploads().map((entry) => [entry.startedAt - T0, entry.status])).toEqual([
      [0, 202],
      [5_000, 429],
      [6_000, 202],
    ]);
    expect(r.item(second)).toMatchObject({ failures: 0, mayHaveReachedServer: false });
  });

  it('with Retry-After: shown as a retry at the time named, not a failure, and sent then without a look-up', async () => {
    const r = use();
    r.simulator.setFaults(r.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'concurrent_jobs_exceeded', retryAfterSeconds: 12, remaining: 1 }] });
    r.start();
    const id = await r.enqueue('named-wait');
    await until(() => r.item(id).state === 'retrying', 5_000);
    const refusal = r.uploads()[0]!;
    expect(refusal.status).toBe(429);
    expect(r.item(id)).toMatchObject({
      retryAt: refusal.answeredAt + 12_000,
      retryReason: 'concurrent_jobs_exceeded',
      failures: 0,
      mayHaveReachedServer: false,
      error: { code: 'concurrent_jobs_exceeded', status: 429 },
    });
    await until(() => r.item(id).state === 'accepted', 30_000);
    expect(r.uploads().map((entry) => [entry.startedAt - T0, entry.status])).toEqual([
      [0, 429],
      [12_000, 202],
    ]);
    expect(r.lookups()).toEqual([]);
  });
});

describe('what may have reached the server', () => {
  it('a 429 rate limit did not create a job: retried without a look-up; an upload queued meanwhile waits, unstarted, for the hold to end', async () => {
    const r = use();
    r.simulator.setFaults(r.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'rate_limit_exceeded', retryAfterSeconds: 7, remaining: 1 }] });
    r.start();
    const first = await r.enqueue('limited-a');
    await until(() => r.item(first).state === 'retrying', 5_000);
    expect(r.item(first)).toMatchObject({ mayHaveReachedServer: false, failures: 0 });
    await advance(1_000, 500);
    const second = await r.enqueue('limited-b');
    await advance(5_000, 500);
    expect(r.item(second)).toMatchObject({ state: 'waiting', attempts: 0 });
    await until(() => r.item(first).state === 'accepted' && r.item(second).state === 'accepted', 10_000, 50);
    // The hold ends at 7 s; the refused upload waits its own jitter on top (random 0.5 of 250 ms).
    expect(r.uploads().map((entry) => [entry.startedAt - T0, entry.status, entry.fileName])).toEqual([
      [0, 429, 'limited-a.mp3'],
      [7_000, 202, 'limited-b.mp3'],
      [7_125, 202, 'limited-a.mp3'],
    ]);
    expect(r.lookups()).toEqual([]);
    expect(r.item(first).mayHaveReachedServer).toBe(false);
  });

  it('an upload whose answer never came (timeout) may have landed: looked up before it is sent again', async () => {
    const r = use();
    let attempts = 0;
    r.holdRequests((method, path) => (method === 'POST' && path === '/v1/jobs' && ++attempts === 1 ? new Promise<void>(() => {}) : null));
    r.start();
    const id = await r.enqueue('no-answer');
    await until(() => r.item(id).state === 'retrying', 200_000, 1_000);
    expect(r.item(id)).toMatchObject({ mayHaveReachedServer: true, failures: 1, error: { code: 'timeout' } });
    await until(() => r.item(id).state === 'accepted', 10_000);
    expect(r.log().map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual(['GET /v1/account 200', 'GET /v1/jobs 200', 'POST /v1/jobs 202']);
    expect(r.jobs()).toHaveLength(1);
  });
});

describe('uploads in flight that the person cancels or removes', () => {
  it('are cut off at once: the request is aborted, no job is made, and their slot is free again', async () => {
    const r = use({ concurrentJobs: 5 });
    r.start();
    const done = await r.enqueue('kept');
    await until(() => r.item(done).state === 'accepted', 5_000);
    const held = latch();
    r.holdRequests((method) => (method === 'POST' ? held.opened : null));
    const cancelled = await r.enqueue('cancel-me');
    const removed = await r.enqueue('remove-me');
    await until(() => r.item(cancelled).state === 'uploading' && r.item(removed).state === 'uploading', 5_000);
    expect(r.runner.slotStatus().inFlight).toBe(2);
    r.store.getState().uploadCancelled(cancelled);
    r.store.getState().uploadRemoved(removed);
    await advance(0);
    expect(r.runner.slotStatus().inFlight).toBe(0);
    held.open();
    await advance(10_000, 1_000);
    expect(r.item(cancelled)).toMatchObject({ state: 'cancelled', jobId: null });
    expect(r.store.getState().items.map((item) => item.id)).toEqual([done, cancelled]);
    expect(r.uploads().map((entry) => entry.fileName)).toEqual(['kept.mp3']);
    expect(r.jobs()).toHaveLength(1);
  });
});

describe('two slots', () => {
  it('two uploads go at once from the start, and again after an outage probe succeeded', async () => {
    const r = use({ random: () => 0.5 });
    const held = latch();
    r.holdRequests((method) => (method === 'POST' ? held.opened : null));
    r.start();
    const pair = [await r.enqueue('pair-a'), await r.enqueue('pair-b')];
    await until(() => r.sent.filter((entry) => entry.method === 'POST').length === 2, 2_000);
    expect(r.runner.slotStatus()).toMatchObject({ inFlight: 2, free: 0 });
    r.holdRequests(null);
    held.open();
    await until(() => pair.every((id) => r.item(id).state === 'accepted'), 5_000);
    expect(r.uploads().map((entry) => entry.status)).toEqual([202, 202]);
  });
});

describe('an outage (503 without Retry-After)', () => {
  it('holds other uploads until the probe time even when the upload that set it is removed; a success ends the probing', async () => {
    const r = use({ random: () => 0.5, concurrentJobs: 5 });
    r.simulator.setFaults(r.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'service_unavailable', remaining: 2 }] });
    const queue = [await r.prepare('probe-a'), await r.prepare('probe-b')];
    r.start();
    const ids = queue.map((enqueue) => enqueue());
    await until(() => ids.every((id) => r.item(id).state === 'retrying'), 5_000);
    // random 0.5 of the service's backoff ceilings, 5 s then 10 s; no upload's failure.
    const byRetry = [...ids].sort((a, b) => r.item(a).retryAt! - r.item(b).retryAt!);
    const [kept, removed] = byRetry as [string, string];
    expect(byRetry.map((id) => r.item(id).retryAt! - T0)).toEqual([2_500, 5_000]);
    expect(ids.map((id) => r.item(id).failures)).toEqual([0, 0]);
    await advance(100, 100);
    r.store.getState().uploadRemoved(removed);
    await advance(2_500, 100);
    expect(r.item(kept).state).toBe('waiting');
    expect(r.runner.slotStatus().free).toBe(0);
    await until(() => r.item(kept).state === 'accepted', 20_000, 50);
    expect(r.uploads().map((entry) => [entry.startedAt - T0, entry.status])).toEqual([
      [0, 503],
      [0, 503],
      [5_000, 202],
    ]);
    // The service answered: uploads go side by side again.
    const held = latch();
    r.holdRequests((method) => (method === 'POST' ? held.opened : null));
    const pair = [await r.enqueue('side-a'), await r.enqueue('side-b')];
    await until(() => r.sent.filter((entry) => entry.method === 'POST').length === 5, 2_000);
    expect(r.runner.slotStatus().inFlight).toBe(2);
    r.holdRequests(null);
    held.open();
    await until(() => pair.every((id) => r.item(id).state === 'accepted'), 5_000);
  });
});

describe('hashing', () => {
  it('one file at a time, its progress shown as it goes', async () => {
    const releases: (() => void)[] = [];
    let active = 0;
    let most = 0;
    const r = use({
      hashFile: async (_blob, onProgress) => {
        active += 1;
        most = Math.max(most, active);
        onProgress(5);
        await new Promise<void>((resolve) => releases.push(resolve));
        active -= 1;
        return 'a'.repeat(64);
      },
    });
    r.start();
    for (const id of ['h1', 'h2']) {
      r.blobs.set(id, new Blob([audio(id)]));
      r.store.getState().uploadsQueued([{ id, fileName: `${id}.mp3`, size: 100, format: 'mp3', pipeline: 'transcription', language: 'en-US', metadata: {} }], Date.now());
    }
    await advance(0);
    expect(releases).toHaveLength(1);
    expect(r.item('h1')).toMatchObject({ state: 'hashing', hashedBytes: 5 });
    expect(r.item('h2')).toMatchObject({ state: 'hashing', hashedBytes: 0 });
    releases[0]!();
    await advance(0);
    expect(releases).toHaveLength(2);
    expect(r.item('h2').hashedBytes).toBe(5);
    releases[1]!();
    await advance(0);
    expect(most).toBe(1);
    expect(r.item('h1').sha256).toBe('a'.repeat(64));
  });

  it('a file whose bytes are gone fails as missing without any request; a hash that throws fails a file that waits for it as hash_failed', async () => {
    const r = use({
      hashFile: async () => {
        throw new Error('worker crashed');
      },
    });
    r.start();
    r.store.getState().uploadsQueued([{ id: 'gone', fileName: 'gone.mp3', size: 100, format: 'mp3', pipeline: 'transcription', language: 'en-US', metadata: {} }], Date.now());
    await advance(1_000);
    expect(r.item('gone')).toMatchObject({ state: 'failed', error: { code: 'file_missing', status: null, requestId: null } });
    expect(r.item('gone').error!.message).toMatch(/no longer in this browser/);
    expect(r.sent.filter((entry) => entry.path === '/v1/jobs')).toEqual([]);
    // An upload of the same size accepted a moment ago: this file waits for its hash before anything is sent.
    const first = await r.enqueue('broken');
    await until(() => r.item(first).state === 'accepted', 5_000);
    queueUnhashed(r, 'broken', 'broken');
    await advance(1_000);
    expect(r.item('broken')).toMatchObject({ state: 'failed', error: { code: 'hash_failed', message: 'worker crashed', status: null } });
    expect(r.uploads()).toHaveLength(1);
  });
});

/** Queues a file as the form does: its hash not yet known. */
function queueUnhashed(r: Rig, tag: string, id = tag): string {
  const bytes = audio(tag);
  r.blobs.set(id, new Blob([bytes]));
  r.store.getState().uploadsQueued([{ id, fileName: `${tag}.mp3`, size: bytes.length, format: 'mp3', pipeline: 'transcription', language: 'en-US', metadata: {} }], Date.now());
  return id;
}

/** A hasher whose answers the test releases (the calls `held` picks; the others answer at once), with real digests. */
function heldHasher(held: (call: number) => boolean = () => true) {
  const calls: { release: () => void }[] = [];
  const hashFile: HashFile = async (blob, onProgress) => {
    const gate = latch();
    calls.push({ release: gate.open });
    if (held(calls.length)) await gate.opened;
    onProgress(blob.size);
    // Real work the fake-time steps wait for, as the simulator's answers are.
    realWork += 1;
    try {
      return await sha256Hex(new Uint8Array(await blob.arrayBuffer()));
    } finally {
      realWork -= 1;
    }
  };
  return { hashFile, calls };
}

const posts = (r: Rig) => r.sent.filter((entry) => entry.method === 'POST' && entry.path === '/v1/jobs');

describe('sending while hashing (issue 16)', () => {
  it('a first upload of a size nothing else in the queue has goes before its hash, and the hash lands on it once accepted', async () => {
    const hasher = heldHasher();
    const r = use({ hashFile: hasher.hashFile });
    r.start();
    const id = queueUnhashed(r, 'early');
    await until(() => r.item(id).state === 'accepted', 5_000);
    expect(hasher.calls).toHaveLength(1);
    expect(r.item(id).sha256).toBeNull();
    expect(r.uploads().map((entry) => entry.status)).toEqual([202]);
    hasher.calls[0]!.release();
    await advance(0);
    const sha256 = await sha256Hex(audio('early'));
    expect(r.item(id)).toMatchObject({ state: 'accepted', sha256 });
    expect(r.jobs().map((job) => job.file.sha256)).toEqual([sha256]);
    expect(hasher.calls).toHaveLength(1);
  });

  it('a file the size of an upload accepted within the window waits for its hash, and is held with the countdown before a byte is sent', async () => {
    const hasher = heldHasher();
    const r = use({ hashFile: hasher.hashFile });
    r.start();
    const first = await r.enqueue('same');
    await until(() => r.item(first).state === 'accepted', 5_000);
    const acceptedAt = r.item(first).acceptedAt!;
    const again = queueUnhashed(r, 'same', 'again');
    await advance(5_000);
    expect(r.item(again).state).toBe('hashing');
    expect(posts(r)).toHaveLength(1);
    hasher.calls[0]!.release();
    await until(() => r.item(again).state === 'duplicate', 5_000);
    expect(r.item(again)).toMatchObject({ dedupUntil: acceptedAt + 60_000, duplicateOf: { uploadId: first }, mayHaveReachedServer: false, attempts: 0 });
    expect(posts(r)).toHaveLength(1);
  });

  it('two files of one size in a batch both wait for their hashes: the same bytes make one job and the second is skipped', async () => {
    const hasher = heldHasher(() => false);
    const r = use({ hashFile: hasher.hashFile });
    r.start();
    const bytes = audio('twin');
    for (const id of ['twin-1', 'twin-2']) r.blobs.set(id, new Blob([bytes]));
    r.store.getState().uploadsQueued(
      ['twin-1', 'twin-2'].map((id) => ({ id, fileName: `${id}.mp3`, size: bytes.length, format: 'mp3' as const, pipeline: 'transcription' as const, language: 'en-US', metadata: {} })),
      Date.now(),
    );
    await until(() => r.item('twin-1').state === 'accepted' && r.item('twin-2').state === 'skipped', 5_000);
    expect(posts(r)).toHaveLength(1);
    expect(r.item('twin-2').duplicateOf).toMatchObject({ uploadId: 'twin-1', sameBatch: true });
  });

  it('an upload whose hash, finishing mid-send, shows it repeats one accepted meanwhile is stopped and held as if hashed first', async () => {
    const hasher = heldHasher();
    const r = use({ hashFile: hasher.hashFile });
    const firstPost = latch();
    let postsSeen = 0;
    r.holdRequests((method, path) => (method === 'POST' && path === '/v1/jobs' && ++postsSeen === 1 ? firstPost.opened : null));
    r.start();
    const early = queueUnhashed(r, 'racing', 'early');
    await until(() => posts(r).length === 1, 2_000);
    expect(r.item(early)).toMatchObject({ state: 'uploading', sha256: null });
    // The same bytes again with their hash known (a kept file sent again): sent at once on the second slot.
    const kept = await r.enqueue('racing', { id: 'kept' });
    await until(() => r.item(kept).state === 'accepted', 5_000);
    const acceptedAt = r.item(kept).acceptedAt!;
    hasher.calls[0]!.release();
    await until(() => r.item(early).state === 'duplicate', 5_000);
    expect(r.item(early)).toMatchObject({ dedupUntil: acceptedAt + 60_000, duplicateOf: { uploadId: kept }, mayHaveReachedServer: true, error: null });
    // The stopped request never reached the server: one job, and the held file is skipped when the window ends.
    expect(r.uploads().map((entry) => entry.status)).toEqual([202]);
    await advance(61_000, 1_000);
    expect(r.item(early).state).toBe('skipped');
    expect(r.uploads()).toHaveLength(1);
    expect(r.jobs()).toHaveLength(1);
  });

  it('a 409 that comes before the queue has the hash: the file is hashed then, and held naming the job it repeats', async () => {
    const hasher = heldHasher((call) => call === 1);
    const r = use({ hashFile: hasher.hashFile });
    r.start();
    const first = await r.enqueue('refused');
    await until(() => r.item(first).state === 'accepted', 5_000);
    const jobId = r.item(first).jobId;
    const acceptedAt = r.item(first).acceptedAt!;
    // Gone from the queue, so the queue cannot know: only the server can.
    r.store.getState().uploadRemoved(first);
    await advance(2_000);
    const again = queueUnhashed(r, 'refused', 'again');
    await until(() => r.item(again).state === 'duplicate', 5_000);
    expect(r.item(again)).toMatchObject({ sha256: await sha256Hex(audio('refused')), duplicateOf: { jobId }, error: { code: 'job_already_exists' } });
    expect(r.item(again).dedupUntil).toBeGreaterThanOrEqual(acceptedAt + 59_000);
    expect(r.item(again).dedupUntil).toBeLessThanOrEqual(acceptedAt + 61_000);
    expect(r.uploads().map((entry) => entry.status)).toEqual([202, 409]);
    hasher.calls[0]!.release();
    await advance(5_000);
    expect(r.item(again).state).toBe('duplicate');
    expect(r.uploads()).toHaveLength(2);
  });

  it('a send cut off before its hash came is not sent again until it is hashed and looked up', async () => {
    const hasher = heldHasher();
    const r = use({ hashFile: hasher.hashFile });
    r.holdRequests((method) => (method === 'POST' ? new Promise<void>(() => undefined) : null));
    r.start();
    const id = queueUnhashed(r, 'cut-off');
    await until(() => posts(r).length === 1, 2_000);
    r.stopRunner();
    await advance(0);
    expect(r.item(id)).toMatchObject({ state: 'hashing', sha256: null, mayHaveReachedServer: true });
    r.holdRequests(null);
    r.start();
    await advance(5_000);
    expect(posts(r)).toHaveLength(1);
    expect(r.lookups()).toHaveLength(0);
    for (const call of hasher.calls) call.release();
    await until(() => r.item(id).state === 'accepted', 5_000);
    expect(r.lookups()).toHaveLength(1);
    expect(r.uploads().map((entry) => entry.status)).toEqual([202]);
    expect(r.jobs()).toHaveLength(1);
  });

  it('the hasher takes an upload under way before files that wait for their hash: its hash may stop the send', async () => {
    const sizes: number[] = [];
    const hasher = heldHasher();
    const r = use({
      hashFile: (blob, onProgress) => {
        sizes.push(blob.size);
        return hasher.hashFile(blob, onProgress);
      },
    });
    r.holdRequests((method) => (method === 'POST' ? new Promise<void>(() => undefined) : null));
    r.start();
    // Two of one size wait for their hashes; the third, longer, goes at once.
    const waiting = [queueUnhashed(r, 'pair-1'), queueUnhashed(r, 'pair-2')];
    const going = queueUnhashed(r, 'goes-first');
    await until(() => r.item(going).state === 'uploading', 2_000);
    expect(sizes).toEqual([r.item(waiting[0]!).size]);
    hasher.calls[0]!.release();
    await advance(0);
    expect(sizes).toEqual([r.item(waiting[0]!).size, r.item(going).size]);
    expect(r.item(waiting[1]!).state).toBe('hashing');
  });

  it('a file already sent whose hash fails is accepted all the same (the server judges duplicates), and not hashed again', async () => {
    let calls = 0;
    const crash = latch();
    const r = use({
      hashFile: async () => {
        calls += 1;
        await crash.opened;
        throw new Error('worker crashed');
      },
    });
    r.start();
    const id = queueUnhashed(r, 'unhashable');
    await until(() => posts(r).length === 1, 2_000);
    crash.open();
    await until(() => r.item(id).state === 'accepted', 5_000);
    await advance(10_000, 1_000);
    expect(r.item(id)).toMatchObject({ state: 'accepted', sha256: null, error: null });
    expect(calls).toBe(1);
    expect(r.uploads().map((entry) => entry.status)).toEqual([202]);
  });
});

describe('a server error carrying Retry-After', () => {
  it('internal_error with Retry-After still counts as a failure and backs off as a 500', async () => {
    const r = use({ random: () => 0.5 });
    r.simulator.setFaults(r.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', retryAfterSeconds: 9, remaining: 1 }] });
    r.start();
    const id = await r.enqueue('ie-ra');
    await until(() => r.item(id).state === 'retrying', 5_000);
    expect(r.item(id)).toMatchObject({ failures: 1, retryAt: T0 + 500, mayHaveReachedServer: true });
    await until(() => r.item(id).state === 'accepted', 5_000, 50);
    expect(r.uploads().map((entry) => [entry.startedAt - T0, entry.status])).toEqual([
      [0, 500],
      [500, 202],
    ]);
  });
});

describe('looking for a job an earlier attempt may have made', () => {
  const markMayHaveReached = (r: Rig, id: string) =>
    r.store.setState((state) => ({ items: state.items.map((item) => (item.id === id ? { ...item, mayHaveReachedServer: true } : item)) }));

  it('an upload that may have landed, whose bytes are gone and whose job is not found: one look-up, then failed as missing', async () => {
    const r = use();
    r.start();
    const queue = await r.prepare('lost-bytes', { withBlob: false });
    r.stopRunner();
    const id = queue();
    markMayHaveReached(r, id);
    r.start();
    await until(() => r.item(id).state === 'failed', 5_000);
    expect(r.item(id).error?.code).toBe('file_missing');
    expect(r.lookups()).toHaveLength(1);
    expect(r.uploads()).toEqual([]);
  });

  it('an identical job made before this upload was queued is not its own: it is sent, refused as a duplicate, and counts down', async () => {
    const r = use();
    r.start();
    const first = await r.enqueue('older');
    await until(() => r.item(first).state === 'accepted', 5_000);
    r.store.getState().uploadRemoved(first);
    await advance(30_000, 1_000);
    r.stopRunner();
    const id = await r.enqueue('older');
    markMayHaveReached(r, id);
    r.start();
    await until(() => r.item(id).state === 'duplicate', 5_000);
    expect(r.lookups().length).toBeGreaterThan(0);
    expect(r.uploads().map((entry) => entry.status)).toEqual([202, 409]);
    expect(r.item(id)).toMatchObject({ adopted: false, jobId: null, error: { code: 'job_already_exists' } });
  });
});

describe('with the server clock 45 s behind the browser', () => {
  it('a 500 on an upload the server accepted is adopted by the look-up, never sent again', async () => {
    const r = use({ account: { clockOffsetMs: -45_000 } });
    r.simulator.setFaults(r.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', phase: 'after-accept', remaining: 1 }] });
    r.start();
    const id = await r.enqueue('skewed-landed');
    await until(() => r.item(id).state === 'accepted', 10_000);
    expect(r.uploads().map((entry) => entry.status)).toEqual([500]);
    expect(r.item(id)).toMatchObject({ adopted: true, jobId: r.jobs()[0]!.id });
  });

  it('a 409 for a job made after the upload was queued (by the server clock) is adopted', async () => {
    const r = use({ account: { clockOffsetMs: -45_000 } });
    r.start();
    const first = await r.enqueue('skewed-409');
    await until(() => r.item(first).state === 'accepted', 5_000);
    const { addedAt } = r.item(first);
    r.store.getState().uploadRemoved(first);
    await advance(3_000, 1_000);
    // The saved queue lagged: after a reload it still shows the upload as never attempted.
    const id = await r.enqueue('skewed-409', { id: 'reloaded', addedAt: addedAt - 2_000 });
    await until(() => r.item(id).state === 'accepted', 5_000);
    expect(r.uploads().map((entry) => entry.status)).toEqual([202, 409]);
    expect(r.item(id)).toMatchObject({ adopted: true, jobId: r.jobs()[0]!.id });
  });
});

describe('the slot ledger', () => {
  it('an upload accepted while an account read was on its way back is counted on top of what that read said', async () => {
    const r = use({ online: true, account: { timing: { queueMs: [100, 100], processMs: [100, 100] } } });
    r.start();
    const early = await r.enqueue('ledger-x');
    await until(() => r.item(early).state === 'accepted', 5_000);
    // Later jobs run for two minutes.
    r.simulator.account(r.accountId).timing = { queueMs: [1_000, 1_000], processMs: [120_000, 120_000] };
    await advance(500, 100);
    r.setOnline(false);
    const job = r.jobs()[0]!;
    r.store.getState().acceptedJobsObserved([r.simulator.jobView(r.simulator.account(r.accountId), job) as never]);
    r.runner.jobSettled(job.id);
    const fileRead = latch();
    r.loadHolds.set('ledger-a', fileRead.opened);
    const accepted = await r.enqueue('ledger-a', { id: 'ledger-a' });
    await advance(1_500, 500);
    const answer = latch();
    r.holdAccountReads(null, answer.opened);
    r.setOnline(true);
    // The account is read (and answered: no job active) before the upload reaches the server...
    await untilReal(() => r.accountGets().length === 2);
    expect(r.accountGets()[1]!.startedAt - T0).toBe(2_000);
    fileRead.open();
    await untilReal(() => r.item(accepted).state === 'accepted');
    // ...and the person clears the accepted row before the runner has the read's answer.
    r.store.getState().uploadRemoved(accepted);
    answer.open();
    await advance(0);
    const later = [await r.prepare('ledger-b'), await r.prepare('ledger-c')].map((queue) => queue());
    await advance(5_000, 500);
    expect(r.uploads().map((entry) => [entry.startedAt - T0, entry.status, entry.fileName])).toEqual([
      [0, 202, 'ledger-x.mp3'],
      [2_000, 202, 'ledger-a.mp3'],
      [2_000, 202, 'ledger-b.mp3'],
    ]);
    expect(r.item(later[1]!).state).toBe('waiting');
    expect(r.runner.slotStatus()).toMatchObject({ concurrentJobs: 2, activeJobs: 2, free: 0 });
  });
});

describe('a duplicate whose look-up fails', () => {
  it('counts down the whole dedup window', async () => {
    const r = use();
    r.simulator.setFaults(r.accountId, {
      forced: [
        { endpoint: 'POST /v1/jobs', code: 'job_already_exists', remaining: 1 },
        { endpoint: 'GET /v1/jobs', code: 'internal_error', remaining: 1 },
      ],
    });
    r.start();
    const id = await r.enqueue('dup-no-lookup');
    await until(() => r.item(id).state === 'duplicate', 5_000);
    expect(r.lookups().map((entry) => entry.status)).toEqual([500]);
    expect(r.item(id)).toMatchObject({ dedupUntil: T0 + 60_000, error: { code: 'job_already_exists' } });
  });
});

describe('our own jobs as a floor', () => {
  it('a job of ours the poller has not yet seen end still holds its slot, whatever a newer account read says', async () => {
    const r = use({ account: { timing: { queueMs: [100, 100], processMs: [100, 100] } } });
    r.start();
    const short = await r.enqueue('floor-x');
    await until(() => r.item(short).state === 'accepted', 5_000);
    r.simulator.account(r.accountId).timing = { queueMs: [1_000, 1_000], processMs: [120_000, 120_000] };
    const long = await r.enqueue('floor-y');
    await until(() => r.item(long).state === 'accepted', 5_000);
    const waiting = await r.enqueue('floor-a');
    await advance(10_500, 500);
    // The account read at 10 s saw the short job ended; the console has not been told yet.
    expect(r.accountGets().map((entry) => entry.startedAt - T0)).toEqual([0, 10_000]);
    expect(r.item(waiting).state).toBe('waiting');
    const job = r.jobs()[0]!;
    r.store.getState().acceptedJobsObserved([r.simulator.jobView(r.simulator.account(r.accountId), job) as never]);
    r.runner.jobSettled(job.id);
    await until(() => r.item(waiting).state === 'accepted', 5_000);
    expect(since(r.uploads().map((entry) => entry.startedAt))).toEqual([0, 0, 10_500]);
  });
});

describe('slot status for the screens', () => {
  it('listeners hear of each change once, the snapshot stays the same object while nothing changes, and an unsubscribed listener hears nothing', async () => {
    const r = use();
    let heard = 0;
    const unsubscribe = r.runner.subscribeSlotStatus(() => {
      heard += 1;
    });
    r.start();
    const before = r.runner.slotStatus();
    expect(before).toEqual({ account: 'not-read', concurrentJobs: null, activeJobs: null, inFlight: 0, free: 0, serviceDownUntil: 0 });
    const id = await r.enqueue('status');
    await until(() => r.item(id).state === 'accepted', 5_000);
    const after = r.runner.slotStatus();
    expect(after).toEqual({ account: 'readable', concurrentJobs: 2, activeJobs: 1, inFlight: 0, free: 1, serviceDownUntil: 0 });
    const heardSoFar = heard;
    expect(heardSoFar).toBeGreaterThan(0);
    r.runner.pump();
    r.runner.pump();
    await advance(1_000);
    expect(heard).toBe(heardSoFar);
    expect(r.runner.slotStatus()).toBe(after);
    unsubscribe();
    await r.enqueue('status-2');
    await advance(1_000);
    expect(r.runner.slotStatus()).toMatchObject({ activeJobs: 2, free: 0 });
    expect(heard).toBe(heardSoFar);
  });
});

describe('an answer outside 2xx, 4xx and 5xx', () => {
  it('a 300 made no job: failed, not marked as having possibly reached the server', async () => {
    const r = use();
    r.simulator.setFaults(r.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'multiple_choices', status: 300, remaining: 1 }] });
    r.start();
    const id = await r.enqueue('three-hundred');
    await until(() => r.item(id).state === 'failed', 5_000);
    expect(r.uploads().map((entry) => entry.status)).toEqual([300]);
    expect(r.item(id)).toMatchObject({ mayHaveReachedServer: false, error: { code: 'multiple_choices', status: 300 } });
  });
});

describe('"submit when the window ends"', () => {
  it('goes back to the queue as window-ended at the very end of the window and is sent then', async () => {
    const r = use();
    r.start();
    const first = await r.enqueue('window');
    await until(() => r.item(first).state === 'accepted', 5_000);
    const second = await r.enqueue('window');
    await until(() => r.item(second).state === 'duplicate', 5_000);
    expect(r.item(second).dedupUntil).toBe(T0 + 60_000);
    const reasons: string[] = [];
    r.store.subscribe((state, previous) => {
      const now = state.items.find((item) => item.id === second);
      const before = previous.items.find((item) => item.id === second);
      if (now?.state === 'waiting' && before?.state !== 'waiting') reasons.push(`${Date.now() - T0} ${now.retryReason}`);
    });
    r.store.getState().submitWhenWindowEndsRequested(second);
    await until(() => r.item(second).state === 'accepted', 70_000, 500);
    expect(reasons).toEqual(['60000 window-ended']);
    expect(since(r.uploads().map((entry) => entry.startedAt))).toEqual([0, 60_000]);
  });
});
