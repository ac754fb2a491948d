import { createHash } from 'node:crypto';
import { getResponse } from 'msw';
import { createApiClient } from '../api/client';
import { fetchAccount } from '../api/endpoints/get-account';
import { createExchangeLog } from '../api/exchange-log';
import { createRequestGate, type RequestGate } from '../api/request-gate';
import { createJobPoller, type JobPoller } from '../features/jobs/job-poller';
import { persistUploadQueue, type QueuePersistence } from '../features/upload/queue-persistence';
import { createUploadQueueStore, type UploadQueueStore } from '../features/upload/upload-queue-store';
import { createUploadRunner, type UploadRunner } from '../features/upload/upload-runner';
import { abortableDelay } from '../lib/abortable-delay';
import { type RandomSource, seededRandom } from '../lib/random';
import { sha256OfBlob } from '../lib/sha256-stream';
import { type ForcedFault, NovaPulseSimulator, type RequestLogEntry, type SimAccount, type SimJob } from '../mocks/core/simulator';
import { createHandlers, RECEIVED_AT_HEADER } from '../mocks/handlers';

/**
 * The soak: a batch of uploads driven through a seeded random mix of every
 * fault the simulator and the network can produce, with page reloads, key
 * changes and an endpoint change, on fake time. The console's parts (client,
 * gate, runner, poller, queue store and its persistence) are wired as the app
 * wires them; the network between them and the simulator is a fetch that can
 * lose, stall and slow requests. Every verdict is read from the simulator's
 * records, never from the console's code.
 */

export const SOAK_BASES = ['http://soak-a.novapulse.test', 'http://soak-b.novapulse.test'] as const;

/** Every fault the soak injects; each must have hit at least one request by the end. */
export const FAULT_KINDS = [
  'rate-limit-storm',
  '429-seconds',
  '429-http-date',
  'maintenance-seconds',
  'maintenance-http-date',
  'maintenance-none',
  '500-before',
  '500-after-accept',
  'lost-before',
  'lost-after',
  'stall-before',
  'stall-after',
  'slow-bandwidth',
  'concurrency-forced',
  'jobs-elsewhere',
  'expired-key',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface SoakOptions {
  seed: number;
  uploads: number;
  reloads: number;
  keyRotations: number;
  endpointChanges: number;
  /**
   * Moves fake time to the next timer and runs it (vi.advanceTimersToNextTimerAsync). One timer at a time, with
   * the real work it starts finished before time moves again: the same seed gives the same run.
   */
  nextTimer: () => Promise<unknown>;
  /** Gives up (and reports what is stranded) after this much simulated time. */
  maxSimulatedMs?: number;
  /** Which requests the network may stall: every one (default), or uploads only. */
  stalls?: 'all' | 'uploads';
  /** Whether the first reload waits for a Retry-After to be holding the console (default true). */
  reloadDuringRetryAfter?: boolean;
  /** Stops early when no upload was accepted for this long (simulated). */
  stuckAfterMs?: number;
  /** Fake time per step of the driver. */
  stepMs?: number;
  log?: (line: string) => void;
  /** Told of every queue transition and slot change, for reading a failing seed. */
  trace?: (line: string) => void;
}

export interface SoakReport {
  seed: number;
  uploads: number;
  accepted: number;
  /** Per upload, the jobs the simulator holds with its content: 1 each when nothing was lost or duplicated. */
  jobsPerUpload: number;
  uploadsWithoutJob: number;
  uploadsWithSeveralJobs: number;
  faultsInjected: Record<FaultKind, number>;
  reloads: number;
  /** Reloads made while the console held its requests for a Retry-After. */
  reloadsDuringRetryAfter: number;
  keyRotations: number;
  expiredKeys: number;
  endpointChanges: number;
  /** Failed uploads the operator sent again with "Retry now" (the catalogue gives up after 4 attempts). */
  operatorRetries: number;
  /** What the console gave up on before the operator's "Retry now", by error code. */
  givenUpByCode: Record<string, number>;
  requestsInsideRetryAfter: number;
  retryAfterWindows: number;
  /** 429 concurrent_jobs_exceeded the simulator answered with the account really full of the console's own jobs alone. */
  overcommits: number;
  /** Refusals for a full account while one of its jobs was one the console could not know yet (its answer lost). */
  unseenJobRefusals: number;
  totalRequests: number;
  uploadRequests: number;
  simulatedMs: number;
  realMs: number;
  /** Everything that went wrong, in words; empty when the soak passed. */
  problems: string[];
  /** The simulator's records, for reading a failure: every request on the console's keys and every job, times from the start. */
  records: { requests: RequestLogEntry[]; jobs: SimJob[]; startedAt: number; undelivered: string[] };
}

/* ------------------------------------------------------------------ files */

/** A small, valid PCM WAV (8 kHz, 8-bit mono) whose samples come from `random`: every file differs. */
export function soakWav(random: RandomSource, dataBytes: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(44 + dataBytes));
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 8_000, true);
  view.setUint32(28, 8_000, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < dataBytes; i++) bytes[44 + i] = Math.floor(random() * 256);
  return bytes;
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/* ---------------------------------------------------------------- network */

