import { HttpResponse, http } from 'msw';
import { audioBytes, createUploadHarness, HARNESS_BASE, type UploadHarness } from '../../testing/upload-harness';

let h: UploadHarness;

/** Lets real asynchronous work (WebAssembly hashing, crypto.subtle in the simulator) finish between fake ticks. */
async function realTick() {
  const started = performance.now();
  for (let round = 0; round < 3 || (h?.realWorkPending() && performance.now() - started < 5_000); round++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Waits in real time (no fake time passes) for real asynchronous work such as hashing. */
async function untilReal(done: () => boolean, limitMs = 10_000) {
  const started = performance.now();
  while (!done()) {
    if (performance.now() - started > limitMs) throw new Error('condition not reached in real time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function settle(ms = 0) {
  for (let waited = 0; waited < ms; waited += 1_000) {
    await vi.advanceTimersByTimeAsync(Math.min(1_000, ms - waited));
    await realTick();
  }
  await vi.advanceTimersByTimeAsync(0);
  await realTick();
}

/** Advances fake time until `done` holds, a second at a time, failing after `limitMs`. */
async function until(done: () => boolean, limitMs = 120_000, stepMs = 100) {
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    if (done()) return;
    await vi.advanceTimersByTimeAsync(stepMs);
    await realTick();
  }
  throw new Error('condition not reached in time');
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 25, 10, 0, 30), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  h?.stop();
  vi.useRealTimers();
});

describe('authentication rows', () => {
  it('missing_api_key: nothing is sent until a key is set; the queued upload waits, then goes', async () => {
    h = createUploadHarness({ key: null });
    await h.start();
    const id = h.enqueue(audioBytes('mp3', 'a'), 'a.mp3');
    await untilReal(() => h.item(id).state !== 'hashing');
    await settle(60_000);
    expect(h.requests()).toHaveLength(0);
    expect(h.item(id).state).toBe('waiting');
    h.setKey(h.keys.full);
    await until(() => h.item(id).state === 'accepted');
    expect(h.uploadsSent()).toHaveLength(1);
  });

  it.each(['expired', 'invalid'] as const)('%s key: the gate closes, the upload returns to the queue, and resumes after a new key', async (kind) => {
    h = createUploadHarness({ key: 'full' });
    await h.start();
    if (kind === 'expired') h.simulator.expireKeyNow(h.accountId);
    else h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'invalid_api_key', remaining: 1 }] });
    const id = h.enqueue(audioBytes('mp3', kind), `${kind}.mp3`);
    await until(() => h.gate.getState().auth === 'closed');
    expect(h.gate.getState().authCode).toBe(kind === 'expired' ? 'expired_api_key' : 'invalid_api_key');
    expect(h.item(id).state).toBe('waiting');
    const sentWhileClosed = h.uploadsSent().length;
    await settle(5 * 60_000);
    expect(h.uploadsSent()).toHaveLength(sentWhileClosed);
    h.setKey(h.simulator.issueKey(h.accountId));
    await until(() => h.item(id).state === 'accepted');
    expect(h.jobs()).toHaveLength(1);
  });

  it('insufficient_permissions: not retried', async () => {
    h = createUploadHarness({ key: 'readOnly' });
    await h.start();
    const id = h.enqueue(audioBytes('mp3', 'ro'), 'ro.mp3');
    await until(() => h.item(id).state === 'failed');
    await settle(10 * 60_000);
    expect(h.uploadsSent()).toHaveLength(1);
    expect(h.item(id).error?.code).toBe('insufficient_permissions');
  });
});

describe('request rows: never retried, one attempt', () => {
  it.each([
    ['missing_required_field', 400],
    ['invalid_parameter', 400],
    ['file_too_large', 413],
  ])('%s (%i)', async (code, status) => {
    h = createUploadHarness();
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code, remaining: 1 }] });
    const id = h.enqueue(audioBytes('mp3', code), `${code}.mp3`);
    await until(() => h.item(id).state === 'failed');
    await settle(10 * 60_000);
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([status]);
    expect(h.item(id).error?.code).toBe(code);
    expect(h.item(id).attempts).toBe(1);
  });

  it('invalid_language_code from the server is not retried', async () => {
    h = createUploadHarness();
    await h.start();
    const id = h.enqueue(audioBytes('mp3', 'lang'), 'lang.mp3', { language: 'english please' });
    await until(() => h.item(id).state === 'failed');
    await settle(10 * 60_000);
    expect(h.uploadsSent().map((entry) => entry.code)).toEqual(['invalid_language_code']);
  });

  it('unsupported_media_type from the server is not retried', async () => {
    h = createUploadHarness();
    await h.start();
    const id = h.enqueue(audioBytes('png', 'picture'), 'picture.wav');
    await until(() => h.item(id).state === 'failed');
    await settle(10 * 60_000);
    expect(h.uploadsSent().map((entry) => entry.code)).toEqual(['unsupported_media_type']);
  });
});

