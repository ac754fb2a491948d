/**
 * An independent test suite for the NovaPulse simulator, written against
 * ../../../../shared/design/api-contract.md and ../../../../shared/seed/error-codes.md.
 *
 * Expectations are computed from the contract's own numbers (tier table,
 * seed statuses, file-size limit, dedup window), from the inputs of each test
 * and from a controlled clock — never copied from the simulator's output.
 */
import { seededRandom } from '../../lib/random';
import { createDemoSimulator, DEMO_ACCOUNT_ID, DEMO_API_KEY, workingDemoKey } from './demo';
import { NovaPulseSimulator, type SimFile, type SimFormValue, type SimRequest, type SimResponse, type Timing } from './simulator';
import { TIERS, type Tier } from './tiers';

/* ------------------------------------------------------- contract facts */

/** The seed's code -> HTTP status table (error-codes.md). */
const SEED_STATUS: Record<string, number> = {
  missing_api_key: 401,
  invalid_api_key: 401,
  expired_api_key: 401,
  insufficient_permissions: 403,
  missing_required_field: 400,
  invalid_parameter: 400,
  invalid_language_code: 400,
  file_too_large: 413,
  unsupported_media_type: 415,
  job_not_found: 404,
  job_not_ready: 404,
  pipeline_mismatch: 403,
  job_already_exists: 409,
  rate_limit_exceeded: 429,
  concurrent_jobs_exceeded: 429,
  internal_error: 500,
  service_unavailable: 503,
};

/** The contract's "Limits per tier" table. */
const CONTRACT_TIERS: Record<Tier, { rpm: number; concurrent: number; includedHours: number }> = {
  starter: { rpm: 60, concurrent: 2, includedHours: 10 },
  growth: { rpm: 120, concurrent: 5, includedHours: 100 },
  enterprise: { rpm: 600, concurrent: 20, includedHours: 1000 },
};

const MAX_FILE_BYTES = 500 * 1024 * 1024; // 524,288,000
const DEDUP_WINDOW_MS = 60 * 1000;
const METADATA_LIMIT_BYTES = 16 * 1024;
const ALL_SCOPES = ['account:read', 'jobs:read', 'jobs:write', 'insights:read'];
const KEY_PATTERN = /^np_(live|test)_[A-Za-z0-9]{32}$/;
const STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;

/** Minute-aligned start so the first fixed rate-limit window is a whole minute. */
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const QUEUE_MS = 1_000;
const PROCESS_MS = 4_000;
const FIXED_TIMING: Timing = { queueMs: [QUEUE_MS, QUEUE_MS], processMs: [PROCESS_MS, PROCESS_MS] };
const JOB_TOTAL_MS = QUEUE_MS + PROCESS_MS;

/* ---------------------------------------------------------------- bytes */

const encoder = new TextEncoder();

type Part = string | number[] | Uint8Array;

function concat(...parts: Part[]): Uint8Array<ArrayBuffer> {
  const chunks = parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part instanceof Uint8Array ? part : Uint8Array.from(part)));
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const le16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

type Kind = 'mp3-id3' | 'mp3-sync' | 'wav' | 'm4a' | 'flac' | 'ogg' | 'png' | 'text' | 'ftyp-video';

function head(kind: Kind): Uint8Array<ArrayBuffer> {
  switch (kind) {
    case 'mp3-id3': // ID3v2.4 header, no flags, tag size 0 (synchsafe), then a frame sync
      return concat('ID3', [0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], [0xff, 0xfb, 0x90, 0x64]);
    case 'mp3-sync': // bare MPEG-1 Layer III frame header, 128 kbit/s, 44.1 kHz
      return concat([0xff, 0xfb, 0x90, 0x64], new Uint8Array(28));
    case 'wav': // canonical 44-byte PCM header: 16 kHz mono 16-bit
      return concat('RIFF', le32(36 + 1_000), 'WAVE', 'fmt ', le32(16), le16(1), le16(1), le32(16_000), le32(32_000), le16(2), le16(16), 'data', le32(1_000));
    case 'm4a': // ftyp box, 24 bytes: major brand 'M4A ', minor 0, compatible 'M4A ' 'mp42'
      return concat(be32(24), 'ftyp', 'M4A ', be32(0), 'M4A ', 'mp42', be32(8), 'free');
    case 'flac': // fLaC + STREAMINFO (last block, 34 bytes), 44.1 kHz, 10 s
      return concat('fLaC', [0x80, 0x00, 0x00, 0x22], [0x10, 0x00, 0x10, 0x00], [0, 0, 0, 0, 0, 0], [0x0a, 0xc4, 0x42, 0xf0, 0x00, 0x06, 0xba, 0xa8], new Uint8Array(16));
    case 'ogg': // first Ogg page header: capture pattern, version 0, BOS flag
      return concat('OggS', [0x00, 0x02], new Uint8Array(20));
    case 'png':
      return concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], be32(13), 'IHDR', be32(1), be32(1), [8, 2, 0, 0, 0]);
    case 'text':
      return encoder.encode('Hello, this is a plain text note and certainly not audio.\n');
    case 'ftyp-video': // QuickTime movie brand only: ISO-BMFF, but not an audio brand
      return concat(be32(20), 'ftyp', 'qt  ', be32(0), 'qt  ');
  }
}

/**
 * A file whose leading bytes are `kind`, made unique by `salt`. Only 'wav' also holds audio
 * data after its header: the others are headers alone, which the simulator accepts and then
 * fails while processing (unsupported_media_type), so tests that follow a job to completion use 'wav'.
 */
function audio(kind: Kind, salt = '', name = `${kind}.bin`, type = ''): File {
  return new File([concat(head(kind), new Uint8Array(64), `salt:${salt}`)], name, { type });
}

/** A SimFile claiming a huge size without allocating it; its bytes start with `kind`. */
function hugeFile(kind: Kind, size: number, name = 'huge.mp3'): SimFile {
  const bytes = concat(head(kind), new Uint8Array(64));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return {
    name,
    size,
    type: 'audio/mpeg',
    slice: () => ({ arrayBuffer: async () => buffer.slice(0) }),
    arrayBuffer: async () => buffer.slice(0),
  };
}

async function sha256Of(file: SimFile): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function form(parts: Record<string, SimFormValue | undefined>): Map<string, SimFormValue> {
  const map = new Map<string, string | Blob>();
  for (const [name, value] of Object.entries(parts)) if (value !== undefined) map.set(name, value as string | Blob);
  return map as Map<string, SimFormValue>;
}

/* ------------------------------------------------------------- plumbing */

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are inspected structurally
type Json = any;

function bodyOf(response: SimResponse): Json {
  if (!('body' in response)) throw new Error(`expected a JSON body, got raw ${response.contentType}: ${response.rawBody}`);
  return response.body;
}

/** Asserts the seed's envelope, exactly, with the seed's status for `code` as the HTTP status. */
function expectError(response: SimResponse, code: string, status = SEED_STATUS[code]): void {
  expect(status, `test bug: no seed status for ${code}`).toBeTypeOf('number');
  const body = bodyOf(response);
  expect({ status: response.status, code: body?.error?.code }).toEqual({ status, code });
  expect(body).toStrictEqual({ error: { code, message: expect.any(String), status } });
  expect(body.error.message.length).toBeGreaterThan(0);
}

function expectRateHeaders(response: SimResponse): { limit: number; remaining: number; reset: number } {
  const { headers } = response;
  for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
    expect(headers[name], `${name} on a ${response.status}`).toMatch(/^\d+$/);
  }
  return {
    limit: Number(headers['X-RateLimit-Limit']),
    remaining: Number(headers['X-RateLimit-Remaining']),
    reset: Number(headers['X-RateLimit-Reset']),
  };
}

interface World {
  sim: NovaPulseSimulator;
  accountId: string;
  keys: { full: string; readOnly: string; expired: string };
  readonly now: number;
  advance(ms: number): void;
  at(msSinceT0: number): void;
  request(method: string, path: string, options?: { key?: string | null; authorization?: string | null; query?: Record<string, string>; form?: Map<string, SimFormValue> | null }): Promise<SimResponse>;
  get(path: string, query?: Record<string, string>, key?: string): Promise<SimResponse>;
  post(parts: Map<string, SimFormValue> | null, key?: string): Promise<SimResponse>;
  upload(file: SimFile, parts?: Record<string, string | undefined>, key?: string): Promise<SimResponse>;
  addAccount(tier?: Tier): { accountId: string; keys: { full: string; readOnly: string; expired: string } };
}

function world(options: { tier?: Tier; timing?: Partial<Timing>; seed?: number } = {}): World {
  const state = { now: T0 };
  const sim = new NovaPulseSimulator({ clock: () => state.now, random: seededRandom(options.seed ?? 1234) });
  const handle = sim.createAccount({ tier: options.tier ?? 'growth', timing: options.timing ?? FIXED_TIMING, seed: options.seed ?? 99 });
  const w: World = {
    sim,
    accountId: handle.accountId,
    keys: handle.keys,
    get now() {
      return state.now;
    },
    advance(ms) {
      state.now += ms;
    },
    at(ms) {
      state.now = T0 + ms;
    },
    request(method, path, opts = {}) {
      const key = opts.key === undefined ? handle.keys.full : opts.key;
      const authorization = opts.authorization !== undefined ? opts.authorization : key === null ? null : `Bearer ${key}`;
      const request: SimRequest = { method, path, authorization };
      if (opts.query) request.query = new URLSearchParams(opts.query);
      if (opts.form !== undefined) request.form = opts.form;
      return sim.handle(request);
    },
    get(path, query, key) {
      return w.request('GET', path, { query, key });
    },
    post(parts, key) {
      return w.request('POST', '/v1/jobs', { form: parts, key });
    },
    upload(file, parts = {}, key) {
      return w.post(form({ file, pipeline: 'transcription', ...parts }), key);
    },
    addAccount(tier = 'growth') {
      const other = sim.createAccount({ tier, timing: FIXED_TIMING, seed: 7 });
      return { accountId: other.accountId, keys: other.keys };
    },
  };
  return w;
}

