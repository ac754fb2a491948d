import { HttpResponse, http } from 'msw';
import { backoffCeiling } from '../../lib/backoff';
import { audioBytes, createUploadHarness, HARNESS_BASE, type UploadHarness } from '../../testing/upload-harness';

let h: UploadHarness;

/** Lets real asynchronous work (WebAssembly hashing, crypto.subtle in the simulator) finish between fake ticks. */
async function realTick() {
  for (let round = 0; round < 3; round++) await new Promise((resolve) => setImmediate(resolve));
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
    expect(h.item(second).dedupUntil).toBe(acceptedAt + 60_000);
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

  it('a 500 on an upload the server accepted ends in one job, adopted, not two', async () => {
    h = createUploadHarness();
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', phase: 'after-accept', remaining: 1 }] });
    const id = h.enqueue(audioBytes('mp3', 'landed'), 'landed.mp3');
    await until(() => h.item(id).state === 'accepted');
    expect(h.uploadsSent().map((entry) => entry.code ?? entry.status)).toEqual(['internal_error', 'job_already_exists']);
    expect(h.jobs()).toHaveLength(1);
    expect(h.item(id)).toMatchObject({ adopted: true, jobId: h.jobs()[0]!.id });
  });
});

describe('rate_limit_exceeded', () => {
  it.each(['seconds', 'http-date'] as const)('waits exactly Retry-After (%s) plus at most 250 ms, and holds every request meanwhile', async (form) => {
    h = createUploadHarness({ random: () => 0.999 });
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'rate_limit_exceeded', retryAfterSeconds: 7, retryAfterForm: form, remaining: 2 }] });
    const id = h.enqueue(audioBytes('mp3', form), `${form}.mp3`);
    await until(() => h.item(id).state === 'accepted');
    const sent = h.uploadsSent();
    expect(sent.map((entry) => entry.status)).toEqual([429, 429, 202]);
    // Random 0.999 puts the jitter at its top: the time the server named plus 249 ms, never less.
    const schedule = h.retrySchedule(id);
    const named = sent.slice(0, 2).map((entry) => entry.retryAfter!);
    if (form === 'seconds') expect(h.retryDelays(id)).toEqual(named.map((value) => Number(value) * 1000 + 249));
    else expect(schedule.map((entry) => entry.retryAt)).toEqual(named.map((value) => Date.parse(value) + 249));
    for (const [index, entry] of schedule.entries()) expect(sent[index + 1]!.startedAt).toBeGreaterThanOrEqual(entry.retryAt);
    // No request of any kind on the key went out during a wait.
    const waits = sent.filter((entry) => entry.status === 429).map((entry) => [entry.answeredAt, entry.answeredAt + 7_000]);
    for (const request of h.requests()) {
      for (const [from, to] of waits) expect(request.startedAt > from! && request.startedAt < to!).toBe(false);
    }
    expect(h.item(id).failures).toBe(0);
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
    expect(h.retryDelays(id)).toEqual([1, 2, 3].map((attempt) => Math.floor(r * backoffCeiling(attempt, 1_000, 30_000))));
    for (const [index, entry] of h.retrySchedule(id).entries()) expect(sent[index + 1]!.startedAt).toBeGreaterThanOrEqual(entry.retryAt);
    expect(h.item(id).error?.code).toBe('internal_error');
  });

  it('service_unavailable with Retry-After waits exactly that long and does not use up attempts', async () => {
    h = createUploadHarness({ random: () => 0.9 });
    await h.start();
    h.simulator.setFaults(h.accountId, { maintenanceSeconds: 45, maintenanceRetryAfter: 'seconds' });
    const id = h.enqueue(audioBytes('mp3', 'maint'), 'maint.mp3');
    await until(() => h.item(id).state === 'accepted', 300_000);
    const sent = h.uploadsSent();
    expect(sent.at(-1)!.status).toBe(202);
    for (const entry of sent.slice(0, -1)) expect(entry.code).toBe('service_unavailable');
    // Exactly the Retry-After the server sent: the seconds left in the window, no jitter, never earlier.
    const schedule = h.retrySchedule(id);
    schedule.forEach((entry, index) => {
      expect(entry.retryAt - entry.failedAt).toBe(Number(sent[index]!.retryAfter) * 1000);
      expect(sent[index + 1]!.startedAt).toBeGreaterThanOrEqual(entry.retryAt);
    });
    expect(sent.at(-1)!.startedAt).toBeGreaterThanOrEqual(sent[0]!.answeredAt + 45_000 - 1_000);
  });

  it('service_unavailable without Retry-After backs off from 5 s (cap 60 s)', async () => {
    h = createUploadHarness({ random: () => 0.5 });
    await h.start();
    h.simulator.setFaults(h.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'service_unavailable', remaining: 3 }] });
    const id = h.enqueue(audioBytes('mp3', '503'), '503.mp3');
    await until(() => h.item(id).state === 'accepted', 300_000);
    expect(h.uploadsSent().map((entry) => entry.code)).toEqual(['service_unavailable', 'service_unavailable', 'service_unavailable', null]);
    expect(h.retryDelays(id)).toEqual([1, 2, 3].map((attempt) => Math.floor(0.5 * backoffCeiling(attempt, 5_000, 60_000))));
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

  it('cancel stops an upload for good; retry now brings it back', async () => {
    h = createUploadHarness({ key: null });
    await h.start();
    const id = h.enqueue(audioBytes('mp3', 'cancel'), 'cancel.mp3');
    await settle(1_000);
    h.store.getState().uploadCancelled(id);
    h.setKey(h.keys.full);
    await settle(60_000);
    expect(h.uploadsSent()).toHaveLength(0);
    h.store.getState().retryNowRequested(id);
    await until(() => h.item(id).state === 'accepted');
  });
});