describe('job_already_exists', () => {
  it('a real duplicate is not retried: it waits with the countdown to the end of the 60 s window', async () => {
    h = createUploadHarness();
    await h.start();
    const bytes = audioBytes('mp3', 'same');
    const first = h.enqueue(bytes, 'same.mp3');
    await until(() => h.item(first).state === 'accepted');
    const acceptedAt = h.jobs()[0]!.createdAt;
    // A second upload of the same bytes, sent by hand (the runner's own check would hold it back first).
    h.store.getState().uploadRemoved(first);
    const second = h.enqueue(bytes, 'same.mp3');
    await until(() => h.item(second).state === 'duplicate');
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([202, 409]);
    // The server's Date counts whole seconds: the countdown may end up to a second late, never early.
    expect(h.item(second).dedupUntil).toBeGreaterThanOrEqual(acceptedAt + 60_000);
    expect(h.item(second).dedupUntil).toBeLessThanOrEqual(acceptedAt + 61_000);
    await settle(5 * 60_000);
    expect(h.uploadsSent()).toHaveLength(2);
  });

  it('the runner warns before sending what the server would refuse as a duplicate', async () => {
    h = createUploadHarness();
    await h.start();
    const bytes = audioBytes('mp3', 'twice');
    const first = h.enqueue(bytes, 'twice.mp3');
    await until(() => h.item(first).state === 'accepted');
    const second = h.enqueue(bytes, 'twice.mp3');
    await until(() => h.item(second).state === 'duplicate');
    expect(h.uploadsSent()).toHaveLength(1);
    expect(h.item(second).dedupUntil).toBe(h.item(first).acceptedAt! + 60_000);
  });

  it('"submit when the window ends" sends it by itself, not a moment earlier', async () => {
    h = createUploadHarness();
    await h.start();
    const bytes = audioBytes('mp3', 'later');
    const first = h.enqueue(bytes, 'later.mp3');
    await until(() => h.item(first).state === 'accepted');
    const second = h.enqueue(bytes, 'later.mp3');
    await until(() => h.item(second).state === 'duplicate');
    h.store.getState().submitWhenWindowEndsRequested(second);
    const windowEnds = h.item(second).dedupUntil!;
    await until(() => h.item(second).state === 'accepted', 200_000);
    const sent = h.uploadsSent();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.startedAt).toBeGreaterThanOrEqual(windowEnds);
  });

  it('a 500 on an upload the server accepted ends in one job, adopted by looking before sending again', async () => {
    h = createUploadHarness();
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', phase: 'after-accept', remaining: 1 }] });
    const id = h.enqueue(audioBytes('mp3', 'landed'), 'landed.mp3');
    await until(() => h.item(id).state === 'accepted');
    expect(h.uploadsSent().map((entry) => entry.code ?? entry.status)).toEqual(['internal_error']);
    expect(h.requests().filter((entry) => entry.method === 'GET' && entry.path === '/v1/jobs')).not.toHaveLength(0);
    expect(h.jobs()).toHaveLength(1);
    expect(h.item(id)).toMatchObject({ adopted: true, jobId: h.jobs()[0]!.id });
  });

  it('a 500 after acceptance then a 429 longer than the dedup window still ends in one job (finding 8)', async () => {
    h = createUploadHarness({ random: () => 0 });
    await h.start();
    h.simulator.setFaults(h.accountId, {
      forced: [
        { endpoint: 'POST /v1/jobs', code: 'internal_error', phase: 'after-accept', remaining: 1 },
        // Every request on the key then waits 90 s, past the 60 s window in which the server would answer 409.
        { endpoint: 'GET /v1/jobs', code: 'rate_limit_exceeded', retryAfterSeconds: 90, remaining: 1 },
      ],
    });
    const id = h.enqueue(audioBytes('mp3', 'long-wait'), 'long-wait.mp3');
    await until(() => h.item(id).state === 'accepted', 300_000);
    expect(h.jobs()).toHaveLength(1);
    expect(h.uploadsSent()).toHaveLength(1);
    expect(h.item(id)).toMatchObject({ adopted: true, jobId: h.jobs()[0]!.id });
  });

  it('a 2xx whose body cannot be read counts as "may have reached the server": adopted, not sent twice (finding 8)', async () => {
    h = createUploadHarness({ random: () => 0 });
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', raw: 'invalid-json', status: 202, phase: 'after-accept', remaining: 1 }] });
    const id = h.enqueue(audioBytes('mp3', 'garbled'), 'garbled.mp3');
    await until(() => h.item(id).state === 'accepted', 300_000);
    expect(h.jobs()).toHaveLength(1);
    expect(h.uploadsSent()).toHaveLength(1);
    expect(h.item(id).adopted).toBe(true);
  });

  it('with the server clock behind the browser, "submit when the window ends" sends once, after the window (finding 9)', async () => {
    h = createUploadHarness({ account: { clockOffsetMs: -45_000 } });
    await h.start();
    const bytes = audioBytes('mp3', 'skew');
    const first = h.enqueue(bytes, 'skew.mp3');
    await until(() => h.item(first).state === 'accepted');
    // Sent by hand as a second upload (the runner's own check would hold it back first).
    h.store.getState().uploadRemoved(first);
    const second = h.enqueue(bytes, 'skew.mp3');
    await until(() => h.item(second).state === 'duplicate');
    h.store.getState().submitWhenWindowEndsRequested(second);
    await until(() => h.item(second).state === 'accepted', 200_000);
    const sent = h.uploadsSent();
    expect(sent.map((entry) => entry.status)).toEqual([202, 409, 202]);
    // The simulator's own clock: the third upload started after the first job's window ended.
    expect(sent[2]!.startedAt).toBeGreaterThanOrEqual(h.jobs()[0]!.createdAt + 60_000);
  });

  it('a reload more than 60 s after an attempt that was under way looks before sending, and adopts (finding 8)', async () => {
    h = createUploadHarness();
    await h.start();
    const bytes = audioBytes('mp3', 'reloaded');
    const first = h.enqueue(bytes, 'reloaded.mp3');
    await until(() => h.item(first).state === 'accepted');
    const attemptStartedAt = h.item(first).firstAttemptAt!;
    const sha256 = h.item(first).sha256!;
    // The page went away while that upload was in flight: what the reload finds is the upload mid-send, its answer never read.
    h.store.getState().uploadRemoved(first);
    await settle(2 * 60_000);
    h.store.getState().uploadsQueued([{ id: 'restored', fileName: 'reloaded.mp3', size: bytes.length, format: 'mp3', pipeline: 'transcription', language: 'en-US', metadata: {}, sha256 }], Date.now());
    h.store.setState((state) => ({ items: state.items.map((item) => (item.id === 'restored' ? { ...item, state: 'uploading', attempts: 1, firstAttemptAt: attemptStartedAt } : item)) }));
    h.store.getState().sessionRestored();
    await until(() => h.item('restored').state === 'accepted');
    expect(h.uploadsSent()).toHaveLength(1);
    expect(h.jobs()).toHaveLength(1);
    expect(h.item('restored')).toMatchObject({ adopted: true, jobId: h.jobs()[0]!.id });
  });
});