async function accepted(response: Promise<SimResponse> | SimResponse): Promise<Json> {
  const res = await response;
  if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${JSON.stringify('body' in res ? res.body : res.rawBody)}`);
  return bodyOf(res).job;
}

/** Follows next_cursor from the first page to the last; fails on a repeated cursor or a runaway. */
async function paginate(
  fetch: (query: Record<string, string>) => Promise<SimResponse>,
  query: Record<string, string>,
  maxPages = 1_000,
): Promise<{ jobs: Json[]; pages: number }> {
  const jobs: Json[] = [];
  const cursors = new Set<string>();
  let cursor: string | null = null;
  for (let pages = 1; pages <= maxPages; pages++) {
    const res = await fetch(cursor ? { ...query, cursor } : query);
    expect(res.status).toBe(200);
    const page = bodyOf(res);
    if (query.limit) expect(page.data.length).toBeLessThanOrEqual(Number(query.limit));
    jobs.push(...page.data);
    cursor = page.next_cursor;
    if (cursor === null) return { jobs, pages };
    if (cursors.has(cursor)) throw new Error(`cursor ${cursor} came back: pagination loops`);
    cursors.add(cursor);
  }
  throw new Error('pagination never ended');
}

function demoLister(sim: NovaPulseSimulator) {
  return (query: Record<string, string>) =>
    sim.handle({ method: 'GET', path: '/v1/jobs', query: new URLSearchParams(query), authorization: `Bearer ${DEMO_API_KEY}` });
}

/** The status a job created at `createdAtMs` must have at `nowMs` under FIXED_TIMING, if it does not fail. */
function expectedStatus(createdAtMs: number, nowMs: number): 'queued' | 'processing' | 'completed' {
  if (nowMs < createdAtMs + QUEUE_MS) return 'queued';
  if (nowMs < createdAtMs + JOB_TOTAL_MS) return 'processing';
  return 'completed';
}

const iso = (ms: number) => new Date(ms).toISOString();

/* ================================================================ tests */

describe('the test fixtures themselves', () => {
  it('the simulator tier table equals the contract table', () => {
    for (const [tier, row] of Object.entries(CONTRACT_TIERS) as [Tier, (typeof CONTRACT_TIERS)[Tier]][]) {
      expect(TIERS[tier].requestsPerMinute).toBe(row.rpm);
      expect(TIERS[tier].concurrentJobs).toBe(row.concurrent);
      expect(TIERS[tier].includedAudioSeconds).toBe(row.includedHours * 3600);
    }
    expect(Object.keys(TIERS).sort()).toEqual(Object.keys(CONTRACT_TIERS).sort());
  });

  it('the generated keys have the contract key format', () => {
    const w = world();
    for (const key of Object.values(w.keys)) expect(key).toMatch(KEY_PATTERN);
  });
});

/* ------------------------------------------------------------- 1. auth */

describe('1. authentication and transport', () => {
  it('no Authorization header is 401 missing_api_key, on every endpoint', async () => {
    const w = world();
    for (const [method, path] of [
      ['GET', '/v1/account'],
      ['GET', '/v1/jobs'],
      ['POST', '/v1/jobs'],
      ['GET', '/v1/jobs/job_X'],
      ['GET', '/v1/jobs/job_X/transcript'],
      ['GET', '/v1/jobs/job_X/insights'],
    ] as const) {
      const res = await w.request(method, path, { key: null, form: form({ file: audio('mp3-id3'), pipeline: 'transcription' }) });
      expectError(res, 'missing_api_key');
      expect(res.headers['X-Request-Id']).toBeTruthy();
    }
  });

  it('a malformed or unknown key is 401 invalid_api_key', async () => {
    const w = world();
    const wellFormedButUnknown = `np_test_${'Z'.repeat(32)}`;
    const cases = [
      `Bearer ${wellFormedButUnknown}`,
      `Bearer np_live_${'a'.repeat(32)}`,
      'Bearer not-a-key',
      `Bearer np_test_${'a'.repeat(31)}`, // one character short
      `Bearer np_prod_${'a'.repeat(32)}`, // unknown prefix
      `Bearer np_test_${'a'.repeat(31)}!`, // outside [A-Za-z0-9]
      `Basic ${w.keys.full}`, // wrong scheme
      w.keys.full, // no scheme
    ];
    for (const authorization of cases) {
      const res = await w.request('GET', '/v1/account', { authorization });
      expectError(res, 'invalid_api_key');
    }
  });

  it('an expired key is 401 expired_api_key', async () => {
    const w = world();
    expectError(await w.get('/v1/account', undefined, w.keys.expired), 'expired_api_key');
    expectError(await w.upload(audio('wav'), {}, w.keys.expired), 'expired_api_key');
  });

  it('a read-only key may read but gets 403 insufficient_permissions on POST /v1/jobs and on insights', async () => {
    const w = world();
    const job = await accepted(w.upload(audio('wav', 'ro'), { pipeline: 'full-analysis' }));
    w.advance(JOB_TOTAL_MS);
    const readOnly = w.keys.readOnly;
    expect((await w.get('/v1/account', undefined, readOnly)).status).toBe(200);
    expect((await w.get('/v1/jobs', undefined, readOnly)).status).toBe(200);
    expect((await w.get(`/v1/jobs/${job.id}`, undefined, readOnly)).status).toBe(200);
    expect((await w.get(`/v1/jobs/${job.id}/transcript`, undefined, readOnly)).status).toBe(200);
    // the full key can read the insights, so the 403 is about the scope only
    expect((await w.get(`/v1/jobs/${job.id}/insights`)).status).toBe(200);
    expectError(await w.get(`/v1/jobs/${job.id}/insights`, undefined, readOnly), 'insufficient_permissions');
    expectError(await w.upload(audio('mp3-id3', 'ro-2'), {}, readOnly), 'insufficient_permissions');
  });

  it('GET /v1/account reports the key scopes, its prefix only, and the tier limits from the contract table', async () => {
    for (const tier of Object.keys(CONTRACT_TIERS) as Tier[]) {
      const w = world({ tier });
      const res = await w.get('/v1/account');
      expect(res.status).toBe(200);
      const body = bodyOf(res);
      expect(body.account.tier).toBe(tier);
      expect(body.account.id).toBe(w.accountId);
      expect([...body.key.scopes].sort()).toEqual([...ALL_SCOPES].sort());
      expect(w.keys.full.startsWith(body.key.prefix)).toBe(true);
      expect(body.key.prefix.length).toBeLessThan(w.keys.full.length);
      expect(Date.parse(body.key.expires_at)).toBeGreaterThan(w.now);
      expect(body.limits).toEqual({
        requests_per_minute: CONTRACT_TIERS[tier].rpm,
        concurrent_jobs: CONTRACT_TIERS[tier].concurrent,
        max_file_bytes: MAX_FILE_BYTES,
        dedup_window_seconds: DEDUP_WINDOW_MS / 1000,
      });
      expect(body.usage.audio_seconds_included).toBe(CONTRACT_TIERS[tier].includedHours * 3600);
      expect(body.usage.active_jobs).toBe(0);
      expect(Date.parse(body.usage.period_start)).toBeLessThanOrEqual(w.now);
      expect(Date.parse(body.usage.period_end)).toBeGreaterThan(w.now);
      // the read-only key's view of itself lacks the write and insights scopes
      const ro = bodyOf(await w.get('/v1/account', undefined, w.keys.readOnly));
      expect(ro.key.scopes).not.toContain('jobs:write');
      expect(ro.key.scopes).not.toContain('insights:read');
      expect(JSON.stringify(ro)).not.toContain(w.keys.readOnly);
    }
  });

  it('every response carries a distinct X-Request-Id', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { forced: [{ endpoint: 'GET /v1/jobs/:id', raw: 'html-502', remaining: 1 }] });
    const responses = [
      await w.request('GET', '/v1/account', { key: null }),
      await w.request('GET', '/v1/account', { authorization: 'Bearer nope' }),
      await w.get('/v1/account', undefined, w.keys.expired),
      await w.get('/v1/account'),
      await w.post(null),
      await w.get('/v1/jobs/job_unknown'), // raw html-502 fault
      await w.get('/v1/jobs/job_unknown'),
    ];
    const ids = responses.map((res) => res.headers['X-Request-Id']);
    for (const id of ids) expect(id).toMatch(/\S/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('headersHidden: answers keep only the CORS-safelisted headers (what a page on another origin reads), while the log records the Retry-After sent', async () => {
    const w = world({ tier: 'starter' });
    w.sim.setFaults(w.accountId, { headersHidden: true, rateLimit: 1 });
    const ok = await w.get('/v1/account');
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.headers).map((name) => name.toLowerCase())).toEqual([]);
    const refused = await w.get('/v1/account');
    expect(refused.status).toBe(429);
    expect(refused.headers['Retry-After']).toBeUndefined();
    expect(refused.headers['X-RateLimit-Remaining']).toBeUndefined();
    const log = w.sim.requestLog(w.accountId);
    expect(log.at(-1)).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfter: expect.stringMatching(/^\d+$/) });
  });

  it('every response to an authenticated request carries integer X-RateLimit-Limit/Remaining/Reset', async () => {
    const w = world({ tier: 'starter' });
    const limit = CONTRACT_TIERS.starter.rpm;
    const job = await accepted(w.upload(audio('wav', 'hdr'), { pipeline: 'transcription' }));
    const responses: SimResponse[] = [
      await w.get('/v1/account'),
      await w.get('/v1/jobs'),
      await w.get(`/v1/jobs/${job.id}`),
      await w.get(`/v1/jobs/${job.id}/transcript`), // 404 job_not_ready
      await w.get(`/v1/jobs/${job.id}/insights`), // 403 pipeline_mismatch
      await w.get('/v1/jobs/job_nope'), // 404 job_not_found
      await w.get('/v1/jobs', { limit: '0' }), // 400
      await w.upload(audio('wav', 'hdr')), // 409
      await w.upload(hugeFile('mp3-id3', MAX_FILE_BYTES + 1)), // 413
      await w.upload(audio('png')), // 415
      await w.upload(audio('flac', 'second')),
      await w.upload(audio('ogg', 'third')), // 429 concurrent
      await w.get('/v1/account', undefined, w.keys.readOnly),
      await w.upload(audio('ogg', 'ro'), {}, w.keys.readOnly), // 403 scope
    ];
    for (const res of responses) {
      const { limit: reported, remaining, reset } = expectRateHeaders(res);
      expect(reported).toBe(limit);
      expect(remaining).toBeLessThan(limit);
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
    }
    // and the 503 of a maintenance window, a forced envelope fault and a 429 rate_limit_exceeded
    w.sim.setFaults(w.accountId, { forced: [{ endpoint: 'GET /v1/jobs', code: 'internal_error', remaining: 1 }] });
    const forced = await w.get('/v1/jobs');
    expectError(forced, 'internal_error');
    expectRateHeaders(forced);
    w.sim.setFaults(w.accountId, { forced: [], maintenanceSeconds: 30 });
    const maintenance = await w.get('/v1/account');
    expectError(maintenance, 'service_unavailable');
    expectRateHeaders(maintenance);
    w.sim.setFaults(w.accountId, { maintenanceSeconds: 0, rateLimit: 1 });
    const limited = await w.get('/v1/account');
    expectError(limited, 'rate_limit_exceeded');
    expectRateHeaders(limited);
  });

  it('error bodies are exactly {error:{code,message,status}} with status equal to the HTTP status', async () => {
    const w = world();
    const responses = [
      await w.request('GET', '/v1/account', { key: null }),
      await w.get('/v1/account', undefined, w.keys.expired),
      await w.get('/v1/jobs/job_nope'),
      await w.post(form({ pipeline: 'transcription' })),
      await w.upload(audio('text')),
    ];
    for (const res of responses) {
      const body = bodyOf(res);
      expect(Object.keys(body)).toEqual(['error']);
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'status']);
      expect(body.error.status).toBe(res.status);
      expect(SEED_STATUS[body.error.code]).toBe(res.status);
    }
  });
});

/* ------------------------------------------------- 2. the nine checks */

describe('2. POST /v1/jobs: the nine checks, in order', () => {
  const tooLarge = () => hugeFile('png', MAX_FILE_BYTES + 1, 'huge.png');

  it('check 1 beats everything: the key answers before a broken form', async () => {
    const w = world();
    const broken = form({ pipeline: 'summary', language: 'not a tag', metadata: '[]' });
    expectError(await w.request('POST', '/v1/jobs', { key: null, form: broken }), 'missing_api_key');
    expectError(await w.request('POST', '/v1/jobs', { authorization: 'Bearer junk', form: broken }), 'invalid_api_key');
    expectError(await w.post(broken, w.keys.expired), 'expired_api_key');
    expectError(await w.post(broken, w.keys.readOnly), 'insufficient_permissions');
    expectError(await w.post(null, w.keys.readOnly), 'insufficient_permissions'); // read-only + no file: 403, not 400
  });

  it('check 1 (scope) beats check 2 (rate limit)', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { rateLimit: 1 });
    expect((await w.get('/v1/account', undefined, w.keys.readOnly)).status).toBe(200);
    expectError(await w.get('/v1/account', undefined, w.keys.readOnly), 'rate_limit_exceeded');
    expectError(await w.post(null, w.keys.readOnly), 'insufficient_permissions');
  });

  it('check 2: a rate-limited request without a file is 429 rate_limit_exceeded with Retry-After', async () => {
    const w = world();
    const limit = 2;
    w.sim.setFaults(w.accountId, { rateLimit: limit });
    for (let i = 0; i < limit; i++) expect((await w.get('/v1/jobs')).status).toBe(200);
    const res = await w.post(form({ pipeline: 'nope', language: '!!' }));
    expectError(res, 'rate_limit_exceeded');
    expect(res.headers['Retry-After']).toMatch(/^\d+$/);
  });

  it('check 3: file and pipeline present, before every value check', async () => {
    const w = world();
    // no file, bad pipeline, bad language, bad metadata
    expectError(await w.post(form({ pipeline: 'summary', language: 'xx_YY', metadata: '[1]' })), 'missing_required_field');
    // file present but no pipeline, bad language, too large
    expectError(await w.post(form({ file: tooLarge(), language: 'xx_YY' })), 'missing_required_field');
    // empty pipeline value
    expectError(await w.post(form({ file: audio('mp3-id3'), pipeline: '' })), 'missing_required_field');
    // "file" sent as a text part, not a file
    expectError(await w.post(form({ file: 'call.mp3', pipeline: 'transcription' })), 'missing_required_field');
    // a body that was not multipart at all
    expectError(await w.post(null), 'missing_required_field');
  });

  it('check 4: a bad pipeline value beats a bad language and a too-large file', async () => {
    const w = world();
    for (const pipeline of ['summary', 'Transcription', 'full_analysis', 'transcription ']) {
      expectError(await w.post(form({ file: tooLarge(), pipeline, language: 'xx_YY' })), 'invalid_parameter');
    }
  });

  it('check 4: metadata must be a JSON object of string values, at most 16 KiB serialised', async () => {
    const w = world();
    const bad = [
      '[]',
      '["a"]',
      '"ticket"',
      '42',
      'null',
      'true',
      '{"ticket": 1182}',
      '{"ticket": null}',
      '{"ticket": {"id": "SUP-1"}}',
      '{"tags": ["a", "b"]}',
      '{not json',
      JSON.stringify({ blob: 'x'.repeat(METADATA_LIMIT_BYTES) }), // > 16 KiB
    ];
    for (const metadata of bad) {
      expectError(await w.post(form({ file: tooLarge(), pipeline: 'transcription', language: 'xx_YY', metadata })), 'invalid_parameter');
    }
    // a metadata part that is a file, not a string
    expectError(await w.post(form({ file: audio('wav'), pipeline: 'transcription', metadata: new File(['{}'], 'm.json') })), 'invalid_parameter');
  });

  it('check 4: the 16 KiB metadata limit is on the serialised bytes, inclusive', async () => {
    const w = world();
    const wrapper = JSON.stringify({ note: '' }).length; // {"note":""}
    const exact = JSON.stringify({ note: 'x'.repeat(METADATA_LIMIT_BYTES - wrapper) });
    expect(encoder.encode(exact).length).toBe(METADATA_LIMIT_BYTES);
    const job = await accepted(w.upload(audio('mp3-id3', 'meta-exact'), { metadata: exact }));
    expect(job.metadata).toEqual(JSON.parse(exact));
    const oneOver = JSON.stringify({ note: 'x'.repeat(METADATA_LIMIT_BYTES - wrapper + 1) });
    expectError(await w.upload(audio('mp3-id3', 'meta-over'), { metadata: oneOver }), 'invalid_parameter');
    // fewer than 16384 characters, but more than 16384 UTF-8 bytes
    const multiByte = JSON.stringify({ note: 'é'.repeat(Math.ceil(METADATA_LIMIT_BYTES / 2)) });
    expect(multiByte.length).toBeLessThan(METADATA_LIMIT_BYTES);
    expect(encoder.encode(multiByte).length).toBeGreaterThan(METADATA_LIMIT_BYTES);
    expectError(await w.upload(audio('mp3-id3', 'meta-utf8'), { metadata: multiByte }), 'invalid_parameter');
  });

  it('check 5: a malformed language beats a too-large file', async () => {
    const w = world();
    for (const language of ['en_US', 'english please', '', 'e', 'en-', '-US', ' en-US', '12-34', 'toolongprimarytag']) {
      expectError(await w.post(form({ file: tooLarge(), pipeline: 'transcription', language })), 'invalid_language_code');
    }
  });

  it('check 5: well-formed BCP-47 tags are accepted and echoed; the default is en-US', async () => {
    const w = world({ tier: 'enterprise' });
    for (const [i, language] of ['es-MX', 'de', 'zh-Hant-TW', 'sr-Latn-RS', 'pt-BR'].entries()) {
      const job = await accepted(w.upload(audio('ogg', `lang-${i}`), { language }));
      expect(job.language).toBe(language);
    }
    const defaulted = await accepted(w.upload(audio('ogg', 'lang-default')));
    expect(defaulted.language).toBe('en-US');
  });

  it('check 6: size above 500 MB is 413 file_too_large, even for PNG bytes; exactly 500 MB is accepted', async () => {
    const w = world();
    expectError(await w.upload(hugeFile('png', MAX_FILE_BYTES + 1, 'photo.png')), 'file_too_large');
    expectError(await w.upload(hugeFile('text', 10 * MAX_FILE_BYTES, 'notes.txt')), 'file_too_large');
    expectError(await w.upload(hugeFile('mp3-id3', MAX_FILE_BYTES + 1)), 'file_too_large');
    const atLimit = hugeFile('mp3-id3', MAX_FILE_BYTES, 'exactly-500mb.mp3');
    const job = await accepted(w.upload(atLimit));
    expect(job.file.size_bytes).toBe(MAX_FILE_BYTES);
  });

  it('check 7: the format is sniffed from the leading bytes, never from the name or declared type', async () => {
    const w = world();
    expectError(await w.upload(audio('png', '', 'voice.wav', 'audio/wav')), 'unsupported_media_type');
    expectError(await w.upload(audio('text', '', 'call.mp3', 'audio/mpeg')), 'unsupported_media_type');
    expectError(await w.upload(audio('ftyp-video', '', 'call.m4a', 'audio/mp4')), 'unsupported_media_type');
    expectError(await w.upload(new File([new Uint8Array(0)], 'empty.mp3', { type: 'audio/mpeg' })), 'unsupported_media_type');
    const flac = await accepted(w.upload(audio('flac', 'named-mp3', 'call.mp3', 'audio/mpeg')));
    expect(flac.file.content_type).toBe('audio/flac');
    expect(flac.file.name).toBe('call.mp3');
  });

  it('check 7: every accepted format is recognised from its leading bytes', async () => {
    const w = world({ tier: 'enterprise' });
    const expectations: [Kind, string][] = [
      ['mp3-id3', 'audio/mpeg'],
      ['mp3-sync', 'audio/mpeg'],
      ['wav', 'audio/wav'],
      ['m4a', 'audio/mp4'],
      ['flac', 'audio/flac'],
      ['ogg', 'audio/ogg'],
    ];
    for (const [kind, contentType] of expectations) {
      const job = await accepted(w.upload(audio(kind, kind, 'upload.dat', 'application/octet-stream')));
      expect(job.file.content_type, kind).toBe(contentType);
    }
  });

  it('check 8 beats check 9: a duplicate while concurrency is full is 409, not 429', async () => {
    const w = world({ tier: 'starter' });
    const first = audio('mp3-id3', 'dup-first');
    for (let i = 0; i < CONTRACT_TIERS.starter.concurrent - 1; i++) await accepted(w.upload(audio('wav', `fill-${i}`)));
    await accepted(w.upload(first));
    expectError(await w.upload(audio('ogg', 'new')), 'concurrent_jobs_exceeded');
    expectError(await w.upload(first), 'job_already_exists');
  });

  it('check 9: concurrency full is 429 concurrent_jobs_exceeded without Retry-After', async () => {
    const w = world({ tier: 'starter' });
    for (let i = 0; i < CONTRACT_TIERS.starter.concurrent; i++) await accepted(w.upload(audio('wav', `c-${i}`)));
    const res = await w.upload(audio('wav', 'one-too-many'));
    expectError(res, 'concurrent_jobs_exceeded');
    expect(res.headers['Retry-After']).toBeUndefined();
    expect(Object.keys(res.headers).map((h) => h.toLowerCase())).not.toContain('retry-after');
  });

  it('success is 202 {job} queued, with the SHA-256 of the bytes, the name, the size and the metadata', async () => {
    const w = world();
    const file = audio('mp3-id3', 'success', 'call-0412.mp3', 'audio/mpeg');
    const metadata = { ticket: 'SUP-1182', agent: 'maria' };
    const res = await w.upload(file, { pipeline: 'full-analysis', metadata: JSON.stringify(metadata) });
    expect(res.status).toBe(202);
    const body = bodyOf(res);
    expect(Object.keys(body)).toEqual(['job']);
    const job = body.job;
    expect(job.status).toBe('queued');
    expect(job.id).toMatch(/^job_/);
    expect(job.pipeline).toBe('full-analysis');
    expect(job.language).toBe('en-US');
    expect(job.file).toEqual({ name: 'call-0412.mp3', size_bytes: file.size, content_type: 'audio/mpeg', sha256: await sha256Of(file) });
    expect(job.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(job.metadata).toEqual(metadata);
    expect(job.created_at).toBe(iso(w.now));
    expect(job.completed_at).toBeNull();
    expect(job.error ?? null).toBeNull();
    if (job.progress !== null && job.progress !== undefined) expect(job.progress).toBe(0);
    // and the job is there to read back
    const read = await w.get(`/v1/jobs/${job.id}`);
    expect(read.status).toBe(200);
    expect(bodyOf(read).job).toEqual(job);
  });

  it('the SHA-256 covers every byte, not only the leading ones', async () => {
    const w = world();
    const a = new File([head('wav'), new Uint8Array(5_000), 'tail-a'], 'a.wav');
    const b = new File([head('wav'), new Uint8Array(5_000), 'tail-b'], 'a.wav');
    const jobA = await accepted(w.upload(a));
    const jobB = await accepted(w.upload(b));
    expect(jobA.file.sha256).toBe(await sha256Of(a));
    expect(jobB.file.sha256).toBe(await sha256Of(b));
    expect(jobA.file.sha256).not.toBe(jobB.file.sha256);
  });
});

/* ------------------------------------------------------- 3. rate limit */

describe('3. rate limit: a fixed one-minute window per key', () => {
  it('Remaining counts down by one from the tier limit, then 429 with Retry-After = Reset and Remaining 0', async () => {
    const w = world({ tier: 'starter' });
    const limit = CONTRACT_TIERS.starter.rpm;
    w.advance(15_000); // 15 s into the window: 45 s left
    for (let i = 1; i <= limit; i++) {
      const res = await w.get('/v1/account');
      expect(res.status).toBe(200);
      const rate = expectRateHeaders(res);
      expect(rate.limit).toBe(limit);
      expect(rate.remaining).toBe(limit - i);
      expect(rate.reset).toBe(45);
    }
    w.advance(4_500);
    const res = await w.get('/v1/account');
    expectError(res, 'rate_limit_exceeded');
    const rate = expectRateHeaders(res);
    expect(rate.remaining).toBe(0);
    expect(rate.limit).toBe(limit);
    expect(rate.reset).toBe(Math.ceil((60_000 - 19_500) / 1000));
    expect(res.headers['Retry-After']).toBe(res.headers['X-RateLimit-Reset']);
  });

  it('every tier reports its own requests per minute', async () => {
    for (const tier of Object.keys(CONTRACT_TIERS) as Tier[]) {
      const w = world({ tier });
      const rate = expectRateHeaders(await w.get('/v1/jobs'));
      expect(rate.limit).toBe(CONTRACT_TIERS[tier].rpm);
      expect(rate.remaining).toBe(CONTRACT_TIERS[tier].rpm - 1);
    }
  });

  it('waiting Retry-After seconds reaches the next window, which starts full', async () => {
    const w = world();
    const limit = 3;
    w.sim.setFaults(w.accountId, { rateLimit: limit });
    const at = 42_300;
    w.at(at);
    for (let i = 0; i < limit; i++) expect((await w.get('/v1/account')).status).toBe(200);
    const limited = await w.get('/v1/account');
    expectError(limited, 'rate_limit_exceeded');
    const wait = Number(limited.headers['Retry-After']);
    expect(wait).toBe(Math.ceil((60_000 - at) / 1000)); // seconds to the end of the fixed window
    w.at(60_000 - 1); // the last millisecond of the window: still limited
    expectError(await w.get('/v1/account'), 'rate_limit_exceeded');
    w.at(at + wait * 1000);
    const fresh = await w.get('/v1/account');
    expect(fresh.status).toBe(200);
    expect(expectRateHeaders(fresh).remaining).toBe(limit - 1);
    expect(expectRateHeaders(fresh).reset).toBe(Math.ceil((120_000 - (at + wait * 1000)) / 1000));
  });

  it('rejected (429) requests do not consume the window', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { rateLimit: 2 });
    expect((await w.get('/v1/jobs')).status).toBe(200);
    expect((await w.get('/v1/jobs')).status).toBe(200);
    for (let i = 0; i < 10; i++) expectError(await w.get('/v1/jobs'), 'rate_limit_exceeded');
    // raise the limit by 2 within the same window: exactly 2 more succeed only if the 10 rejections were not counted
    w.sim.setFaults(w.accountId, { rateLimit: 4 });
    const third = await w.get('/v1/jobs');
    expect(third.status).toBe(200);
    expect(expectRateHeaders(third).remaining).toBe(1);
    expect((await w.get('/v1/jobs')).status).toBe(200);
    expectError(await w.get('/v1/jobs'), 'rate_limit_exceeded');
  });

  it('every accepted request consumes one, whatever its answer', async () => {
    const w = world({ tier: 'starter' });
    const limit = CONTRACT_TIERS.starter.rpm;
    expect(expectRateHeaders(await w.get('/v1/jobs/job_nope')).remaining).toBe(limit - 1); // 404
    expect(expectRateHeaders(await w.post(null)).remaining).toBe(limit - 2); // 400
    expect(expectRateHeaders(await w.upload(audio('png'))).remaining).toBe(limit - 3); // 415
    expect(expectRateHeaders(await w.get('/v1/account')).remaining).toBe(limit - 4);
  });

  it('windows are per key: exhausting one key leaves the others untouched', async () => {
    const w = world({ tier: 'starter' });
    const limit = CONTRACT_TIERS.starter.rpm;
    for (let i = 0; i < limit; i++) await w.get('/v1/account');
    expectError(await w.get('/v1/account'), 'rate_limit_exceeded');
    const ro = await w.get('/v1/account', undefined, w.keys.readOnly);
    expect(ro.status).toBe(200);
    expect(expectRateHeaders(ro).remaining).toBe(limit - 1);
    const issued = w.sim.issueKey(w.accountId);
    const viaIssued = await w.get('/v1/account', undefined, issued);
    expect(viaIssued.status).toBe(200);
    expect(expectRateHeaders(viaIssued).remaining).toBe(limit - 1);
  });

  it('setFaults({rateLimit}) lowers the limit, and GET /v1/account reports it', async () => {
    const w = world({ tier: 'enterprise' });
    const lowered = 3;
    w.sim.setFaults(w.accountId, { rateLimit: lowered });
    const res = await w.get('/v1/account');
    expect(bodyOf(res).limits.requests_per_minute).toBe(lowered);
    expect(expectRateHeaders(res)).toMatchObject({ limit: lowered, remaining: lowered - 1 });
    await w.get('/v1/jobs');
    await w.get('/v1/jobs');
    expectError(await w.upload(audio('wav', 'x')), 'rate_limit_exceeded');
    w.sim.clearFaults(w.accountId);
    const cleared = await w.get('/v1/account');
    expect(bodyOf(cleared).limits.requests_per_minute).toBe(CONTRACT_TIERS.enterprise.rpm);
  });
});

/* ------------------------------------------------------ 4. concurrency */

describe('4. concurrency', () => {
  it('starter: the (limit+1)-th upload is 429 until the clock passes a job end, and active_jobs counts queued+processing', async () => {
    const w = world({ tier: 'starter' });
    const limit = CONTRACT_TIERS.starter.concurrent;
    const first = await accepted(w.upload(audio('wav', 'a')));
    w.advance(QUEUE_MS + 100); // the first is processing now
    await accepted(w.upload(audio('wav', 'b'))); // the second is queued
    const statuses = await Promise.all([first.id].map(async (id) => bodyOf(await w.get(`/v1/jobs/${id}`)).job.status));
    expect(statuses).toEqual(['processing']);
    expect(bodyOf(await w.get('/v1/account')).usage.active_jobs).toBe(limit);
    const third = audio('wav', 'c');
    const rejected = await w.upload(third);
    expectError(rejected, 'concurrent_jobs_exceeded');
    expect(rejected.headers['Retry-After']).toBeUndefined();
    // one millisecond before the first job ends: still full
    w.at(JOB_TOTAL_MS - 1);
    expectError(await w.upload(third), 'concurrent_jobs_exceeded');
    // the first job has ended
    w.at(JOB_TOTAL_MS);
    expect(bodyOf(await w.get(`/v1/jobs/${first.id}`)).job.status).toBe('completed');
    expect(bodyOf(await w.get('/v1/account')).usage.active_jobs).toBe(limit - 1);
    await accepted(w.upload(third));
    expect(bodyOf(await w.get('/v1/account')).usage.active_jobs).toBe(limit);
  });

  it('each tier admits exactly its concurrent_jobs', async () => {
    for (const tier of Object.keys(CONTRACT_TIERS) as Tier[]) {
      const w = world({ tier });
      const limit = CONTRACT_TIERS[tier].concurrent;
      for (let i = 0; i < limit; i++) await accepted(w.upload(audio('ogg', `${tier}-${i}`)));
      expectError(await w.upload(audio('ogg', `${tier}-over`)), 'concurrent_jobs_exceeded');
      expect(bodyOf(await w.get('/v1/account')).usage.active_jobs).toBe(limit);
    }
  });

  it('a job that fails frees its slot', async () => {
    const w = world({ tier: 'starter' });
    await accepted(w.upload(audio('wav', 'a')));
    await accepted(w.upload(audio('wav', 'b')));
    w.advance(QUEUE_MS); // both processing
    expect(w.sim.failProcessingJobs(w.accountId, 'internal_error')).toBe(2);
    expect(bodyOf(await w.get('/v1/account')).usage.active_jobs).toBe(0);
    await accepted(w.upload(audio('wav', 'c')));
  });
});

/* ------------------------------------------------------------ 5. dedup */

describe('5. deduplication window (60 s)', () => {
  it('same bytes + pipeline + language + metadata: 409 up to 59.999 s, accepted at 60 s', async () => {
    const w = world();
    const file = audio('mp3-id3', 'dedup');
    const parts = { pipeline: 'transcription', language: 'en-GB', metadata: JSON.stringify({ ticket: 'SUP-1' }) };
    const first = await accepted(w.upload(file, parts));
    const dup = await w.upload(file, parts);
    expectError(dup, 'job_already_exists');
    w.at(DEDUP_WINDOW_MS / 2);
    expectError(await w.upload(file, parts), 'job_already_exists');
    w.at(DEDUP_WINDOW_MS - 1);
    expectError(await w.upload(file, parts), 'job_already_exists');
    w.at(DEDUP_WINDOW_MS);
    const second = await accepted(w.upload(file, parts));
    expect(second.id).not.toBe(first.id);
    expect(second.file.sha256).toBe(first.file.sha256);
  });

  it('the same bytes under another name are still the same content', async () => {
    const w = world();
    const bytes = concat(head('ogg'), 'same-bytes');
    await accepted(w.upload(new File([bytes], 'one.ogg')));
    expectError(await w.upload(new File([bytes], 'two.ogg')), 'job_already_exists');
  });

  it('a different pipeline, language or metadata value is a different job', async () => {
    const w = world();
    const file = audio('flac', 'variants');
    const base = { pipeline: 'transcription', language: 'en-US', metadata: JSON.stringify({ ticket: 'SUP-1' }) };
    const ids = new Set<string>();
    ids.add((await accepted(w.upload(file, base))).id);
    ids.add((await accepted(w.upload(file, { ...base, pipeline: 'full-analysis' }))).id);
    ids.add((await accepted(w.upload(file, { ...base, language: 'es-MX' }))).id);
    ids.add((await accepted(w.upload(file, { ...base, metadata: JSON.stringify({ ticket: 'SUP-2' }) }))).id);
    ids.add((await accepted(w.upload(file, { ...base, metadata: JSON.stringify({ ticket: 'SUP-1', agent: 'li' }) }))).id);
    expect(ids.size).toBe(5);
  });

  it('metadata is a JSON object: the same pairs in another key order are the same metadata (409)', async () => {
    // The contract's dedup rule compares "metadata", a JSON object; member order carries no meaning in JSON.
    const w = world();
    const file = audio('wav', 'order');
    await accepted(w.upload(file, { metadata: '{"ticket":"SUP-9","agent":"tom"}' }));
    expectError(await w.upload(file, { metadata: '{"agent":"tom","ticket":"SUP-9"}' }), 'job_already_exists');
    expectError(await w.upload(file, { metadata: '{ "agent" : "tom" , "ticket" : "SUP-9" }' }), 'job_already_exists');
  });

  it('only accepted uploads open a window: a rejected duplicate does not extend it, a 429 does not start one', async () => {
    const w = world({ tier: 'starter' });
    const file = audio('mp3-sync', 'window');
    await accepted(w.upload(file));
    w.at(30_000);
    expectError(await w.upload(file), 'job_already_exists');
    w.at(DEDUP_WINDOW_MS); // 60 s after the accepted upload, 30 s after the rejected one
    await accepted(w.upload(file));

    // fill the concurrency and get a 429 for a new file
    await accepted(w.upload(audio('wav', 'filler')));
    const blocked = audio('ogg', 'blocked');
    expectError(await w.upload(blocked), 'concurrent_jobs_exceeded');
    w.advance(JOB_TOTAL_MS); // both jobs ended, well inside 60 s of the 429
    await accepted(w.upload(blocked));
  });
});

/* -------------------------------------------------------- 6. lifecycle */

describe('6. job lifecycle over simulated time', () => {
  it('queued -> processing (progress rising in [0,1)) -> completed, with transcript and insights', async () => {
    const w = world();
    const job = await accepted(w.upload(audio('wav', 'life'), { pipeline: 'full-analysis' }));
    const read = async () => bodyOf(await w.get(`/v1/jobs/${job.id}`)).job;
    expect((await read()).status).toBe('queued');
    expectError(await w.get(`/v1/jobs/${job.id}/transcript`), 'job_not_ready');
    expectError(await w.get(`/v1/jobs/${job.id}/insights`), 'job_not_ready');

    w.at(QUEUE_MS - 1);
    expect((await read()).status).toBe('queued');

    let previous = -1;
    for (const t of [QUEUE_MS + PROCESS_MS * 0.25, QUEUE_MS + PROCESS_MS * 0.5, QUEUE_MS + PROCESS_MS * 0.75, JOB_TOTAL_MS - 1]) {
      w.at(t);
      const view = await read();
      expect(view.status, `at +${t} ms`).toBe('processing');
      expect(view.progress).toBeGreaterThan(0);
      expect(view.progress).toBeLessThan(1);
      expect(view.progress).toBeGreaterThan(previous);
      previous = view.progress;
      expect(view.completed_at).toBeNull();
      expect(Date.parse(view.updated_at)).toBeGreaterThanOrEqual(Date.parse(view.created_at));
      expectError(await w.get(`/v1/jobs/${job.id}/transcript`), 'job_not_ready');
      expectError(await w.get(`/v1/jobs/${job.id}/insights`), 'job_not_ready');
    }

    w.at(JOB_TOTAL_MS);
    const done = await read();
    expect(done.status).toBe('completed');
    expect(done.completed_at).toBe(iso(T0 + JOB_TOTAL_MS));
    expect(done.created_at).toBe(iso(T0));
    expect(done.error ?? null).toBeNull();
    if (done.progress !== null && done.progress !== undefined) expect(done.progress).toBe(1);

    const transcriptRes = await w.get(`/v1/jobs/${job.id}/transcript`);
    expect(transcriptRes.status).toBe(200);
    const { transcript } = bodyOf(transcriptRes);
    expect(typeof transcript.text).toBe('string');
    expect(transcript.segments.length).toBeGreaterThan(0);
    for (const segment of transcript.segments) {
      expect(segment).toEqual({ start: expect.any(Number), end: expect.any(Number), speaker: expect.any(String), text: expect.any(String) });
      expect(segment.end).toBeGreaterThanOrEqual(segment.start);
    }
    // stable across reads
    expect(bodyOf(await w.get(`/v1/jobs/${job.id}/transcript`))).toEqual(bodyOf(transcriptRes));

    const insightsRes = await w.get(`/v1/jobs/${job.id}/insights`);
    expect(insightsRes.status).toBe(200);
    const { insights } = bodyOf(insightsRes);
    expect(typeof insights.summary).toBe('string');
    expect(Array.isArray(insights.topics)).toBe(true);
    expect(typeof insights.sentiment.overall).toBe('string');
    expect(insights.sentiment.score).toBeGreaterThanOrEqual(-1);
    expect(insights.sentiment.score).toBeLessThanOrEqual(1);
    expect(Array.isArray(insights.action_items)).toBe(true);
  });

  it('a transcription job answers 403 pipeline_mismatch for insights whatever its status', async () => {
    const w = world();
    const ok = await accepted(w.upload(audio('wav', 'tx-ok'), { pipeline: 'transcription' }));
    w.sim.setFaults(w.accountId, { processingFailure: { code: 'internal_error', count: 1 } });
    const bad = await accepted(w.upload(audio('wav', 'tx-bad'), { pipeline: 'transcription' }));
    const seen = new Set<string>();
    for (const t of [0, QUEUE_MS + 1, JOB_TOTAL_MS]) {
      w.at(t);
      for (const id of [ok.id, bad.id]) {
        seen.add(bodyOf(await w.get(`/v1/jobs/${id}`)).job.status);
        expectError(await w.get(`/v1/jobs/${id}/insights`), 'pipeline_mismatch');
      }
    }
    expect([...seen].sort()).toEqual([...STATUSES].sort());
  });

  it('processingFailure fails the next N jobs with the error in the seed shape; transcript and insights answer it', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { processingFailure: { code: 'service_unavailable', count: 1 } });
    const failing = await accepted(w.upload(audio('wav', 'pf-1'), { pipeline: 'full-analysis' }));
    const healthy = await accepted(w.upload(audio('wav', 'pf-2'), { pipeline: 'full-analysis' }));
    w.at(QUEUE_MS + 1);
    expect(bodyOf(await w.get(`/v1/jobs/${failing.id}`)).job.status).toBe('processing');
    w.at(JOB_TOTAL_MS);
    const view = bodyOf(await w.get(`/v1/jobs/${failing.id}`)).job;
    expect(view.status).toBe('failed');
    expect(view.error).toEqual({ code: 'service_unavailable', message: expect.any(String), status: SEED_STATUS.service_unavailable });
    expect(view.completed_at).toBeNull();
    expectError(await w.get(`/v1/jobs/${failing.id}/transcript`), 'service_unavailable');
    expectError(await w.get(`/v1/jobs/${failing.id}/insights`), 'service_unavailable');
    expect(bodyOf(await w.get(`/v1/jobs/${healthy.id}`)).job.status).toBe('completed');
  });

  it('failProcessingJobs fails the processing jobs at once, and only those', async () => {
    const w = world();
    const processing = await accepted(w.upload(audio('wav', 'fp-1')));
    w.at(QUEUE_MS + 500);
    const queued = await accepted(w.upload(audio('wav', 'fp-2')));
    expect(w.sim.failProcessingJobs(w.accountId, 'unsupported_media_type')).toBe(1);
    const failed = bodyOf(await w.get(`/v1/jobs/${processing.id}`)).job;
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ code: 'unsupported_media_type', message: expect.any(String), status: SEED_STATUS.unsupported_media_type });
    expectError(await w.get(`/v1/jobs/${processing.id}/transcript`), 'unsupported_media_type');
    expect(bodyOf(await w.get(`/v1/jobs/${queued.id}`)).job.status).toBe('queued');
    w.advance(JOB_TOTAL_MS);
    expect(bodyOf(await w.get(`/v1/jobs/${queued.id}`)).job.status).toBe('completed');
    expect(bodyOf(await w.get(`/v1/jobs/${processing.id}`)).job.status).toBe('failed');
  });

  it('an unknown id and another account’s id are 404 job_not_found on every job endpoint', async () => {
    const w = world();
    const other = w.addAccount();
    const theirs = await accepted(w.upload(audio('wav', 'theirs'), { pipeline: 'full-analysis' }, other.keys.full));
    w.advance(JOB_TOTAL_MS);
    expect((await w.get(`/v1/jobs/${theirs.id}`, undefined, other.keys.full)).status).toBe(200);
    for (const id of ['job_DOESNOTEXIST', theirs.id]) {
      expectError(await w.get(`/v1/jobs/${id}`), 'job_not_found');
      expectError(await w.get(`/v1/jobs/${id}/transcript`), 'job_not_found');
      expectError(await w.get(`/v1/jobs/${id}/insights`), 'job_not_found');
    }
  });
});

/* ------------------------------------------------------------- 7. list */

describe('7. GET /v1/jobs', () => {
  /** 12 jobs, one per second, with a known mix of pipelines, names, metadata and failures. */
  async function populated() {
    const w = world({ tier: 'enterprise' });
    const made: { id: string; createdAt: number; pipeline: string; name: string; metadata: Record<string, string>; failCode: string | null }[] = [];
    for (let i = 0; i < 12; i++) {
      w.at(i * 1_000);
      const pipeline = i % 3 === 0 ? 'full-analysis' : 'transcription';
      const failCode = i === 2 ? 'internal_error' : i === 5 ? 'service_unavailable' : i === 7 ? 'internal_error' : null;
      w.sim.setFaults(w.accountId, { processingFailure: failCode ? { code: failCode as 'internal_error', count: 1 } : null });
      const name = i === 4 ? 'Quarterly-REVIEW.wav' : `call-${String(i).padStart(3, '0')}.wav`;
      const metadata: Record<string, string> = i === 6 ? { customer_ref: 'Globex-Corp' } : { ticket: `SUP-${100 + i}` };
      const job = await accepted(w.upload(audio('wav', `list-${i}`, name), { pipeline, metadata: JSON.stringify(metadata) }));
      made.push({ id: job.id, createdAt: T0 + i * 1_000, pipeline, name, metadata, failCode });
    }
    w.at(11_000 + 500);
    return { w, made };
  }

  it('lists newest first', async () => {
    const { w, made } = await populated();
    const { data, next_cursor } = bodyOf(await w.get('/v1/jobs'));
    expect(data.map((job: Json) => job.id)).toEqual([...made].reverse().map((job) => job.id));
    expect(next_cursor).toBeNull();
  });

  it('filters by status', async () => {
    const { w, made } = await populated();
    const now = w.now;
    const expectedOf = (job: (typeof made)[number]) => {
      const status = expectedStatus(job.createdAt, now);
      return status === 'completed' && job.failCode ? 'failed' : status;
    };
    const counts = new Set<string>();
    for (const status of STATUSES) {
      const { data } = bodyOf(await w.get('/v1/jobs', { status }));
      const expected = [...made].reverse().filter((job) => expectedOf(job) === status).map((job) => job.id);
      expect(data.map((job: Json) => job.id), status).toEqual(expected);
      for (const job of data) expect(job.status).toBe(status);
      if (expected.length > 0) counts.add(status);
    }
    expect(counts.size).toBe(4); // the fixture really has all four
    expectError(await w.get('/v1/jobs', { status: 'done' }), 'invalid_parameter');
    expectError(await w.get('/v1/jobs', { status: 'COMPLETED' }), 'invalid_parameter');
  });

  it('filters by pipeline and by error_code', async () => {
    const { w, made } = await populated();
    for (const pipeline of ['transcription', 'full-analysis']) {
      const { data } = bodyOf(await w.get('/v1/jobs', { pipeline }));
      expect(data.map((job: Json) => job.id)).toEqual([...made].reverse().filter((job) => job.pipeline === pipeline).map((job) => job.id));
    }
    expectError(await w.get('/v1/jobs', { pipeline: 'summaries' }), 'invalid_parameter');
    const now = w.now;
    for (const code of ['internal_error', 'service_unavailable']) {
      const { data } = bodyOf(await w.get('/v1/jobs', { error_code: code }));
      const expected = [...made]
        .reverse()
        .filter((job) => job.failCode === code && expectedStatus(job.createdAt, now) === 'completed')
        .map((job) => job.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(data.map((job: Json) => job.id)).toEqual(expected);
    }
    expect(bodyOf(await w.get('/v1/jobs', { error_code: 'job_not_found' })).data).toEqual([]);
  });

  it('filters by ids (comma-separated, at most 100), newest first, ignoring unknown ids', async () => {
    const { w, made } = await populated();
    const wanted = [made[1]!.id, made[8]!.id, made[4]!.id];
    const { data } = bodyOf(await w.get('/v1/jobs', { ids: [...wanted, 'job_UNKNOWN'].join(',') }));
    expect(data.map((job: Json) => job.id)).toEqual([made[8]!.id, made[4]!.id, made[1]!.id]);
    const hundred = [...made.map((job) => job.id), ...Array.from({ length: 100 - made.length }, (_, i) => `job_FAKE${i}`)];
    expect(hundred.length).toBe(100);
    const atLimit = await w.get('/v1/jobs', { ids: hundred.join(',') });
    expect(atLimit.status).toBe(200);
    expect(bodyOf(atLimit).data).toHaveLength(made.length);
    expectError(await w.get('/v1/jobs', { ids: [...hundred, 'job_ONEMORE'].join(',') }), 'invalid_parameter');
  });

  it('q matches job id, file name or a metadata value, case-insensitively', async () => {
    const { w, made } = await populated();
    const ids = (res: SimResponse) => bodyOf(res).data.map((job: Json) => job.id);
    const target = made[9]!;
    expect(ids(await w.get('/v1/jobs', { q: target.id.toLowerCase() }))).toEqual([target.id]);
    expect(ids(await w.get('/v1/jobs', { q: 'quarterly-review' }))).toEqual([made[4]!.id]);
    expect(ids(await w.get('/v1/jobs', { q: 'CALL-003' }))).toEqual([made[3]!.id]);
    expect(ids(await w.get('/v1/jobs', { q: 'globex' }))).toEqual([made[6]!.id]);
    expect(ids(await w.get('/v1/jobs', { q: 'sup-110' }))).toEqual([made[10]!.id]);
    expect(ids(await w.get('/v1/jobs', { q: 'no-such-thing' }))).toEqual([]);
    // a metadata key is not a metadata value
    expect(ids(await w.get('/v1/jobs', { q: 'customer_ref' }))).toEqual([]);
  });

  it('limit: default 50, 1..100, anything else is 400 invalid_parameter', async () => {
    const sim = createDemoSimulator({ clock: () => T0, random: seededRandom(5) });
    const get = demoLister(sim);
    expect(bodyOf(await get({})).data).toHaveLength(50);
    expect(bodyOf(await get({ limit: '1' })).data).toHaveLength(1);
    expect(bodyOf(await get({ limit: '100' })).data).toHaveLength(100);
    expect(bodyOf(await get({ limit: '73' })).data).toHaveLength(73);
    for (const limit of ['0', '101', 'abc', '-1', '1.5', '', ' 5']) expectError(await get({ limit }), 'invalid_parameter');
  });

  it('cursor pagination visits every job exactly once, in newest-first order', async () => {
    const sim = createDemoSimulator({ clock: () => T0, random: seededRandom(5) });
    sim.setFaults(DEMO_ACCOUNT_ID, { rateLimit: 1_000_000 }); // hundreds of pages within one frozen minute
    const get = demoLister(sim);
    // the reference: the account's stored jobs, newest first
    const stored = [...sim.account(DEMO_ACCOUNT_ID).jobs].sort((a, b) => b.createdAt - a.createdAt);
    const total = stored.length;
    expect(total).toBeGreaterThan(100);
    let reference: string[] | null = null;
    for (const size of [1, 7, 37, 50, 100]) {
      const { jobs, pages } = await paginate(get, { limit: String(size) });
      const ids = jobs.map((job) => job.id);
      expect(ids, `limit ${size}`).toHaveLength(total);
      expect(new Set(ids), `limit ${size}`).toEqual(new Set(stored.map((job) => job.id)));
      expect(jobs.map((job) => Date.parse(job.created_at)), `limit ${size}`).toEqual(stored.map((job) => job.createdAt));
      expect(pages).toBe(Math.ceil(total / size));
      if (reference) expect(ids, `limit ${size}`).toEqual(reference); // one order, whatever the page size
      reference = ids;
    }
  });

  it('pagination stays exact when several jobs share the same created_at', async () => {
    const w = world({ tier: 'enterprise' });
    const created: string[] = [];
    for (let i = 0; i < 12; i++) created.push((await accepted(w.upload(audio('wav', `tie-${i}`)))).id); // same millisecond
    w.advance(1);
    for (let i = 0; i < 4; i++) created.push((await accepted(w.upload(audio('wav', `tie-later-${i}`)))).id);
    const whole = bodyOf(await w.get('/v1/jobs')).data.map((job: Json) => job.id);
    for (const size of [1, 2, 3, 5]) {
      const { jobs } = await paginate((query) => w.get('/v1/jobs', query), { limit: String(size) });
      const seen = jobs.map((job) => job.id);
      expect(seen, `limit ${size}`).toHaveLength(created.length);
      expect(new Set(seen), `limit ${size}`).toEqual(new Set(created));
      expect(seen, `limit ${size}`).toEqual(whole);
      // the four later jobs come first
      expect(new Set(seen.slice(0, 4))).toEqual(new Set(created.slice(12)));
    }
  });

  it('pagination combines with a filter', async () => {
    const sim = createDemoSimulator({ clock: () => T0, random: seededRandom(5) });
    sim.setFaults(DEMO_ACCOUNT_ID, { rateLimit: 1_000_000 });
    const get = demoLister(sim);
    const account = sim.account(DEMO_ACCOUNT_ID);
    const expected = [...account.jobs]
      .filter((job) => sim.jobStatus(account, job).status === 'completed')
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((job) => job.id);
    expect(expected.length).toBeGreaterThan(9);
    const { jobs } = await paginate(get, { status: 'completed', limit: '9' });
    for (const job of jobs) expect(job.status).toBe('completed');
    expect(new Set(jobs.map((job) => job.id))).toEqual(new Set(expected));
    expect(jobs).toHaveLength(expected.length);
  });

  it('an invalid cursor is 400 invalid_parameter', async () => {
    const w = world();
    for (const cursor of ['garbage!!', 'bm90IGpzb24', btoa('{"a":1}'), btoa('[1]')]) {
      expectError(await w.get('/v1/jobs', { cursor }), 'invalid_parameter');
    }
  });

  it('answers {data, next_cursor}', async () => {
    const w = world();
    const body = bodyOf(await w.get('/v1/jobs'));
    expect(body).toEqual({ data: [], next_cursor: null });
  });
});

/* ----------------------------------------------------------- 8. faults */

describe('8. faults', () => {
  it('a forced fault answers the next N requests of its endpoint, then normal again', async () => {
    const w = world();
    const n = 3;
    w.sim.setFaults(w.accountId, { forced: [{ endpoint: 'GET /v1/account', code: 'internal_error', remaining: n }] });
    for (let i = 0; i < n; i++) {
      expectError(await w.get('/v1/account'), 'internal_error');
      expect((await w.get('/v1/jobs')).status).toBe(200); // another endpoint is untouched
    }
    expect((await w.get('/v1/account')).status).toBe(200);
    expect((await w.get('/v1/account')).status).toBe(200);
  });

  it('a forced fault on "*" hits every endpoint, with its own status for an unknown code', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { forced: [{ endpoint: '*', code: 'teapot_mode', status: 418, remaining: 2 }] });
    const a = await w.get('/v1/account');
    const b = await w.upload(audio('wav', 'star'));
    for (const res of [a, b]) {
      expect(res.status).toBe(418);
      expect(bodyOf(res)).toStrictEqual({ error: { code: 'teapot_mode', message: expect.any(String), status: 418 } });
    }
    expect((await w.get('/v1/jobs')).status).toBe(200);
  });

  it('probability 0 never fires, probability 1 always fires', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { forced: [{ endpoint: 'GET /v1/jobs', code: 'internal_error', probability: 0 }] });
    for (let i = 0; i < 25; i++) expect((await w.get('/v1/jobs')).status).toBe(200);
    w.sim.setFaults(w.accountId, { forced: [{ endpoint: 'GET /v1/jobs', code: 'internal_error', probability: 1 }] });
    for (let i = 0; i < 25; i++) expectError(await w.get('/v1/jobs'), 'internal_error');
  });

  it("phase 'after-accept' creates the job yet answers the fault, so the retry sees job_already_exists", async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', phase: 'after-accept', remaining: 1 }] });
    const file = audio('mp3-id3', 'after-accept', 'lost-reply.mp3');
    expectError(await w.upload(file), 'internal_error');
    const { data } = bodyOf(await w.get('/v1/jobs'));
    expect(data).toHaveLength(1);
    expect(data[0].file.sha256).toBe(await sha256Of(file));
    expectError(await w.upload(file), 'job_already_exists');
  });

  it('an after-accept fault does not fire on a request that failed its checks', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { forced: [{ endpoint: 'POST /v1/jobs', code: 'internal_error', phase: 'after-accept', remaining: 1 }] });
    expectError(await w.upload(audio('png')), 'unsupported_media_type');
    expectError(await w.upload(audio('wav', 'aa')), 'internal_error');
  });

  it('maintenanceSeconds answers 503 service_unavailable with Retry-After in seconds, then ends', async () => {
    const w = world();
    const seconds = 90;
    w.sim.setFaults(w.accountId, { maintenanceSeconds: seconds });
    const first = await w.get('/v1/account');
    expectError(first, 'service_unavailable');
    expect(first.headers['Retry-After']).toBe(String(seconds));
    w.advance(30_000);
    const later = await w.upload(audio('wav', 'maint'));
    expectError(later, 'service_unavailable');
    expect(Number(later.headers['Retry-After'])).toBe(seconds - 30);
    w.advance((seconds - 30) * 1000);
    expect((await w.get('/v1/account')).status).toBe(200);
  });

  it('maintenance Retry-After as an HTTP-date parses back to the end of the window', async () => {
    const w = world();
    w.advance(12_345);
    const seconds = 120;
    const start = w.now;
    w.sim.setFaults(w.accountId, { maintenanceSeconds: seconds, maintenanceRetryAfter: 'http-date' });
    const res = await w.get('/v1/jobs');
    expectError(res, 'service_unavailable');
    const header = res.headers['Retry-After']!;
    expect(header).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/); // IMF-fixdate
    const at = Date.parse(header);
    expect(Number.isNaN(at)).toBe(false);
    // HTTP-dates have whole seconds: the date is the end of the window, to the second
    expect(Math.abs(at - (start + seconds * 1000))).toBeLessThan(1000);
  });

  it("maintenanceRetryAfter 'none' sends no Retry-After", async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { maintenanceSeconds: 10, maintenanceRetryAfter: 'none' });
    const res = await w.get('/v1/jobs');
    expectError(res, 'service_unavailable');
    expect(res.headers['Retry-After']).toBeUndefined();
  });

  it('forced faults can carry Retry-After in either form', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, {
      forced: [
        { endpoint: 'GET /v1/account', code: 'service_unavailable', retryAfterSeconds: 7, remaining: 1 },
        { endpoint: 'GET /v1/jobs', code: 'service_unavailable', retryAfterSeconds: 7, retryAfterForm: 'http-date', remaining: 1 },
      ],
    });
    const seconds = await w.get('/v1/account');
    expectError(seconds, 'service_unavailable');
    expect(seconds.headers['Retry-After']).toBe('7');
    const date = await w.get('/v1/jobs');
    expectError(date, 'service_unavailable');
    expect(Math.abs(Date.parse(date.headers['Retry-After']!) - (w.now + 7_000))).toBeLessThan(1000);
  });

  it('expireKeyNow makes the key answer expired_api_key; issueKey gives a working key', async () => {
    const w = world();
    expect((await w.get('/v1/account')).status).toBe(200);
    w.sim.expireKeyNow(w.accountId);
    expectError(await w.get('/v1/account'), 'expired_api_key');
    expectError(await w.upload(audio('wav', 'exp')), 'expired_api_key');
    const fresh = w.sim.issueKey(w.accountId);
    expect(fresh).toMatch(KEY_PATTERN);
    expect(fresh).not.toBe(w.keys.full);
    const res = await w.get('/v1/account', undefined, fresh);
    expect(res.status).toBe(200);
    expect([...bodyOf(res).key.scopes].sort()).toEqual([...ALL_SCOPES].sort());
    await accepted(w.upload(audio('wav', 'exp'), {}, fresh));
    expectError(await w.get('/v1/account'), 'expired_api_key'); // the old one stays expired
  });

  it('raw faults answer non-envelope bodies: html-502 and invalid-json', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, {
      forced: [
        { endpoint: 'GET /v1/account', raw: 'html-502', remaining: 1 },
        { endpoint: 'GET /v1/jobs', raw: 'invalid-json', remaining: 1 },
        { endpoint: 'GET /v1/jobs/:id', raw: 'wrong-shape', remaining: 1 },
      ],
    });
    const html = await w.get('/v1/account');
    expect(html.status).toBe(502);
    expect('rawBody' in html).toBe(true);
    if ('rawBody' in html) {
      expect(html.contentType).toMatch(/text\/html/);
      expect(html.rawBody).toMatch(/<html/i);
      expect(() => JSON.parse(html.rawBody)).toThrow();
    }
    const broken = await w.get('/v1/jobs');
    expect(broken.status).toBeGreaterThanOrEqual(500);
    expect('rawBody' in broken).toBe(true);
    if ('rawBody' in broken) expect(() => JSON.parse(broken.rawBody)).toThrow();
    const shape = await w.get('/v1/jobs/job_x');
    expect(bodyOf(shape)?.error).toBeUndefined();
    // each was a one-off
    expect((await w.get('/v1/account')).status).toBe(200);
    expect((await w.get('/v1/jobs')).status).toBe(200);
  });

  it('clearFaults restores normal service', async () => {
    const w = world();
    w.sim.setFaults(w.accountId, { maintenanceSeconds: 600, rateLimit: 1, forced: [{ endpoint: '*', code: 'internal_error' }] });
    expect((await w.get('/v1/account')).status).toBe(503);
    w.sim.clearFaults(w.accountId);
    for (let i = 0; i < 3; i++) expect((await w.get('/v1/account')).status).toBe(200);
  });
});

/* -------------------------------------------------------- 9. isolation */

describe('9. isolation and the request log', () => {
  it('two accounts share no jobs, no dedup, no rate-limit windows and no faults', async () => {
    const w = world({ tier: 'starter' });
    const b = w.addAccount('starter');
    const bytes = concat(head('wav'), 'shared-bytes');
    const mine = await accepted(w.upload(new File([bytes], 'a.wav')));
    const theirs = await accepted(w.upload(new File([bytes], 'a.wav'), {}, b.keys.full)); // not a duplicate across accounts
    expect(theirs.id).not.toBe(mine.id);
    expect(bodyOf(await w.get('/v1/jobs')).data.map((job: Json) => job.id)).toEqual([mine.id]);
    expect(bodyOf(await w.get('/v1/jobs', undefined, b.keys.full)).data.map((job: Json) => job.id)).toEqual([theirs.id]);
    expectError(await w.get(`/v1/jobs/${theirs.id}`), 'job_not_found');

    const limit = CONTRACT_TIERS.starter.rpm;
    for (let i = 0; i < limit; i++) await w.get('/v1/account');
    expectError(await w.get('/v1/account'), 'rate_limit_exceeded');
    const bRes = await w.get('/v1/account', undefined, b.keys.full);
    expect(bRes.status).toBe(200);
    expect(expectRateHeaders(bRes).remaining).toBe(limit - 3); // its own upload, list and this request

    w.sim.setFaults(w.accountId, { maintenanceSeconds: 60, forced: [{ endpoint: '*', code: 'internal_error' }], rateLimit: 1 });
    const bAccount = await w.get('/v1/account', undefined, b.keys.full);
    expect(bAccount.status).toBe(200);
    expect(bodyOf(bAccount).limits.requests_per_minute).toBe(limit);
    w.sim.expireKeyNow(w.accountId);
    expect((await w.get('/v1/jobs', undefined, b.keys.full)).status).toBe(200);
  });

  it('the request log records method, path, status and code, per account, and never the key', async () => {
    const w = world();
    const b = w.addAccount();
    await w.get('/v1/account');
    await w.post(form({ pipeline: 'transcription' }));
    await w.get('/v1/jobs/job_missing');
    await w.get('/v1/jobs', { status: 'bogus' });
    const job = await accepted(w.upload(audio('wav', 'log')));
    await w.get('/v1/account', undefined, w.keys.readOnly);
    await w.upload(audio('wav', 'log-ro'), {}, w.keys.readOnly);
    await w.get('/v1/account', undefined, w.keys.expired);
    await w.get('/v1/account', undefined, b.keys.full);
    const issued = w.sim.issueKey(w.accountId);
    await w.get(`/v1/jobs/${job.id}`, undefined, issued);

    const log = w.sim.requestLog(w.accountId);
    expect(log.map(({ method, path, status, code }) => ({ method, path, status, code }))).toEqual([
      { method: 'GET', path: '/v1/account', status: 200, code: null },
      { method: 'POST', path: '/v1/jobs', status: 400, code: 'missing_required_field' },
      { method: 'GET', path: '/v1/jobs/job_missing', status: 404, code: 'job_not_found' },
      { method: 'GET', path: '/v1/jobs', status: 400, code: 'invalid_parameter' },
      { method: 'POST', path: '/v1/jobs', status: 202, code: null },
      { method: 'GET', path: '/v1/account', status: 200, code: null },
      { method: 'POST', path: '/v1/jobs', status: 403, code: 'insufficient_permissions' },
      { method: 'GET', path: '/v1/account', status: 401, code: 'expired_api_key' },
      { method: 'GET', path: `/v1/jobs/${job.id}`, status: 200, code: null },
    ]);
    const text = JSON.stringify(log);
    for (const secret of [w.keys.full, w.keys.readOnly, w.keys.expired, issued, b.keys.full]) expect(text).not.toContain(secret);
    // the key body without its public prefix is not there either
    for (const secret of [w.keys.full, w.keys.readOnly, issued]) expect(text).not.toContain(secret.slice(8));
    const bLog = w.sim.requestLog(b.accountId);
    expect(bLog).toHaveLength(1);
    expect(JSON.stringify(bLog)).not.toContain(b.keys.full);
  });
});

/* ------------------------------------------------------------- 10. demo */

describe('10. the seeded demo account', () => {
  it('has a few hundred jobs, every status, and failures of at least two codes', async () => {
    const state = { now: T0 };
    const sim = createDemoSimulator({ clock: () => state.now, random: seededRandom(11) });
    expect(DEMO_API_KEY).toMatch(KEY_PATTERN);
    expect(sim.accounts.has(DEMO_ACCOUNT_ID)).toBe(true);
    const { jobs: all } = await paginate(demoLister(sim), { limit: '100' });
    expect(all.length).toBeGreaterThanOrEqual(200);
    expect(all.length).toBeLessThan(1000);

    const byStatus = new Map<string, Json[]>();
    for (const job of all) byStatus.set(job.status, [...(byStatus.get(job.status) ?? []), job]);
    for (const status of STATUSES) expect(byStatus.get(status)?.length ?? 0, status).toBeGreaterThan(0);
    expect([...byStatus.keys()].every((status) => (STATUSES as readonly string[]).includes(status))).toBe(true);

    const failed = byStatus.get('failed')!;
    const codes = new Set(failed.map((job) => job.error.code));
    expect(codes.size).toBeGreaterThanOrEqual(2);
    for (const job of failed) {
      expect(SEED_STATUS[job.error.code], job.error.code).toBe(job.error.status);
      expect(typeof job.error.message).toBe('string');
    }
    for (const job of all) if (job.status !== 'failed') expect(job.error ?? null).toBeNull();

    const account = bodyOf(await sim.handle({ method: 'GET', path: '/v1/account', authorization: `Bearer ${DEMO_API_KEY}` }));
    const active = (byStatus.get('queued')?.length ?? 0) + (byStatus.get('processing')?.length ?? 0);
    expect(account.usage.active_jobs).toBe(active);
    expect(account.limits.concurrent_jobs).toBe(CONTRACT_TIERS[account.account.tier as Tier].concurrent);

    // the demo moves: a few minutes later nothing is active any more
    state.now += 10 * 60_000;
    const later = bodyOf(await sim.handle({ method: 'GET', path: '/v1/account', authorization: `Bearer ${DEMO_API_KEY}` }));
    expect(later.usage.active_jobs).toBe(0);
  });

  it('a demo key expired from the panel is replaced by a fresh one that works; the expired key stays refused', async () => {
    const state = { now: T0 };
    const sim = createDemoSimulator({ clock: () => state.now, random: seededRandom(12) });
    const account = (key: string) => sim.handle({ method: 'GET', path: '/v1/account', authorization: `Bearer ${key}` });
    // While the demo key works, it is the one handed out, and no key is added.
    expect(workingDemoKey(sim)).toBe(DEMO_API_KEY);
    expect(workingDemoKey(sim)).toBe(DEMO_API_KEY);

    sim.expireKeyNow(DEMO_ACCOUNT_ID);
    state.now += 1_000;
    expect(bodyOf(await account(DEMO_API_KEY)).error.code).toBe('expired_api_key');
    const fresh = workingDemoKey(sim);
    expect(fresh).not.toBe(DEMO_API_KEY);
    expect(fresh).toMatch(KEY_PATTERN);
    const answer = await account(fresh);
    expect(answer.status).toBe(200);
    expect(bodyOf(answer).account.id).toBe(DEMO_ACCOUNT_ID);
    expect(bodyOf(answer).key.scopes).toEqual(ALL_SCOPES);
    expect((await account(DEMO_API_KEY)).status).toBe(401);
    // Asked again, the same fresh key: one new key per expiry, not one per click.
    expect(workingDemoKey(sim)).toBe(fresh);
  });

  it('a demo account that is gone is seeded again before its key is handed out', async () => {
    const sim = createDemoSimulator({ clock: () => T0, random: seededRandom(13) });
    sim.removeAccount(DEMO_ACCOUNT_ID);
    expect(sim.accounts.has(DEMO_ACCOUNT_ID)).toBe(false);
    expect(workingDemoKey(sim)).toBe(DEMO_API_KEY);
    expect((await sim.handle({ method: 'GET', path: '/v1/account', authorization: `Bearer ${DEMO_API_KEY}` })).status).toBe(200);
  });
});