type NetworkFault = 'lost-before' | 'lost-after' | 'stall-before' | 'stall-after';

interface NetworkState {
  /** Chance per request of each network fault, while its regime runs. */
  odds: Partial<Record<NetworkFault, number>>;
  /** Faults the next request they can hit gets for certain. */
  sure: Set<NetworkFault>;
}

function abortError() {
  return new DOMException('The operation was aborted.', 'AbortError');
}

/** Resolves after `ms` of (fake) time, or rejects with an AbortError when `signal` aborts, whatever its reason. */
function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return abortableDelay(ms, signal).catch(() => {
    throw abortError();
  });
}

/** Never settles unless `signal` aborts: an answer that never comes. */
function never(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) return reject(abortError());
    signal?.addEventListener('abort', () => reject(abortError()), { once: true });
  });
}

/* ----------------------------------------------------------------- driver */

interface Page {
  number: number;
  gate: RequestGate;
  store: UploadQueueStore;
  persistence: QueuePersistence;
  pageEvents: EventTarget;
  services: Services;
}

interface Services {
  baseUrl: string;
  runner: UploadRunner;
  poller: JobPoller;
  stop(): void;
}

interface Upload {
  index: number;
  id: string;
  fileName: string;
  sha256: string;
  bytes: Uint8Array<ArrayBuffer>;
}