describe('a queued upload whose bytes are gone', () => {
  it('is adopted when its job exists (accepted just before a reload that did not save it), failed as missing otherwise', async () => {
    h = createUploadHarness();
    await h.start();
    const bytes = audioBytes('mp3', 'saved-late');
    const first = h.enqueue(bytes, 'saved-late.mp3');
    await until(() => h.item(first).state === 'accepted');
    const { sha256, addedAt } = h.item(first);
    h.store.getState().uploadRemoved(first);
    // What the reload found: the upload still waiting, its bytes already moved out of the queue.
    h.store.getState().uploadsQueued([{ id: 'no-bytes', fileName: 'saved-late.mp3', size: bytes.length, format: 'mp3', pipeline: 'transcription', language: 'en-US', metadata: {}, sha256 }], addedAt);
    await until(() => h.item('no-bytes').state === 'accepted');
    expect(h.item('no-bytes')).toMatchObject({ adopted: true, jobId: h.jobs()[0]!.id });
    expect(h.uploadsSent()).toHaveLength(1);

    h.store.getState().uploadsQueued([{ id: 'truly-gone', fileName: 'never-sent.mp3', size: 10, format: 'mp3', pipeline: 'transcription', language: 'en-US', metadata: {}, sha256: 'f'.repeat(64) }], Date.now());
    await until(() => h.item('truly-gone').state === 'failed');
    expect(h.item('truly-gone').error?.code).toBe('file_missing');
    expect(h.uploadsSent()).toHaveLength(1);
  });
});

describe('a 409 for a job made after the upload was queued', () => {
  it('is adopted: an attempt whose answer the queue never saved (the page went away) made it', async () => {
    h = createUploadHarness();
    await h.start();
    const bytes = audioBytes('mp3', 'unsaved-attempt');
    const first = h.enqueue(bytes, 'unsaved-attempt.mp3');
    await until(() => h.item(first).state === 'accepted');
    const { sha256, addedAt } = h.item(first);
    h.store.getState().uploadRemoved(first);
    // The saved queue lagged: after the reload it still shows the upload as never attempted, its bytes still there.
    h.store.getState().uploadsQueued([{ id: 'upload-1', fileName: 'unsaved-attempt.mp3', size: bytes.length, format: 'mp3', pipeline: 'transcription', language: 'en-US', metadata: {}, sha256 }], addedAt - 2_000);
    await until(() => h.item('upload-1').state === 'accepted');
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([202, 409]);
    expect(h.jobs()).toHaveLength(1);
    expect(h.item('upload-1')).toMatchObject({ adopted: true, jobId: h.jobs()[0]!.id });
  });
});

describe('rate_limit_exceeded', () => {
  it.each(['seconds', 'http-date'] as const)('waits Retry-After (%s) plus at most 250 ms, and holds every request on the key meanwhile', async (form) => {
    h = createUploadHarness({ random: () => 0.999, account: { tier: 'growth', timing: { queueMs: [1_000, 1_000], processMs: [60_000, 60_000] } } });
    await h.start();
    // A job already running, so the poller has requests to make during the wait.
    const running = h.enqueue(audioBytes('mp3', `${form}-running`), `${form}-running.mp3`);
    await until(() => h.item(running).state === 'accepted');
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'rate_limit_exceeded', retryAfterSeconds: 7, retryAfterForm: form, remaining: 2 }] });
    const ids = ['a', 'b'].map((tag) => h.enqueue(audioBytes('mp3', `${form}-${tag}`), `${form}-${tag}.mp3`));
    await until(() => ids.every((id) => h.item(id).state === 'accepted'));
    const sent = h.uploadsSent().slice(1);
    expect(sent.map((entry) => entry.status).sort()).toEqual([202, 202, 429, 429]);
    const refusals = sent.filter((entry) => entry.status === 429);
    // No request of any kind on the key (uploads, polls, account reads) went out during a wait.
    for (const refusal of refusals) {
      const named = form === 'seconds' ? refusal.answeredAt + Number(refusal.retryAfter) * 1000 : Date.parse(refusal.retryAfter!);
      // An HTTP-date names a whole second: the simulator rounds 7 s up to the next one.
      expect(named).toBeGreaterThanOrEqual(refusal.answeredAt + 7_000);
      expect(named).toBeLessThan(refusal.answeredAt + (form === 'http-date' ? 8_000 : 7_001));
      const during = h.requests().filter((request) => request.startedAt > refusal.answeredAt && request.startedAt < named);
      expect(during).toEqual([]);
    }
    // Each retry: the time named, plus the jitter at its top (random 0.999: 249 ms); the server's Date counts whole
    // seconds, so an HTTP-date may be waited for up to a second longer, never shorter.
    for (const id of ids) {
      for (const entry of h.retrySchedule(id)) {
        const refusal = refusals.find((candidate) => candidate.answeredAt === entry.failedAt)!;
        const named = form === 'seconds' ? refusal.answeredAt + 7_000 : Date.parse(refusal.retryAfter!);
        expect(entry.retryAt).toBeGreaterThanOrEqual(named + 249);
        expect(entry.retryAt).toBeLessThanOrEqual(named + 249 + (form === 'http-date' ? 1_000 : 0));
      }
      expect(h.item(id).failures).toBe(0);
    }
    const afterWait = h.requests().filter((request) => request.startedAt >= refusals[0]!.answeredAt + 7_000);
    expect(afterWait.some((request) => request.path === '/v1/jobs' && request.method === 'GET')).toBe(true);
  });
});

describe('concurrent_jobs_exceeded', () => {
  it('goes back to the queue as waiting for a slot, with no timer retry, and is sent when a job ends', async () => {
    h = createUploadHarness({ account: { tier: 'starter', timing: { queueMs: [1_000, 1_000], processMs: [40_000, 40_000] } } });
    await h.start();
    const ids = ['a', 'b', 'c'].map((tag) => h.enqueue(audioBytes('mp3', tag), `${tag}.mp3`));
    await until(() => h.item(ids[1]!).state === 'accepted');
    // A job started elsewhere takes the slot the runner thinks is free.
    expect(h.item(ids[2]!).state).toBe('waiting');
    expect(h.uploadsSent()).toHaveLength(2);
    await settle(30_000);
    expect(h.uploadsSent()).toHaveLength(2);
    await until(() => h.item(ids[2]!).state === 'accepted', 120_000);
    const third = h.uploadsSent()[2]!;
    const firstJobEnd = h.jobs()[0]!.finishesAt;
    expect(third.startedAt).toBeGreaterThanOrEqual(firstJobEnd);
  });

  it('a 429 concurrent_jobs_exceeded from the server returns the upload to the queue without failing it', async () => {
    h = createUploadHarness();
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'concurrent_jobs_exceeded', remaining: 1 }] });
    const id = h.enqueue(audioBytes('mp3', 'slot'), 'slot.mp3');
    const states: string[] = [];
    h.store.subscribe((state) => states.push(state.items[0]!.state));
    await until(() => h.item(id).state === 'accepted');
    // Sent again only once the account showed a free slot: no failure counted, no timer.
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([429, 202]);
    expect(states).not.toContain('failed');
    expect(states).not.toContain('retrying');
    expect(h.item(id).failures).toBe(0);
  });
});