const ELSEWHERE_PREFIX = 'elsewhere-';
const RETRYABLE_BY_OPERATOR = new Set(['internal_error', 'network_error', 'timeout', 'service_unavailable', 'malformed_response']);

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const startedReal = performance.now();
  const log = options.log ?? (() => {});
  const stepMs = options.stepMs ?? 250;
  const maxSimulatedMs = options.maxSimulatedMs ?? 6 * 3600_000;
  // No upload accepted for this long, whatever the faults did: something is stranded.
  const stuckAfterMs = options.stuckAfterMs ?? 30 * 60_000;
  // One seed, split into independent streams: what the schedule draws never shifts what the console or simulator draws.
  const schedule = seededRandom(options.seed);
  const fileRandom = seededRandom(options.seed ^ 0x5eed_f11e);
  const consoleRandom = seededRandom(options.seed ^ 0x0c0_501e);
  const networkRandom = seededRandom(options.seed ^ 0x7e7_0001);
  const between = (min: number, max: number) => min + Math.floor(schedule() * (max - min + 1));

  const simulator = new NovaPulseSimulator({ clock: () => Date.now(), random: seededRandom(options.seed ^ 0x51a) });
  const handle = simulator.createAccount({
    tier: 'starter',
    seed: options.seed,
    timing: { queueMs: [500, 2_000], processMs: [3_000, 12_000] },
  });
  const accountId = handle.accountId;
  const account: SimAccount = simulator.account(accountId);
  const elsewhereKey = simulator.issueKey(accountId);
  // issueKey puts the new key first; the console's key goes back to the front, so the account reads as before.
  account.keys.push(account.keys.shift()!);

  /* -------- real asynchronous work (hashing, the simulator answering): the driver lets it finish between steps */
  let realWork = 0;
  let queue: Promise<unknown> = Promise.resolve();
  /**
   * Runs real asynchronous work one piece at a time, in the order asked: the simulator sees requests in the order
   * they were sent and draws its chances in that order, whatever the machine's load.
   */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    realWork += 1;
    const run = queue.then(work).finally(() => {
      realWork -= 1;
    });
    queue = run.catch(() => {});
    return run;
  };
  async function realTick() {
    const began = performance.now();
    let idleRounds = 0;
    while (idleRounds < 5 && performance.now() - began < 5_000) {
      await new Promise((resolve) => setImmediate(resolve));
      idleRounds = realWork > 0 ? 0 : idleRounds + 1;
    }
  }
  // The driver's own beat: time never jumps further than this, and the driver looks at the queue this often.
  let heartbeat: ReturnType<typeof setTimeout> | undefined;
  const beat = () => {
    heartbeat = setTimeout(beat, stepMs);
  };
  beat();
  async function step() {
    await options.nextTimer();
    await realTick();
  }

  /* -------- faults */
  const injected = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const network: NetworkState = { odds: {}, sure: new Set() };
  const simHandlers = createHandlers(simulator);

  /** Answers the simulator gave that the network lost: the console never read their Retry-After. */
  const undelivered = new Set<string>();
  /** 2xx answers to uploads whose body the console cannot read (a job was created; the console cannot know which). */
  const garbled = new Set<string>();
  /** 429 concurrent_jobs_exceeded the simulator gave because the account was full (not a forced fault). */
  const genuineRefusals = new Set<string>();
  /** Requests the network holds right now, for the report when something is stranded. */
  const pending = new Map<number, { method: string; url: string; since: number; stalled: boolean }>();
  let pendingCounter = 0;

  /** The network between the console and the simulator: both base URLs reach the same simulator. */
  const soakFetch: typeof fetch = async (input, init) => {
    const id = ++pendingCounter;
    const receivedAt = Date.now();
    const signal = init?.signal;
    const request = new Request(input, { ...init, signal: undefined });
    pending.set(id, { method: request.method, url: request.url, since: receivedAt, stalled: false });
    try {
      return await carry(request, init, signal, receivedAt, (stalled) => {
        const entry = pending.get(id);
        if (entry) entry.stalled = stalled;
      });
    } finally {
      pending.delete(id);
    }
  };

  async function carry(request: Request, init: RequestInit | undefined, signal: AbortSignal | null | undefined, receivedAt: number, stalling: (stalled: boolean) => void): Promise<Response> {
    request.headers.set(RECEIVED_AT_HEADER, String(receivedAt));
    const roll = (fault: NetworkFault) => {
      if (fault.startsWith('stall') && options.stalls === 'uploads' && request.method !== 'POST') return false;
      const odds = network.odds[fault] ?? 0;
      if (network.sure.delete(fault) || (odds > 0 && networkRandom() < odds)) {
        injected[fault] += 1;
        return true;
      }
      return false;
    };
    if (roll('lost-before')) {
      await sleep(between(50, 2_000), signal);
      throw new TypeError('fetch failed: connection reset before the request was sent');
    }
    if (roll('stall-before')) {
      stalling(true);
      return never(signal);
    }
    const file = init?.body instanceof FormData ? init.body.get('file') : null;
    const bandwidth = account.faults.uploadBytesPerSecond;
    if (file instanceof Blob && bandwidth) {
      injected['slow-bandwidth'] += 1;
      // The body arrives at the account's bandwidth; cut off on the way, the server never saw the whole upload.
      await sleep(Math.ceil((file.size / bandwidth) * 1000), signal);
    }
    if (signal?.aborted) throw abortError();
    // Read whole here, inside the serial work, so the console reads it with no real waiting (the same seed, the same run).
    const served = await serial(async () => {
      const response = await getResponse(simHandlers, request);
      return response ? { response, body: await response.text() } : null;
    });
    if (!served) throw new TypeError(`fetch failed: nothing serves ${request.url}`);
    const body = served.body;
    const answer = new Response(body, { status: served.response.status, headers: served.response.headers });
    if (request.method === 'POST' && answer.status < 300 && !/"job"\s*:\s*\{/.test(body)) garbled.add(answer.headers.get('X-Request-Id') ?? '');
    // The simulator's own refusal names the jobs holding the slots; a forced one uses the catalogue's words.
    if (answer.status === 429 && body.includes('concurrent_jobs_exceeded') && /already has \d+ jobs/.test(body)) {
      genuineRefusals.add(answer.headers.get('X-Request-Id') ?? '');
    }
    if (roll('lost-after')) {
      undelivered.add(answer.headers.get('X-Request-Id') ?? '');
      throw new TypeError('fetch failed: connection reset before the answer arrived');
    }
    if (roll('stall-after')) {
      undelivered.add(answer.headers.get('X-Request-Id') ?? '');
      stalling(true);
      return never(signal);
    }
    if (signal?.aborted) {
      undelivered.add(answer.headers.get('X-Request-Id') ?? '');
      throw abortError();
    }
    return answer;
  };

  /** A forced fault on the simulator that counts what it hit (its own `remaining` counter). */
  const LARGE = 1_000_000_000;
  let activeForced: { kind: FaultKind; fault: ForcedFault; initial: number }[] = [];
  /** The fault on the next matching request for certain, then on each later one with its probability. */
  function forced(kind: FaultKind, fault: Omit<ForcedFault, 'remaining'>): ForcedFault[] {
    const { probability: _, ...sure } = fault;
    const entries = [
      { kind, fault: { ...sure, remaining: 1 }, initial: 1 },
      { kind, fault: { ...fault, remaining: LARGE }, initial: LARGE },
    ];
    activeForced.push(...entries);
    return entries.map((entry) => entry.fault);
  }
  const activeHits = (kind: FaultKind) =>
    activeForced.filter((entry) => entry.kind === kind).reduce((sum, entry) => sum + entry.initial - (entry.fault.remaining ?? entry.initial), 0);
  function settleForcedCounts() {
    for (const kind of FAULT_KINDS) injected[kind] += activeHits(kind);
    activeForced = [];
  }
  /** Requests each fault hit so far; maintenance and real rate limiting as the simulator's log shows them. */
  function hits(kind: FaultKind): number {
    if (kind.startsWith('maintenance-')) {
      const form = kind.slice('maintenance-'.length);
      return [...consoleLog.values()].filter(
        (entry) => entry.status === 503 && entry.code === 'service_unavailable' && (entry.retryAfter === null ? 'none' : /^\d+$/.test(entry.retryAfter) ? 'seconds' : 'http-date') === form,
      ).length;
    }
    if (kind === 'rate-limit-storm') {
      const all = [...consoleLog.values()].filter((entry) => entry.code === 'rate_limit_exceeded').length;
      return all - hits('429-seconds') - hits('429-http-date');
    }
    return injected[kind] + activeHits(kind);
  }

  let elsewhereCounter = 0;
  async function startJobElsewhere() {
    elsewhereCounter += 1;
    const file = new File([soakWav(fileRandom, 2_000)], `${ELSEWHERE_PREFIX}${elsewhereCounter}.wav`, { type: 'audio/wav' });
    const response = await serial(() =>
      simulator.handle({
        method: 'POST',
        path: '/v1/jobs',
        authorization: `Bearer ${elsewhereKey}`,
        form: new Map<string, string | File>([
          ['file', file],
          ['pipeline', 'transcription'],
        ]),
      }),
    );
    if (response.status === 202) injected['jobs-elsewhere'] += 1;
  }

  /** Applies one fault regime; returns what it set so it can be cleared. */
  async function applyRegime(kinds: FaultKind[]) {
    const forcedFaults: ForcedFault[] = [];
    const patch: Parameters<NovaPulseSimulator['setFaults']>[1] = {};
    network.odds = {};
    network.sure.clear();
    for (const kind of kinds) {
      const p = 0.15 + schedule() * 0.3;
      switch (kind) {
        case 'rate-limit-storm':
          patch.rateLimit = between(2, 8);
          break;
        case '429-seconds':
          forcedFaults.push(...forced(kind, { endpoint: '*', code: 'rate_limit_exceeded', retryAfterSeconds: between(1, 90), retryAfterForm: 'seconds', probability: p / 2 }));
          break;
        case '429-http-date':
          forcedFaults.push(...forced(kind, { endpoint: '*', code: 'rate_limit_exceeded', retryAfterSeconds: between(1, 90), retryAfterForm: 'http-date', probability: p / 2 }));
          break;
        case 'maintenance-seconds':
        case 'maintenance-http-date':
        case 'maintenance-none':
          patch.maintenanceSeconds = between(5, 120);
          patch.maintenanceRetryAfter = kind === 'maintenance-seconds' ? 'seconds' : kind === 'maintenance-http-date' ? 'http-date' : 'none';
          break;
        case '500-before':
          forcedFaults.push(...forced(kind, { endpoint: '*', code: 'internal_error', probability: p }));
          break;
        case '500-after-accept': {
          // A server failure once the job exists, or a 2xx whose body cannot be read (finding 8).
          const shape = between(0, 2);
          forcedFaults.push(
            ...forced(kind, {
              endpoint: 'POST /v1/jobs',
              phase: 'after-accept',
              probability: p,
              ...(shape === 0 ? { code: 'internal_error' } : shape === 1 ? { raw: 'html-502' as const } : { raw: 'invalid-json' as const, status: 202 }),
            }),
          );
          break;
        }
        case 'lost-before':
        case 'lost-after':
        case 'stall-before':
        case 'stall-after':
          network.odds[kind] = kind.startsWith('stall') ? p / 3 : p;
          network.sure.add(kind);
          break;
        case 'slow-bandwidth':
          patch.uploadBytesPerSecond = between(200, 4_000);
          break;
        case 'concurrency-forced':
          forcedFaults.push(
            ...forced(kind, { endpoint: 'POST /v1/jobs', code: 'concurrent_jobs_exceeded', probability: p, ...(schedule() < 0.5 ? { retryAfterSeconds: between(1, 30) } : {}) }),
          );
          break;
        case 'jobs-elsewhere':
          for (let n = between(1, 2); n > 0; n--) await startJobElsewhere();
          break;
        case 'expired-key':
          expireConsoleKey();
          break;
      }
    }
    simulator.setFaults(accountId, { ...patch, forced: forcedFaults });
  }

  function clearRegime() {
    settleForcedCounts();
    network.odds = {};
    network.sure.clear();
    // Maintenance runs its own course once started; everything else ends with its regime.
    simulator.setFaults(accountId, { forced: [], rateLimit: null, uploadBytesPerSecond: null });
  }

  /* -------- keys */
  let currentKey = handle.keys.full;
  let keyRotations = 0;
  let expiredKeys = 0;
  let keyReentryAt: number | null = null;
  const keyOf = (secret: string) => account.keys.find((key) => key.secret === secret)!;

  function expireConsoleKey() {
    keyOf(currentKey).expiresAt = simulator.now(account);
    expiredKeys += 1;
    injected['expired-key'] += 1;
  }

  /* -------- the page: what a reload replaces */
  const storage = new Map<string, string>();
  const queueStorage = { getItem: (name: string) => storage.get(name) ?? null, setItem: (name: string, value: string) => void storage.set(name, value) };
  const blobs = new Map<string, Blob>();
  const queueBlobs = {
    get: async (id: string) => blobs.get(id),
    remove: async (id: string) => void blobs.delete(id),
    ids: async () => [...blobs.keys()],
  };
  const keptFiles = { put: async () => true };
  const exchanges = createExchangeLog(1_000);
  let pageCounter = 0;

  function startServices(page: Omit<Page, 'services'>, baseUrl: string): Services {
    const client = createApiClient({ baseUrl, gate: page.gate, getKey: () => currentKey, clock: () => Date.now(), fetch: soakFetch, onExchange: exchanges.record });
    const { store } = page;
    const poller = createJobPoller({
      client,
      clock: () => Date.now(),
      random: consoleRandom,
      latestRateLimit: exchanges.latestRateLimit,
      onJobs: (jobs) => store.getState().acceptedJobsObserved(jobs),
      onSettled: (job) => runner.jobSettled(job.id),
      onUnknown: (jobId) => store.getState().acceptedJobLost(jobId),
    });
    const runner = createUploadRunner({
      store,
      client,
      loadBlob: async (id) => blobs.get(id),
      hashFile: (blob, onProgress) => serial(() => sha256OfBlob(blob, onProgress)),
      clock: () => Date.now(),
      random: consoleRandom,
      onAccepted: (jobId) => poller.track(jobId),
      readAccount: async () => {
        const data = await fetchAccount(client);
        return { concurrentJobs: data.limits.concurrent_jobs, activeJobs: data.usage.active_jobs, dedupWindowMs: data.limits.dedup_window_seconds * 1000 };
      },
      isOnline: () => true,
    });
    const stops = [poller.start(), runner.start()];
    if (options.trace) {
      const trace = options.trace;
      stops.push(runner.subscribeSlotStatus(() => trace(`slots ${JSON.stringify(runner.slotStatus())}`)));
      stops.push(
        store.subscribe((state, previous) => {
          for (const item of state.items) {
            const before = previous.items.find((other) => other.id === item.id);
            if (before?.state !== item.state) trace(`${item.fileName} ${before?.state ?? 'new'} -> ${item.state}${item.error ? ` (${item.error.code})` : ''}`);
          }
        }),
      );
    }
    const trackAccepted = () => {
      for (const item of store.getState().items) {
        if (item.state === 'accepted' && item.jobId && (item.jobStatus === 'queued' || item.jobStatus === 'processing' || item.jobStatus === null)) poller.track(item.jobId);
      }
    };
    trackAccepted();
    void page.persistence.restored.then(() => {
      trackAccepted();
      runner.pump();
    });
    return {
      baseUrl,
      runner,
      poller,
      stop: () => {
        for (const stop of stops) stop();
      },
    };
  }

  // The browser's localStorage for the request gate's hold: it outlives a reload.
  let savedHold: { until: number; code: string } | null = null;
  const sessionHolds = {
    read: () => savedHold,
    write: (hold: { until: number; code: string }) => {
      savedHold = hold;
    },
  };

  function openPage(baseUrl: string): Page {
    pageCounter += 1;
    const store = createUploadQueueStore();
    const pageEvents = new EventTarget();
    const persistence = persistUploadQueue(store, {
      storage: queueStorage,
      blobs: queueBlobs,
      keptFiles,
      page: pageEvents,
      visibility: null,
      warn: (message, error) => log(`persistence: ${message} ${String(error)}`),
    });
    // A remembered key: the new page starts with it; and the hold in force, from the browser's localStorage (as the app does).
    const gate = createRequestGate({ initiallyHasKey: true, clock: () => Date.now(), holdStore: sessionHolds });
    const partial = { number: pageCounter, gate, store, persistence, pageEvents };
    return { ...partial, services: startServices(partial, baseUrl) };
  }

  let page = openPage(SOAK_BASES[0]);
  let reloads = 0;
  let reloadsDuringRetryAfter = 0;
  let endpointChanges = 0;

  async function reload() {
    // The browser fires pagehide (the queue is written), then the page and everything running in it is gone.
    page.pageEvents.dispatchEvent(new Event('pagehide'));
    await page.persistence.stop();
    page.services.stop();
    page = openPage(page.services.baseUrl);
    await page.persistence.restored;
    reloads += 1;
  }

  function changeEndpoint() {
    // Settings > API endpoint: same page, same gate and queue; a new client, and the services restart on it.
    const next = page.services.baseUrl === SOAK_BASES[0] ? SOAK_BASES[1] : SOAK_BASES[0];
    page.services.stop();
    page.services = startServices(page, next);
    endpointChanges += 1;
  }

  function rotateKey() {
    const old = currentKey;
    currentKey = simulator.issueKey(accountId);
    page.gate.keyProvided();
    keyRotations += 1;
    // The old key is revoked a moment later: requests still carrying it are refused (a late 401, finding 5).
    setTimeout(() => {
      keyOf(old).expiresAt = simulator.now(account);
    }, between(0, 5_000));
  }

  /* -------- the batch */
  const uploads: Upload[] = [];
  function enqueue(count: number) {
    const batch = [];
    for (let n = 0; n < count; n++) {
      const index = uploads.length + 1;
      const bytes = soakWav(fileRandom, 1_000 + Math.floor(fileRandom() * 15_000));
      const upload: Upload = { index, id: `soak-${index}`, fileName: `soak-${String(index).padStart(4, '0')}.wav`, sha256: sha256Hex(bytes), bytes };
      uploads.push(upload);
      blobs.set(upload.id, new Blob([bytes]));
      batch.push({
        id: upload.id,
        fileName: upload.fileName,
        size: bytes.length,
        format: 'wav' as const,
        pipeline: 'transcription' as const,
        language: 'en-US',
        metadata: { batch: 'soak', index: String(index) },
      });
    }
    page.store.getState().uploadsQueued(batch, Date.now());
  }

  /* -------- the schedule: progress-driven events, time-driven fault regimes */
  const progressEvents: { at: number; kind: 'reload' | 'rotate' | 'endpoint'; dueSince?: number; reloadAt?: number }[] = [];
  const spread = (count: number, kind: 'reload' | 'rotate' | 'endpoint') => {
    for (let n = 0; n < count; n++) {
      const slice = 0.2 + (0.6 * (n + schedule())) / count;
      progressEvents.push({ at: Math.max(1, Math.floor(slice * options.uploads)), kind });
    }
  };
  spread(options.reloads, 'reload');
  spread(options.keyRotations, 'rotate');
  spread(options.endpointChanges, 'endpoint');
  progressEvents.sort((a, b) => a.at - b.at);
  // Files keep coming while the batch runs: most at the start, two more lots later.
  const laterBatches = [Math.floor(options.uploads * 0.2), Math.floor(options.uploads * 0.15)];

  // Faults not yet met come first; then every kind from a shuffled bag, refilled when empty.
  let bag: FaultKind[] = [];
  const shuffled = (kinds: FaultKind[]) => {
    const list = [...kinds];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(schedule() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };
  const drawKinds = (count: number): FaultKind[] => {
    const chosen: FaultKind[] = [];
    // One maintenance at a time: a second would replace the first before it answered anything.
    const fits = (kind: FaultKind) => !chosen.includes(kind) && !(kind.startsWith('maintenance-') && chosen.some((other) => other.startsWith('maintenance-')));
    for (const kind of shuffled(FAULT_KINDS.filter((candidate) => hits(candidate) === 0))) if (chosen.length < count && fits(kind)) chosen.push(kind);
    for (let tries = 0; chosen.length < count && tries < 3 * FAULT_KINDS.length; tries++) {
      if (bag.length === 0) bag = shuffled([...FAULT_KINDS]);
      const kind = bag.pop()!;
      if (fits(kind)) chosen.push(kind);
    }
    return chosen;
  };

  const consoleLog = new Map<string, RequestLogEntry>();
  const elsewhereLog = new Map<string, RequestLogEntry>();
  function collectLog() {
    for (const entry of simulator.requestLog(accountId)) {
      if (consoleLog.has(entry.requestId) || elsewhereLog.has(entry.requestId)) continue;
      (entry.fileName?.startsWith(ELSEWHERE_PREFIX) ? elsewhereLog : consoleLog).set(entry.requestId, entry);
    }
  }

  const started = Date.now();
  const items = () => page.store.getState().items;
  const acceptedCount = () => items().filter((item) => item.state === 'accepted').length;

  log(`soak seed ${options.seed}: ${options.uploads} uploads, ${options.reloads} reloads, ${options.keyRotations} key rotations, ${options.endpointChanges} endpoint changes`);
  enqueue(options.uploads - laterBatches[0]! - laterBatches[1]!);
  const batchesLeft = [...laterBatches];

  let regimeEndsAt = Date.now();
  let inRegime = false;
  let operatorRetries = 0;
  const givenUp: Record<string, number> = {};
  let nextOperatorLook = Date.now() + 5 * 60_000;
  let timedOut = false;
  let stuck = false;
  let lastProgress = { accepted: 0, at: Date.now() };

  while (acceptedCount() < options.uploads || batchesLeft.length > 0) {
    const now = Date.now();
    if (now - started > maxSimulatedMs) {
      timedOut = true;
      break;
    }
    if (acceptedCount() !== lastProgress.accepted) lastProgress = { accepted: acceptedCount(), at: now };
    if (now - lastProgress.at > stuckAfterMs) {
      stuck = true;
      break;
    }
    // Fault regimes: a burst of two or three faults at once, then a calm spell.
    if (now >= regimeEndsAt) {
      if (inRegime) {
        clearRegime();
        regimeEndsAt = now + between(3_000, 15_000);
        inRegime = false;
      } else {
        const kinds = drawKinds(schedule() < 0.5 ? 2 : 3);
        await applyRegime(kinds);
        log(`  ${((now - started) / 1000).toFixed(1)} s: ${kinds.join(' + ')}`);
        regimeEndsAt = now + between(15_000, 60_000);
        inRegime = true;
      }
    }
    // More files added while the batch runs.
    const accepted = acceptedCount();
    if (batchesLeft.length > 0 && accepted >= Math.floor(uploads.length / 2)) {
      enqueue(batchesLeft.shift()!);
    }
    while (progressEvents.length > 0 && progressEvents[0]!.at <= accepted) {
      const event = progressEvents[0]!;
      // The first reload waits (up to 3 minutes) for a Retry-After to be holding the console: people reload a page that waits.
      // The reload comes a moment into the wait, so the simulator's records tell its requests from those sent before the answer.
      if (event.kind === 'reload' && reloads === 0 && options.reloadDuringRetryAfter !== false) {
        event.dueSince ??= now;
        const holding = page.gate.getState().heldUntil > now + 2_000;
        if (holding) event.reloadAt ??= now + between(500, 1_500);
        const waitedLongEnough = now - event.dueSince >= 3 * 60_000;
        if (!waitedLongEnough && (event.reloadAt === undefined || now < event.reloadAt)) break;
        reloadsDuringRetryAfter += holding ? 1 : 0;
      }
      progressEvents.shift();
      if (event.kind === 'reload') await reload();
      else if (event.kind === 'rotate') rotateKey();
      else changeEndpoint();
      log(`  ${((Date.now() - started) / 1000).toFixed(1)} s: ${event.kind} at ${accepted} accepted`);
    }
    // The operator answers the expired-key dialog after a while with a new key.
    if (page.gate.getState().auth === 'closed') {
      keyReentryAt ??= now + between(10_000, 120_000);
      if (now >= keyReentryAt) {
        currentKey = simulator.issueKey(accountId);
        page.gate.keyProvided();
        keyReentryAt = null;
      }
    }
    // Now and then the operator looks at the queue and retries what the console gave up on.
    if (now >= nextOperatorLook) {
      nextOperatorLook = now + 5 * 60_000;
      for (const item of items()) {
        if (item.state === 'failed' && item.error && RETRYABLE_BY_OPERATOR.has(item.error.code)) {
          page.store.getState().retryNowRequested(item.id);
          operatorRetries += 1;
          givenUp[item.error.code] = (givenUp[item.error.code] ?? 0) + 1;
        }
      }
    }
    await step();
    collectLog();
  }
  clearRegime();
  const diagnosis: string[] = [];
  if (timedOut || stuck) {
    const states = new Map<string, number>();
    for (const item of items()) states.set(item.state, (states.get(item.state) ?? 0) + 1);
    diagnosis.push(
      `stranded at +${((Date.now() - started) / 1000).toFixed(1)} s: queue ${[...states].map(([state, count]) => `${state} ${count}`).join(', ')}`,
      `gate ${JSON.stringify(page.gate.getState())}, slots ${JSON.stringify(page.services.runner.slotStatus())}, poller tracks ${page.services.poller.tracked().length}`,
      ...[...pending.values()].map((entry) => `network holds ${entry.method} ${entry.url} since +${((entry.since - started) / 1000).toFixed(1)} s${entry.stalled ? ' (stalled: no answer will come)' : ''}`),
      ...[...consoleLog.values()].slice(-5).map((entry) => `last requests: ${entry.method} ${entry.path} +${((entry.startedAt - started) / 1000).toFixed(1)} s ${entry.status} ${entry.code ?? ''}`),
    );
  }
  // Let the last jobs finish, so the summary's records are complete.
  const settleUntil = Date.now() + 30_000;
  while (Date.now() < settleUntil) await step();
  clearTimeout(heartbeat);
  collectLog();
  const simulatedMs = Date.now() - started;
  page.services.stop();
  await page.persistence.stop();

  /* -------- the verdict, from the simulator's records */
  const problems: string[] = [];
  if (timedOut) problems.push(`not done after ${maxSimulatedMs / 60_000} simulated minutes`);
  if (stuck) problems.push(`no upload accepted for ${stuckAfterMs / 60_000} simulated minutes`);
  problems.push(...diagnosis);
  const jobs = account.jobs;
  let withoutJob = 0;
  let several = 0;
  let jobTotal = 0;
  const finalItems = new Map(items().map((item) => [item.id, item]));
  for (const upload of uploads) {
    const matching = jobs.filter((job) => job.file.sha256 === upload.sha256);
    jobTotal += matching.length;
    const item = finalItems.get(upload.id);
    if (matching.length === 0) withoutJob += 1;
    if (matching.length > 1) several += 1;
    if (matching.length !== 1) problems.push(`${upload.fileName}: ${matching.length} jobs in the simulator (${matching.map((job) => job.id).join(', ')})`);
    if (!item) problems.push(`${upload.fileName}: no longer in the queue`);
    else if (item.state !== 'accepted') problems.push(`${upload.fileName}: ends ${item.state} (${item.error?.code ?? 'no error'}, ${item.attempts} attempts)`);
    else if (matching.length === 1 && item.jobId !== matching[0]!.id) problems.push(`${upload.fileName}: accepted as ${item.jobId}, the simulator's job is ${matching[0]!.id}`);
    else if (matching.length === 1 && matching[0]!.file.name !== upload.fileName) problems.push(`${upload.fileName}: its job names ${matching[0]!.file.name}`);
  }

  // No request on the console's keys began inside a Retry-After the simulator gave them.
  const entries = [...consoleLog.values()].sort((a, b) => a.startedAt - b.startedAt);
  const windows = entries
    .filter((entry) => entry.retryAfter !== null && !undelivered.has(entry.requestId))
    .map((entry) => {
      const value = entry.retryAfter!;
      const until = /^\d+$/.test(value) ? entry.answeredAt + Number(value) * 1000 : Date.parse(value);
      return { from: entry.answeredAt, until, entry };
    });
  let inside = 0;
  for (const window of windows) {
    // Strictly after the answer: a request sent before the console read it is not inside.
    const during = entries.filter((entry) => entry.startedAt > window.from && entry.startedAt < window.until);
    inside += during.length;
    for (const entry of during.slice(0, 3)) {
      problems.push(
        `${entry.method} ${entry.path} started ${entry.startedAt - window.from} ms after ${window.entry.status} ${window.entry.code} (Retry-After ${window.entry.retryAfter}, until +${window.until - window.from} ms)`,
      );
    }
  }

  // The console never sent an upload into an account full of its own jobs, unless it could not know of one of them:
  // a job whose creating answer the network lost or the server garbled (a 5xx or an unreadable 2xx after accepting),
  // until the look before re-sending finds it.
  const creatingEntry = (job: SimJob) =>
    entries.find((entry) => entry.method === 'POST' && entry.fileName === job.file.name && entry.startedAt <= job.createdAt && job.createdAt <= entry.answeredAt);
  const knownToConsole = (job: SimJob) => {
    const entry = creatingEntry(job);
    return entry !== undefined && entry.status === 202 && !undelivered.has(entry.requestId) && !garbled.has(entry.requestId);
  };
  let overcommits = 0;
  let unseenJobRefusals = 0;
  for (const entry of entries) {
    if (!genuineRefusals.has(entry.requestId)) continue;
    // The simulator counts the slots when it has read the whole upload, just before it answers.
    const at = entry.answeredAt;
    const activeAt = jobs.filter((job) => job.createdAt <= at && at < job.finishesAt);
    if (activeAt.some((job) => job.file.name.startsWith(ELSEWHERE_PREFIX))) continue;
    const unseen = activeAt.filter((job) => !knownToConsole(job));
    if (unseen.length > 0) {
      unseenJobRefusals += 1;
      continue;
    }
    overcommits += 1;
    problems.push(
      `${entry.fileName}: sent at +${((at - started) / 1000).toFixed(1)} s into an account full of the console's own jobs (${activeAt.map((job) => `${job.file.name} created +${((job.createdAt - started) / 1000).toFixed(1)} s`).join(', ')})`,
    );
  }

  for (const kind of FAULT_KINDS) if (kind.startsWith('maintenance-') || kind === 'rate-limit-storm') injected[kind] = hits(kind);
  for (const kind of FAULT_KINDS) if (injected[kind] === 0) problems.push(`fault ${kind} never hit a request`);

  const report: SoakReport = {
    seed: options.seed,
    uploads: uploads.length,
    accepted: acceptedCount(),
    jobsPerUpload: uploads.length === 0 ? 0 : jobTotal / uploads.length,
    uploadsWithoutJob: withoutJob,
    uploadsWithSeveralJobs: several,
    faultsInjected: injected,
    reloads,
    reloadsDuringRetryAfter,
    keyRotations,
    expiredKeys,
    endpointChanges,
    operatorRetries,
    givenUpByCode: givenUp,
    requestsInsideRetryAfter: inside,
    retryAfterWindows: windows.length,
    overcommits,
    unseenJobRefusals,
    totalRequests: consoleLog.size,
    uploadRequests: entries.filter((entry) => entry.method === 'POST').length,
    simulatedMs,
    realMs: Math.round(performance.now() - startedReal),
    problems,
    records: { requests: entries, jobs, startedAt: started, undelivered: [...undelivered] },
  };
  return report;
}

export function formatSoakReport(report: SoakReport): string {
  const faults = Object.entries(report.faultsInjected)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  return [
    `soak seed ${report.seed}`,
    `  uploads ${report.uploads}, accepted ${report.accepted}, jobs per upload ${report.jobsPerUpload.toFixed(2)}`,
    `  faults injected: ${faults}`,
    `  reloads ${report.reloads} (${report.reloadsDuringRetryAfter} during a Retry-After), key rotations ${report.keyRotations}, expired keys ${report.expiredKeys}, endpoint changes ${report.endpointChanges}, operator retries ${report.operatorRetries} (given up on: ${Object.entries(report.givenUpByCode).map(([code, count]) => `${code} ${count}`).join(', ') || 'nothing'})`,
    `  requests inside a Retry-After ${report.requestsInsideRetryAfter} (of ${report.retryAfterWindows} Retry-After answers), overcommitted uploads ${report.overcommits} (and ${report.unseenJobRefusals} refused while a job's answer was lost)`,
    `  requests ${report.totalRequests} (${report.uploadRequests} uploads), simulated ${(report.simulatedMs / 60_000).toFixed(1)} min in ${(report.realMs / 1000).toFixed(1)} s`,
    ...(report.problems.length > 0 ? [`  problems (${report.problems.length}):`, ...report.problems.slice(0, 40).map((problem) => `    ${problem}`)] : []),
  ].join('\n');
}