describe('server and network rows', () => {
  it.each([0, 0.5, 0.999])('internal_error: 4 attempts in all, full-jitter delays within min(30 s, 1 s * 2^(n-1)) (random %s)', async (r) => {
    h = createUploadHarness({ random: () => r });
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error' }] });
    const id = h.enqueue(audioBytes('mp3', `ie${r}`), 'ie.mp3');
    await until(() => h.item(id).state === 'failed');
    await settle(10 * 60_000);
    const sent = h.uploadsSent();
    expect(sent).toHaveLength(4);
    // error-behaviour.md: base 1 s, cap 30 s, full jitter: ceilings 1 s, 2 s, 4 s for attempts 1 to 3.
    expect(h.retryDelays(id)).toEqual([1_000, 2_000, 4_000].map((ceiling) => Math.floor(r * ceiling)));
    for (const [index, entry] of h.retrySchedule(id).entries()) expect(sent[index + 1]!.startedAt).toBeGreaterThanOrEqual(entry.retryAt);
    expect(h.item(id).error?.code).toBe('internal_error');
  });

  it('service_unavailable with Retry-After waits exactly that long and does not use up attempts', async () => {
    h = createUploadHarness({ random: () => 0.9 });
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'service_unavailable', retryAfterSeconds: 45, remaining: 5 }] });
    const id = h.enqueue(audioBytes('mp3', 'maint'), 'maint.mp3');
    await until(() => h.item(id).state === 'accepted', 600_000);
    const sent = h.uploadsSent();
    // Five 503s and then the upload: more than the 4 attempts backoff allows, because named waits are not failures.
    expect(sent.map((entry) => entry.status)).toEqual([503, 503, 503, 503, 503, 202]);
    expect(h.item(id)).toMatchObject({ failures: 0, attempts: 6 });
    // Exactly the 45 s the server named, no jitter, never earlier.
    h.retrySchedule(id).forEach((entry, index) => {
      expect(entry.retryAt - entry.failedAt).toBe(45_000);
      expect(sent[index + 1]!.startedAt).toBeGreaterThanOrEqual(sent[index]!.answeredAt + 45_000);
    });
  });

  it('a 503 without Retry-After: one probe at a time, spaced by the backoff, until the service answers (found by the soak)', async () => {
    h = createUploadHarness({ random: () => 0.5, account: { tier: 'growth', timing: { queueMs: [500, 500], processMs: [2_000, 2_000] } } });
    await h.start();
    const first = h.enqueue(audioBytes('mp3', 'outage-first'), 'outage-first.mp3');
    await until(() => h.item(first).state === 'accepted');
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'service_unavailable', remaining: 9 }] });
    const ids = Array.from({ length: 9 }, (_, index) => h.enqueue(audioBytes('mp3', `outage-${index}`), `outage-${index}.mp3`));
    await until(() => ids.every((id) => ['accepted', 'failed'].includes(h.item(id).state)), 900_000);
    expect(ids.filter((id) => h.item(id).state === 'failed')).toEqual([]);
    const refusals = h.uploadsSent().filter((entry) => entry.status === 503);
    expect(refusals).toHaveLength(9);
    // The first wave went out before anything was known; after it, each probe waits for the backoff (random 0.5 of
    // 5 s, 10 s, ...: at least 2.5 s) before the next request, never back to back.
    const probes = refusals.slice(refusals.filter((entry) => entry.startedAt === refusals[0]!.startedAt).length);
    expect(probes.length).toBeGreaterThan(0);
    let previous = refusals[0]!;
    for (const probe of probes) {
      expect(probe.startedAt - previous.answeredAt).toBeGreaterThanOrEqual(2_500);
      previous = probe;
    }
    expect(h.jobs()).toHaveLength(10);
  });

  it('maintenance on every endpoint: nothing on the key is sent until the Retry-After has passed', async () => {
    h = createUploadHarness({ random: () => 0.9 });
    await h.start();
    h.simulator.setFaults(h.accountId, { maintenanceSeconds: 45, maintenanceRetryAfter: 'seconds' });
    const id = h.enqueue(audioBytes('mp3', 'maint-all'), 'maint-all.mp3');
    await until(() => h.item(id).state === 'accepted', 300_000);
    const first = h.requests()[0]!;
    expect(first.status).toBe(503);
    for (const request of h.requests().slice(1)) expect(request.startedAt).toBeGreaterThanOrEqual(first.answeredAt + 45_000);
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([202]);
  });

  it('service_unavailable without Retry-After backs off from 5 s (cap 60 s)', async () => {
    h = createUploadHarness({ random: () => 0.5 });
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'service_unavailable', remaining: 3 }] });
    const id = h.enqueue(audioBytes('mp3', '503'), '503.mp3');
    await until(() => h.item(id).state === 'accepted', 300_000);
    expect(h.uploadsSent().map((entry) => entry.code)).toEqual(['service_unavailable', 'service_unavailable', 'service_unavailable', null]);
    // error-behaviour.md: base 5 s, cap 60 s: ceilings 5 s, 10 s, 20 s; random 0.5 takes half of each.
    expect(h.retryDelays(id)).toEqual([2_500, 5_000, 10_000]);
  });

  it('network failure: retried with backoff like a 500, and held while the browser is offline', async () => {
    h = createUploadHarness({ random: () => 0.5 });
    await h.start();
    let failNext = 2;
    h.server.use(
      http.post(`${HARNESS_BASE}/v1/jobs`, () => {
        if (failNext > 0) {
          failNext -= 1;
          return HttpResponse.error();
        }
        return undefined;
      }),
    );
    h.setOnline(false);
    const id = h.enqueue(audioBytes('mp3', 'net'), 'net.mp3');
    await settle(30_000);
    expect(h.item(id).attempts).toBe(0);
    h.setOnline(true);
    await until(() => h.item(id).state === 'accepted');
    expect(h.item(id).attempts).toBe(3);
    expect(h.item(id).mayHaveReachedServer).toBe(true);
  });

  it('an unknown 5xx code is retried like internal_error; an unknown 4xx is not retried', async () => {
    h = createUploadHarness({ random: () => 0 });
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'upstream_hiccup', status: 502, remaining: 1 }] });
    const retried = h.enqueue(audioBytes('mp3', 'u5'), 'u5.mp3');
    await until(() => h.item(retried).state === 'accepted');
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([502, 202]);

    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'quota_frozen', status: 422, remaining: 1 }] });
    const refused = h.enqueue(audioBytes('mp3', 'u4'), 'u4.mp3');
    await until(() => h.item(refused).state === 'failed');
    await settle(60_000);
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([502, 202, 422]);
    expect(h.item(refused).error?.code).toBe('quota_frozen');
  });

  it('a malformed body is handled by status class: an HTML 502 is retried, a garbled 400 is not', async () => {
    h = createUploadHarness({ random: () => 0 });
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', raw: 'html-502', remaining: 1 }] });
    const retried = h.enqueue(audioBytes('mp3', 'm5'), 'm5.mp3');
    await until(() => h.item(retried).state === 'accepted');
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', raw: 'wrong-shape', status: 400, remaining: 1 }] });
    const refused = h.enqueue(audioBytes('mp3', 'm4'), 'm4.mp3');
    await until(() => h.item(refused).state === 'failed');
    await settle(60_000);
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([502, 202, 400]);
    expect(h.item(refused).error).toMatchObject({ code: 'malformed_response', status: 400 });
  });
});

describe('the queue', () => {
  it('a batch on a 2-slot tier never has more than 2 uploads or jobs active at once, and drains by itself', async () => {
    h = createUploadHarness({ account: { tier: 'starter', timing: { queueMs: [500, 1_500], processMs: [3_000, 9_000] } }, random: () => 0.3 });
    await h.start();
    const ids = Array.from({ length: 8 }, (_, index) => h.enqueue(audioBytes('mp3', `batch-${index}`), `batch-${index}.mp3`));
    await until(() => ids.every((id) => h.item(id).state === 'accepted'), 600_000);
    expect(h.uploadsSent().filter((entry) => entry.status === 429)).toHaveLength(0);
    const jobs = h.jobs();
    expect(jobs).toHaveLength(8);
    for (const job of jobs) {
      const overlapping = jobs.filter((other) => other.createdAt <= job.createdAt && job.createdAt < other.finishesAt);
      expect(overlapping.length).toBeLessThanOrEqual(2);
    }
  });

  it('cancel stops an upload in flight for good: nothing more is sent; retry now brings it back', async () => {
    h = createUploadHarness();
    await h.start();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.server.use(
      http.post(`${HARNESS_BASE}/v1/jobs`, async () => {
        await held;
        return HttpResponse.error();
      }, { once: true }),
    );
    const id = h.enqueue(audioBytes('mp3', 'cancel'), 'cancel.mp3');
    await until(() => h.item(id).state === 'uploading');
    h.store.getState().uploadCancelled(id);
    release();
    await settle(10 * 60_000);
    expect(h.item(id)).toMatchObject({ state: 'cancelled', attempts: 1 });
    expect(h.uploadsSent()).toHaveLength(0);
    expect(h.jobs()).toHaveLength(0);
    h.store.getState().retryNowRequested(id);
    await until(() => h.item(id).state === 'accepted');
    expect(h.uploadsSent()).toHaveLength(1);
    expect(h.jobs()).toHaveLength(1);
  });
});

describe('cancel means "may have landed"', () => {
  it('an upload cancelled while its answer was on its way, then "Retry now" after the dedup window: looked up first, adopted, one job', async () => {
    h = createUploadHarness();
    await h.start();
    // The simulator makes the job, then its answer is held on the way back until the test lets it go.
    let release!: () => void;
    const answerHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    const answer = h.simulator.handle.bind(h.simulator);
    h.simulator.handle = async (request) => {
      const response = await answer(request);
      if (request.method === 'POST' && request.path === '/v1/jobs') await answerHeld;
      return response;
    };
    const id = h.enqueue(audioBytes('mp3', 'cancel-late'), 'cancel-late.mp3');
    await until(() => h.jobs().length === 1);
    expect(h.item(id).state).toBe('uploading');
    h.store.getState().uploadCancelled(id);
    release();
    // Past the server's 60 s window: a second send would no longer be refused as a duplicate.
    await settle(2 * 60_000);
    expect(h.item(id).state).toBe('cancelled');
    h.store.getState().retryNowRequested(id);
    await until(() => h.item(id).state === 'accepted');
    expect(h.jobs()).toHaveLength(1);
    expect(h.uploadsSent()).toHaveLength(1);
    expect(h.item(id)).toMatchObject({ adopted: true, jobId: h.jobs()[0]!.id });
  });
});

describe('held duplicates resolve', () => {
  /** Two files with the same bytes, queued together as one batch (one form submit). */
  function queueTwins(name1: string, name2: string, tag: string) {
    const bytes = audioBytes('flac', tag);
    const [first, second] = h.enqueueBatch([
      { bytes, fileName: name1 },
      { bytes: bytes.slice(), fileName: name2 },
    ]) as [string, string];
    return { first, second };
  }

  it('the same bytes twice in one batch (a FLAC also saved as .mp3): the second is skipped, says which file it repeats, and stays unsent', async () => {
    h = createUploadHarness();
    await h.start();
    const { first, second } = queueTwins('take.flac', 'take.mp3', 'twins');
    await until(() => h.item(first).state === 'accepted' && h.item(second).state === 'skipped');
    expect(h.item(second).duplicateOf).toMatchObject({ uploadId: first, fileName: 'take.flac', sameBatch: true });
    await settle(5 * 60_000);
    expect(h.item(second).state).toBe('skipped');
    expect(h.uploadsSent()).toHaveLength(1);
    expect(h.jobs()).toHaveLength(1);
  });

  it('"Send anyway" on a skipped twin sends it by itself once the window of the first ends: two jobs, the second after the window', async () => {
    h = createUploadHarness();
    await h.start();
    const { first, second } = queueTwins('take.flac', 'take.mp3', 'anyway');
    await until(() => h.item(first).state === 'accepted' && h.item(second).state === 'skipped');
    h.store.getState().sendAnywayRequested(second);
    await until(() => h.item(second).state === 'accepted', 200_000);
    const sent = h.uploadsSent();
    expect(sent.map((entry) => entry.status)).toEqual([202, 202]);
    expect(sent[1]!.startedAt).toBeGreaterThanOrEqual(h.jobs()[0]!.createdAt + 60_000);
    expect(h.jobs()).toHaveLength(2);
    expect(h.item(second).jobId).not.toBe(h.item(first).jobId);
  });

  it('a file held because an upload of a moment ago had the same bytes names that upload and its job', async () => {
    h = createUploadHarness();
    await h.start();
    const bytes = audioBytes('mp3', 'again');
    const first = h.enqueue(bytes, 'again.mp3');
    await until(() => h.item(first).state === 'accepted');
    const second = h.enqueue(bytes, 'again-copy.mp3');
    await until(() => h.item(second).state === 'duplicate');
    expect(h.item(second).duplicateOf).toEqual({ uploadId: first, fileName: 'again.mp3', jobId: h.jobs()[0]!.id, sameBatch: false });
  });

  it('a duplicate the server refused names the job it repeats', async () => {
    h = createUploadHarness();
    await h.start();
    const bytes = audioBytes('mp3', 'server-held');
    const first = h.enqueue(bytes, 'server-held.mp3');
    await until(() => h.item(first).state === 'accepted');
    h.store.getState().uploadRemoved(first);
    const second = h.enqueue(bytes, 'server-held.mp3');
    await until(() => h.item(second).state === 'duplicate');
    expect(h.uploadsSent().map((entry) => entry.status)).toEqual([202, 409]);
    expect(h.item(second).duplicateOf).toEqual({ uploadId: null, fileName: 'server-held.mp3', jobId: h.jobs()[0]!.id, sameBatch: false });
  });

  it('a held file the person did not ask to send is skipped when the window ends, not held for good; nothing more is sent', async () => {
    h = createUploadHarness();
    await h.start();
    const bytes = audioBytes('mp3', 'ends');
    const first = h.enqueue(bytes, 'ends.mp3');
    await until(() => h.item(first).state === 'accepted');
    const second = h.enqueue(bytes, 'ends.mp3');
    await until(() => h.item(second).state === 'duplicate');
    const windowEnds = h.item(second).dedupUntil!;
    await until(() => Date.now() >= windowEnds, 120_000, 1_000);
    await settle(1_000);
    expect(h.item(second)).toMatchObject({ state: 'skipped', duplicateOf: { uploadId: first } });
    await settle(5 * 60_000);
    expect(h.uploadsSent()).toHaveLength(1);
  });

  it('an upload refused as a duplicate of a job another upload in the queue holds is held naming that upload, never given its job', async () => {
    h = createUploadHarness({ account: { tier: 'starter', timing: { queueMs: [1_000, 1_000], processMs: [10_000, 10_000] } } });
    await h.start();
    // The first upload's request waits on the way in; meanwhile a second upload of the same bytes (another batch) lands first.
    let letIn!: () => void;
    const heldIn = new Promise<void>((resolve) => {
      letIn = resolve;
    });
    const answer = h.simulator.handle.bind(h.simulator);
    let posts = 0;
    h.simulator.handle = async (request) => {
      if (request.method === 'POST' && request.path === '/v1/jobs' && ++posts === 1) await heldIn;
      return answer(request);
    };
    const bytes = audioBytes('mp3', 'race');
    const a = h.enqueue(bytes, 'race-a.mp3');
    await until(() => h.item(a).state === 'uploading');
    await settle(1_000);
    const b = h.enqueue(bytes, 'race-b.mp3');
    await until(() => h.item(b).state === 'accepted');
    letIn();
    await until(() => h.item(a).state !== 'uploading');
    expect(h.jobs()).toHaveLength(1);
    expect(h.item(a).jobId).toBeNull();
    expect(h.item(a)).toMatchObject({ state: 'duplicate', duplicateOf: { uploadId: b, fileName: 'race-b.mp3', jobId: h.item(b).jobId } });
  });
});

describe('slots', () => {
  it('an upload waiting for slots held by jobs started elsewhere is sent once they end, with no other event (finding 3)', async () => {
    h = createUploadHarness({ account: { tier: 'starter', seedJobs: 2, seedActiveJobs: 2 } });
    await h.start();
    const id = h.enqueue(audioBytes('mp3', 'elsewhere'), 'elsewhere.mp3');
    await until(() => h.item(id).state === 'accepted', 120_000);
    // One slot is enough: the upload may go once the first of the two outside jobs ends.
    const firstOutsideEnd = Math.min(...h.jobs().slice(0, 2).map((job) => job.finishesAt));
    const sent = h.uploadsSent();
    expect(sent.map((entry) => entry.status)).toEqual([202]);
    expect(sent[0]!.startedAt).toBeGreaterThanOrEqual(firstOutsideEnd);
    // The account is re-read every 10 s while the upload waits: it goes within one period (and a request's time) of the end.
    expect(sent[0]!.startedAt).toBeLessThanOrEqual(firstOutsideEnd + 11_000);
  });

  it('a 429 concurrent_jobs_exceeded carrying Retry-After is not sent again before it (finding 15)', async () => {
    h = createUploadHarness();
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'concurrent_jobs_exceeded', retryAfterSeconds: 12, remaining: 1 }] });
    const id = h.enqueue(audioBytes('mp3', 'named-slot-wait'), 'named-slot-wait.mp3');
    await until(() => h.item(id).state === 'accepted');
    const sent = h.uploadsSent();
    expect(sent.map((entry) => entry.status)).toEqual([429, 202]);
    expect(sent[1]!.startedAt).toBeGreaterThanOrEqual(sent[0]!.answeredAt + 12_000);
    expect(h.item(id).failures).toBe(0);
  });

  it('a key that may upload but not read the account still uploads, one at a time, and says why (finding 13)', async () => {
    h = createUploadHarness({ account: { tier: 'starter' } });
    const account = h.simulator.account(h.accountId);
    account.keys[0]!.scopes = account.keys[0]!.scopes.filter((scope) => scope !== 'account:read');
    await h.start();
    const ids = ['a', 'b', 'c'].map((tag) => h.enqueue(audioBytes('mp3', `no-account-${tag}`), `no-account-${tag}.mp3`));
    await until(() => ids.every((id) => h.item(id).state === 'accepted'), 300_000);
    expect(h.jobs()).toHaveLength(3);
    expect(h.runner.slotStatus().account).toBe('forbidden');
    const uploads = h.uploadsSent();
    for (let index = 1; index < uploads.length; index++) expect(uploads[index]!.startedAt).toBeGreaterThanOrEqual(uploads[index - 1]!.answeredAt);
  });

  it('an IndexedDB error reading a queued file frees its slot, retries, then fails visibly; the rest of the batch goes (finding 6)', async () => {
    h = createUploadHarness({ account: { tier: 'starter' }, blobReadFails: (id) => id === 'upload-1' });
    await h.start();
    // Known bytes so the hash step can run: the failure is in the read before sending only.
    const ids = ['a', 'b', 'c'].map((tag) => h.enqueue(audioBytes('mp3', `idb-${tag}`), `idb-${tag}.mp3`));
    h.store.setState((state) => ({ items: state.items.map((item) => (item.state === 'hashing' ? { ...item, state: 'waiting', sha256: `${item.id}`.padEnd(64, '0') } : item)) }));
    await until(() => h.item(ids[0]!).state === 'failed' && h.item(ids[2]!).state === 'accepted', 120_000);
    expect(h.item(ids[0]!).error).toMatchObject({ code: 'file_unreadable' });
    expect(h.item(ids[0]!).error!.message).toMatch(/add the file again/i);
    expect(h.item(ids[1]!).state).toBe('accepted');
    expect(h.runner.slotStatus().inFlight).toBe(0);
  });

  it('a runner stopped mid-upload (endpoint change, page going away) puts the upload back, never failed, and the next one sends it once (finding 11)', async () => {
    h = createUploadHarness();
    await h.start();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.server.use(
      http.post(`${HARNESS_BASE}/v1/jobs`, async () => {
        await held;
        return HttpResponse.error();
      }, { once: true }),
    );
    const id = h.enqueue(audioBytes('mp3', 'switch'), 'switch.mp3');
    await until(() => h.item(id).state === 'uploading');
    const states: string[] = [];
    h.store.subscribe((state) => states.push(state.items[0]!.state));
    h.restartRunner();
    release();
    await until(() => h.item(id).state === 'accepted');
    expect(states).not.toContain('failed');
    expect(h.jobs()).toHaveLength(1);
    expect(h.item(id).adopted).toBe(false);
  });
});

describe('hashing while offline (fault matrix: network failure, offline)', () => {
  it('a hash that fails while offline holds the file, not fails it, and it is hashed and sent once online again', async () => {
    let hasherLoads = false;
    h = createUploadHarness({ hashFails: () => !hasherLoads });
    await h.start();
    h.setOnline(false);
    const id = h.enqueue(audioBytes('mp3', 'offline'), 'offline.mp3');
    await settle(60_000);
    expect(h.item(id).state).toBe('hashing');
    expect(h.item(id).error).toBeNull();
    expect(h.requests()).toHaveLength(0);
    hasherLoads = true;
    h.setOnline(true);
    await until(() => h.item(id).state === 'accepted');
    expect(h.jobs()).toHaveLength(1);
  });

  it('online, a hash that fails is a visible failure, as before', async () => {
    h = createUploadHarness({ hashFails: () => true });
    await h.start();
    const id = h.enqueue(audioBytes('mp3', 'online'), 'online.mp3');
    await until(() => h.item(id).state === 'failed');
    expect(h.item(id).error?.code).toBe('hash_failed');
  });
});

