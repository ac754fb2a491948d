import { ERROR_CATALOGUE, type ErrorCode, isKnownErrorCode } from '../../errors/catalogue';
import { isWellFormedApiKey } from '../../lib/api-key-format';
import { checkContainer } from '../../lib/audio-container';
import { AUDIO_CONTENT_TYPES, type AudioFormat, SNIFF_BYTES, sniffAudioFormat } from '../../lib/audio-format';
import { dedupFingerprint } from '../../lib/dedup-fingerprint';
import { isWellFormedLanguageTag } from '../../lib/language-tag';
import { type Clock, type RandomSource, seededRandom, systemClock, systemRandom } from '../../lib/random';
import { generateInsights, generateTranscript, seedFromString } from './content';
import {
  DEDUP_WINDOW_MS,
  DEFAULT_LIST_LIMIT,
  MAX_FILE_BYTES,
  MAX_IDS,
  MAX_LIST_LIMIT,
  MAX_METADATA_BYTES,
  RATE_WINDOW_MS,
  TIERS,
  type Tier,
} from './tiers';

/* ------------------------------------------------------------------ types */

/** The parts of an uploaded file the simulator reads; a Blob or File satisfies it. */
export interface SimFile {
  name: string;
  size: number;
  type: string;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type SimFormValue = string | SimFile;

export interface SimRequest {
  method: string;
  /** Path without the base, e.g. /v1/jobs/job_123 */
  path: string;
  query?: URLSearchParams;
  authorization?: string | null;
  /** Parsed multipart body of POST /v1/jobs; null when the body was not multipart. */
  form?: Map<string, SimFormValue> | null;
  /** Host clock time at which the request started arriving (before its body was read). */
  receivedAt?: number;
  /** The Origin header a browser sent (null when none): tells a cross-origin console's requests from same-origin ones. */
  origin?: string | null;
}

export type SimResponse =
  | { status: number; headers: Record<string, string>; body: unknown }
  | { status: number; headers: Record<string, string>; rawBody: string; contentType: string };

export type SimEndpoint =
  | 'GET /v1/account'
  | 'POST /v1/jobs'
  | 'GET /v1/jobs'
  | 'GET /v1/jobs/:id'
  | 'GET /v1/jobs/:id/transcript'
  | 'GET /v1/jobs/:id/insights';

/** Answers that are not a well-formed error envelope, for testing clients against a messy world. */
export type RawFault = 'html-502' | 'invalid-json' | 'wrong-shape';

export interface ForcedFault {
  endpoint: SimEndpoint | '*';
  /** An error code (catalogued or not) answered in the seed's envelope... */
  code?: string;
  /** ...with this status (defaults to the catalogue's status for the code, else 400)... */
  status?: number;
  /** ...or a raw non-envelope answer. */
  raw?: RawFault;
  /** How many more requests it applies to; omitted means until cleared. */
  remaining?: number;
  /** Chance per request in [0, 1]; omitted means every request. */
  probability?: number;
  retryAfterSeconds?: number;
  retryAfterForm?: 'seconds' | 'http-date';
  /** 'after-accept': the request is processed (a job is created) and then answered with the fault. */
  phase?: 'before' | 'after-accept';
}

export interface Faults {
  forced: ForcedFault[];
  /** Until this account-clock time every /v1 request gets 503 service_unavailable. */
  maintenanceUntil: number | null;
  maintenanceRetryAfter: 'seconds' | 'http-date' | 'none';
  /** Overrides the tier's requests per minute. */
  rateLimit: number | null;
  /** Each new job fails while processing with this code, for the next `count` jobs (or all when null). */
  processingFailure: { code: ErrorCode; count: number | null } | null;
  /** Host hosts read upload bodies at this speed; the core only stores it. */
  uploadBytesPerSecond: number | null;
  /** Overrides the tier's concurrent jobs (the demo's "concurrency cap reached"). */
  concurrentJobs: number | null;
  /**
   * What a page on another origin reads when the API sends no `Access-Control-Expose-Headers` (the most common CORS
   * mistake): answers keep only the CORS-safelisted headers. The log still records what was sent.
   */
  headersHidden: boolean;
}

/** The response headers a cross-origin page may read without `Access-Control-Expose-Headers` (Fetch standard). */
const CORS_SAFELISTED_RESPONSE_HEADERS = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']);

function onlySafelisted(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => CORS_SAFELISTED_RESPONSE_HEADERS.has(name.toLowerCase())));
}

export interface Timing {
  queueMs: [number, number];
  processMs: [number, number];
}

export interface SimKey {
  id: string;
  secret: string;
  label: string;
  scopes: string[];
  expiresAt: number | null;
  windowIndex: number;
  windowCount: number;
}

interface Outcome {
  kind: 'completed' | 'failed';
  code?: ErrorCode;
}

export interface SimJob {
  id: string;
  pipeline: 'transcription' | 'full-analysis';
  language: string;
  file: { name: string; size_bytes: number; content_type: string; sha256: string };
  metadata: Record<string, string>;
  durationSeconds: number | null;
  createdAt: number;
  startsAt: number;
  finishesAt: number;
  outcome: Outcome;
}

export interface RequestLogEntry {
  requestId: string;
  method: string;
  path: string;
  endpoint: SimEndpoint | null;
  /** Account-clock time at which the request started arriving. */
  startedAt: number;
  /** Account-clock time at which it was answered. */
  answeredAt: number;
  status: number;
  code: string | null;
  retryAfter: string | null;
  rateLimitRemaining: number | null;
  /** The uploaded file's name, for POST /v1/jobs: lets a log reader follow one upload's attempts. */
  fileName: string | null;
  /** The query string as sent ("" when none): tells a list's pages (cursor) from its head and from polls (ids). */
  query: string;
  /** The request's Origin header, null when it had none. */
  origin: string | null;
}

interface DedupEntry {
  jobId: string;
  acceptedAt: number;
}

export interface SimAccount {
  id: string;
  name: string;
  tier: Tier;
  timeOffsetMs: number;
  keys: SimKey[];
  jobs: SimJob[];
  jobsById: Map<string, SimJob>;
  dedup: Map<string, DedupEntry>;
  faults: Faults;
  timing: Timing;
  baseAudioSecondsUsed: number;
  periodStart: number;
  periodEnd: number;
  log: RequestLogEntry[];
  random: RandomSource;
  serverText?: ServerText;
}

/** Test-only: text put where NovaPulse writes its own, to try hostile strings on the console. */
export interface ServerText {
  /** Put before every new job id. */
  jobIdPrefix?: string;
  /** Replaces the message of every error the account's faults and failed jobs report. */
  errorMessage?: string;
  /** Replaces the text of every transcript segment. */
  transcriptText?: string;
}

export interface CreateAccountOptions {
  id?: string;
  name?: string;
  tier?: Tier;
  /** Number of historical jobs to seed (the demo account has a few hundred). */
  seedJobs?: number;
  /** Active (queued or processing) jobs among the seeded ones. */
  seedActiveJobs?: number;
  /** How long the seeded active jobs take to finish once started, [min, max] ms (default 8 to 40 s, so the demo moves). */
  seedActiveProcessMs?: [number, number];
  /** Test-only: the share of seeded historical jobs that failed (default 0.14). */
  seedFailedShare?: number;
  timing?: Partial<Timing>;
  /** Fixed key secrets, for the demo account's well-known key. */
  fullKey?: string;
  seed?: number;
  /** The account's clock runs this far from the host's (negative: behind the browser's). */
  clockOffsetMs?: number;
  serverText?: ServerText;
}

export interface AccountHandle {
  accountId: string;
  tier: Tier;
  keys: { full: string; readOnly: string; expired: string };
}

const DEFAULT_TIMING: Timing = { queueMs: [1_000, 3_000], processMs: [6_000, 20_000] };
const ALL_SCOPES = ['account:read', 'jobs:read', 'jobs:write', 'insights:read'];
const READ_ONLY_SCOPES = ['account:read', 'jobs:read'];
const LOG_LIMIT = 5_000;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function emptyFaults(): Faults {
  return {
    forced: [],
    maintenanceUntil: null,
    maintenanceRetryAfter: 'seconds',
    rateLimit: null,
    processingFailure: null,
    uploadBytesPerSecond: null,
    concurrentJobs: null,
    headersHidden: false,
  };
}

class SimError {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly status: number = isKnownErrorCode(code) ? (ERROR_CATALOGUE[code].status ?? 500) : 400,
    readonly headers: Record<string, string> = {},
  ) {}
}

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function sha256Hex(file: SimFile): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
}

/** An HTTP-date has whole seconds: round up, so a client waiting until it never comes back early. */
function httpDateFloor(ms: number): string {
  return new Date(ms).toUTCString();
}

function httpDate(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toUTCString();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function between(random: RandomSource, [min, max]: [number, number]): number {
  return Math.round(min + random() * (max - min));
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Rough audio length: exact for WAV and FLAC headers, else from size at 128 kbit/s. */
function estimateDurationSeconds(head: Uint8Array, size: number, format: AudioFormat): number {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (format === 'wav' && head.length >= 32) {
    const byteRate = view.getUint32(28, true);
    if (byteRate > 0) return Math.round(((size - 44) / byteRate) * 10) / 10;
  }
  if (format === 'flac' && head.length >= 26) {
    const sampleRate = (view.getUint32(18) >>> 12) & 0xfffff;
    const totalSamples = (view.getUint8(21) & 0x0f) * 2 ** 32 + view.getUint32(22);
    if (sampleRate > 0 && totalSamples > 0) return Math.round((totalSamples / sampleRate) * 10) / 10;
  }
  return Math.max(1, Math.round((size / 16_000) * 10) / 10);
}

/* -------------------------------------------------------------- simulator */

/**
 * A faithful NovaPulse: the whole contract over simulated time, for many
 * isolated accounts. Pure TypeScript; time and chance are injected.
 */
export class NovaPulseSimulator {
  readonly accounts = new Map<string, SimAccount>();
  private readonly keyIndex = new Map<string, { account: SimAccount; key: SimKey }>();
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private requestCounter = 0;
  private accountCounter = 0;
  private readonly logLimit: number;

  /** `logLimit`: requests kept per account (the newest); a benchmark that counts every request raises it. */
  constructor(options: { clock?: Clock; random?: RandomSource; logLimit?: number } = {}) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? systemRandom;
    this.logLimit = options.logLimit ?? LOG_LIMIT;
  }

  /* ----------------------------------------------------------- accounts */

  now(account: SimAccount): number {
    return this.clock() + account.timeOffsetMs;
  }

  private randomString(length: number, alphabet = ALPHANUMERIC): string {
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(this.random() * alphabet.length)];
    return text;
  }

  private newKey(label: string, scopes: string[], expiresAt: number | null, secret?: string): SimKey {
    return {
      id: `key_${this.randomString(6).toLowerCase()}`,
      secret: secret ?? `np_test_${this.randomString(32)}`,
      label,
      scopes,
      expiresAt,
      windowIndex: -1,
      windowCount: 0,
    };
  }

  createAccount(options: CreateAccountOptions = {}): AccountHandle {
    const tier = options.tier ?? 'growth';
    const id = options.id ?? `acc_${(++this.accountCounter).toString(36)}${this.randomString(6).toLowerCase()}`;
    if (this.accounts.has(id)) throw new Error(`account ${id} exists`);
    const now = this.clock();
    const periodStartDate = new Date(now);
    const periodStart = Date.UTC(periodStartDate.getUTCFullYear(), periodStartDate.getUTCMonth(), 1);
    const periodEnd = Date.UTC(periodStartDate.getUTCFullYear(), periodStartDate.getUTCMonth() + 1, 1);
    const year = 365 * 24 * 3600 * 1000;
    const keys = [
      this.newKey('ops console', ALL_SCOPES, now + year, options.fullKey),
      this.newKey('read-only dashboard', READ_ONLY_SCOPES, now + year),
      this.newKey('retired integration', ALL_SCOPES, now - 24 * 3600 * 1000),
    ];
    const account: SimAccount = {
      id,
      name: options.name ?? 'Acme Support',
      tier,
      timeOffsetMs: options.clockOffsetMs ?? 0,
      keys,
      jobs: [],
      jobsById: new Map(),
      dedup: new Map(),
      faults: emptyFaults(),
      timing: { ...DEFAULT_TIMING, ...options.timing },
      baseAudioSecondsUsed: 0,
      periodStart,
      periodEnd,
      log: [],
      random: seededRandom(options.seed ?? Math.floor(this.random() * 2 ** 32)),
      serverText: options.serverText,
    };
    this.accounts.set(id, account);
    for (const key of keys) this.keyIndex.set(key.secret, { account, key });
    if (options.seedJobs) this.seedJobs(account, options.seedJobs, options.seedActiveJobs ?? 0, options.seedFailedShare ?? 0.14, options.seedActiveProcessMs ?? [8_000, 40_000]);
    const [full, readOnly, expired] = keys as [SimKey, SimKey, SimKey];
    return { accountId: id, tier, keys: { full: full.secret, readOnly: readOnly.secret, expired: expired.secret } };
  }

  account(id: string): SimAccount {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`no account ${id}`);
    return account;
  }

  accountForAuthorization(authorization: string | null | undefined): SimAccount | null {
    const secret = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    return secret ? (this.keyIndex.get(secret)?.account ?? null) : null;
  }

  /* ------------------------------------------------------------- faults */

  setFaults(accountId: string, patch: Partial<Faults> & { maintenanceSeconds?: number }): Faults {
    const account = this.account(accountId);
    const { maintenanceSeconds, ...rest } = patch;
    account.faults = { ...account.faults, ...rest };
    if (maintenanceSeconds !== undefined) {
      account.faults.maintenanceUntil = maintenanceSeconds > 0 ? this.now(account) + maintenanceSeconds * 1000 : null;
    }
    return account.faults;
  }

  clearFaults(accountId: string): void {
    this.account(accountId).faults = emptyFaults();
  }

  /** Forgets an account and its keys (the demo's "reset demo data" then creates it afresh). */
  removeAccount(accountId: string): void {
    const account = this.accounts.get(accountId);
    if (!account) return;
    for (const key of account.keys) this.keyIndex.delete(key.secret);
    this.accounts.delete(accountId);
  }

  /** Expires the account's full-scope key at this moment. */
  expireKeyNow(accountId: string): void {
    const account = this.account(accountId);
    const key = account.keys[0];
    if (key) key.expiresAt = this.now(account);
  }

  /** Adds a fresh key with all scopes (what "generate a new key" in the dashboard does). */
  issueKey(accountId: string): string {
    const account = this.account(accountId);
    const key = this.newKey('ops console (new)', ALL_SCOPES, this.now(account) + 365 * 24 * 3600 * 1000);
    account.keys.unshift(key);
    this.keyIndex.set(key.secret, { account, key });
    return key.secret;
  }

  /**
   * A full-scope key of the account that works now: the newest one not expired, or else a freshly issued one (an
   * expired key never comes back, as with NovaPulse).
   */
  workingKey(accountId: string): string {
    const account = this.account(accountId);
    const now = this.now(account);
    const working = account.keys.find((key) => ALL_SCOPES.every((scope) => key.scopes.includes(scope)) && (key.expiresAt === null || key.expiresAt > now));
    return working ? working.secret : this.issueKey(accountId);
  }

  advanceTime(accountId: string, ms: number): void {
    this.account(accountId).timeOffsetMs += ms;
  }

  /** Fails every job that is processing right now with `code`. */
  failProcessingJobs(accountId: string, code: ErrorCode): number {
    const account = this.account(accountId);
    const now = this.now(account);
    let failed = 0;
    for (const job of account.jobs) {
      if (job.startsAt <= now && now < job.finishesAt) {
        job.outcome = { kind: 'failed', code };
        job.finishesAt = now;
        failed++;
      }
    }
    return failed;
  }

  requestLog(accountId: string): RequestLogEntry[] {
    return this.account(accountId).log;
  }

  /* --------------------------------------------------------------- jobs */

  jobStatus(account: SimAccount, job: SimJob) {
    const now = this.now(account);
    if (now < job.startsAt) return { status: 'queued' as const, progress: 0, updatedAt: job.createdAt };
    if (now < job.finishesAt) {
      const progress = Math.min(0.99, (now - job.startsAt) / Math.max(1, job.finishesAt - job.startsAt));
      return { status: 'processing' as const, progress: Math.round(progress * 100) / 100, updatedAt: now };
    }
    return { status: job.outcome.kind, progress: job.outcome.kind === 'completed' ? 1 : null, updatedAt: job.finishesAt };
  }

  jobView(account: SimAccount, job: SimJob) {
    const { status, progress, updatedAt } = this.jobStatus(account, job);
    const code = job.outcome.code;
    return {
      id: job.id,
      status,
      pipeline: job.pipeline,
      language: job.language,
      file: job.file,
      metadata: job.metadata,
      duration_seconds: job.durationSeconds,
      progress,
      created_at: iso(job.createdAt),
      updated_at: iso(updatedAt),
      completed_at: status === 'completed' ? iso(job.finishesAt) : null,
      error:
        status === 'failed' && code
          ? { code, message: account.serverText?.errorMessage ?? failureMessage(code), status: ERROR_CATALOGUE[code].status ?? 500 }
          : null,
    };
  }

  activeJobs(account: SimAccount): number {
    const now = this.now(account);
    return account.jobs.filter((job) => now < job.finishesAt).length;
  }

  private newJobId(account: SimAccount, at: number): string {
    let time = '';
    let rest = at;
    for (let i = 0; i < 10; i++) {
      time = CROCKFORD[rest % 32] + time;
      rest = Math.floor(rest / 32);
    }
    let id: string;
    do {
      let suffix = '';
      for (let i = 0; i < 4; i++) suffix += CROCKFORD[Math.floor(account.random() * 32)];
      id = `${account.serverText?.jobIdPrefix ?? ''}job_${time}${suffix}`;
    } while (account.jobsById.has(id));
    return id;
  }

  private addJob(account: SimAccount, job: SimJob) {
    account.jobs.push(job);
    account.jobsById.set(job.id, job);
  }

  private planOutcome(account: SimAccount): Outcome {
    const failure = account.faults.processingFailure;
    if (!failure) return { kind: 'completed' };
    if (failure.count !== null) {
      if (failure.count <= 0) return { kind: 'completed' };
      failure.count -= 1;
    }
    return { kind: 'failed', code: failure.code };
  }

  private seedJobs(account: SimAccount, count: number, active: number, failedShare: number, activeProcessMs: [number, number]) {
    const random = account.random;
    const now = this.now(account);
    const day = 24 * 3600 * 1000;
    const prefixes = ['call', 'support', 'sales-call', 'interview', 'standup', 'voicemail', 'webinar'];
    const formats: AudioFormat[] = ['mp3', 'mp3', 'mp3', 'wav', 'm4a', 'flac', 'ogg'];
    const languages = ['en-US', 'en-US', 'en-US', 'en-GB', 'es-MX', 'de-DE', 'fr-FR', 'pt-BR', 'ja-JP'];
    const agents = ['maria', 'dev', 'kwame', 'li', 'sofia', 'tom'];
    const failureCodes: ErrorCode[] = ['internal_error', 'internal_error', 'unsupported_media_type', 'service_unavailable'];
    const jobs: SimJob[] = [];
    for (let index = 0; index < count; index++) {
      const isActive = index < active;
      const createdAt = isActive ? now - Math.floor(random() * 8_000) : now - Math.floor(60_000 + random() * 14 * day);
      const format = formats[Math.floor(random() * formats.length)] as AudioFormat;
      const duration = Math.round((30 + random() * 870) * 10) / 10;
      const size = Math.round(duration * (format === 'wav' ? 176_400 : format === 'flac' ? 90_000 : 16_000));
      const failedRoll = random();
      const outcome: Outcome = failedRoll < failedShare ? { kind: 'failed', code: failureCodes[Math.floor(random() * failureCodes.length)] } : { kind: 'completed' };
      // Active seeded jobs: half still queued, half processing, all finishing soon so the demo moves.
      const startsAt = isActive
        ? index % 2 === 0
          ? now + between(random, [2_000, 6_000])
          : createdAt
        : createdAt + between(random, account.timing.queueMs);
      const finishesAt = isActive ? startsAt + between(random, activeProcessMs) : startsAt + between(random, [20_000, 300_000]);
      const ticket = `SUP-${1000 + Math.floor(random() * 9000)}`;
      jobs.push({
        id: this.newJobId(account, createdAt),
        pipeline: random() < 0.55 ? 'full-analysis' : 'transcription',
        language: languages[Math.floor(random() * languages.length)] as string,
        file: {
          name: `${prefixes[Math.floor(random() * prefixes.length)]}-${String(index + 1).padStart(4, '0')}.${format}`,
          size_bytes: size,
          content_type: AUDIO_CONTENT_TYPES[format],
          sha256: Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join(''),
        },
        metadata: random() < 0.8 ? { ticket, agent: agents[Math.floor(random() * agents.length)] as string } : {},
        durationSeconds: duration,
        createdAt,
        startsAt,
        finishesAt,
        outcome: isActive ? { kind: 'completed' } : outcome,
      });
    }
    jobs.sort((a, b) => a.createdAt - b.createdAt);
    for (const job of jobs) this.addJob(account, job);
    account.baseAudioSecondsUsed = 0;
  }

  /* ------------------------------------------------------------ routing */

  async handle(request: SimRequest): Promise<SimResponse> {
    const requestId = `req_${(++this.requestCounter).toString(36)}${this.randomString(8).toLowerCase()}`;
    // Every HTTP response carries Date (RFC 9110): the server's clock, which clients measure HTTP-dates against.
    const baseHeaders: Record<string, string> = { 'X-Request-Id': requestId, Date: httpDateFloor(this.clock()) };
    const route = matchRoute(request.method, request.path);
    const authorization = request.authorization ?? null;

    // 1. the key: present, known, not expired
    const secret = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]?.trim();
    if (!authorization) return errorResponse(new SimError('missing_api_key', 'No API key was sent. Add "Authorization: Bearer <key>".'), baseHeaders);
    const found = secret && isWellFormedApiKey(secret) ? this.keyIndex.get(secret) : undefined;
    if (!found) return errorResponse(new SimError('invalid_api_key', 'The API key provided is invalid or has been revoked.'), baseHeaders);
    const { account, key } = found;
    const now = this.now(account);
    const startedAt = request.receivedAt !== undefined ? request.receivedAt + account.timeOffsetMs : now;
    const respond = (response: SimResponse, rateLimitRemaining: number | null = null) => {
      const answeredAt = this.now(account);
      response.headers.Date = httpDateFloor(answeredAt);
      const body = 'body' in response ? (response.body as { error?: { code?: string } } | null) : null;
      account.log.push({
        requestId,
        method: request.method,
        path: request.path,
        endpoint: route?.endpoint ?? null,
        startedAt,
        answeredAt,
        status: response.status,
        code: body?.error?.code ?? null,
        retryAfter: response.headers['Retry-After'] ?? null,
        rateLimitRemaining,
        fileName: uploadedFileName(request.form),
        query: request.query?.toString() ?? '',
        origin: request.origin ?? null,
      });
      if (account.log.length > this.logLimit) account.log.splice(0, account.log.length - this.logLimit);
      return account.faults.headersHidden ? { ...response, headers: onlySafelisted(response.headers) } : response;
    };

    if (key.expiresAt !== null && key.expiresAt <= now) {
      return respond(errorResponse(new SimError('expired_api_key', 'The API key has expired. Generate a new key in the dashboard.'), baseHeaders));
    }

    // Contract: every response to an authenticated request carries the rate-limit headers (reported, not consumed).
    const authenticatedHeaders = { ...baseHeaders, ...this.rateLimitHeaders(account, key, now) };

    // the service itself, ahead of everything else the key unlocks
    if (account.faults.maintenanceUntil !== null && now < account.faults.maintenanceUntil) {
      const headers = { ...authenticatedHeaders };
      const seconds = Math.ceil((account.faults.maintenanceUntil - now) / 1000);
      if (account.faults.maintenanceRetryAfter === 'seconds') headers['Retry-After'] = String(seconds);
      if (account.faults.maintenanceRetryAfter === 'http-date') headers['Retry-After'] = httpDate(account.faults.maintenanceUntil);
      return respond(errorResponse(new SimError('service_unavailable', 'NovaPulse is down for scheduled maintenance.', 503), headers));
    }

    if (!route) return respond(errorResponse(new SimError('not_found', `No such endpoint: ${request.method} ${request.path}`, 404), authenticatedHeaders));

    const fault = this.takeFault(account, route.endpoint, 'before');
    if (fault) return respond(this.faultResponse(account, fault, authenticatedHeaders));

    // 1 (cont). scope
    if (!key.scopes.includes(route.scope)) {
      const headers = { ...baseHeaders, ...this.rateLimitHeaders(account, key, now) };
      return respond(
        errorResponse(new SimError('insufficient_permissions', `This key lacks the ${route.scope} scope this endpoint needs.`), headers),
      );
    }

    // 2. rate limit: a fixed one-minute window per key
    const limit = account.faults.rateLimit ?? TIERS[account.tier].requestsPerMinute;
    const windowIndex = Math.floor(now / RATE_WINDOW_MS);
    if (key.windowIndex !== windowIndex) {
      key.windowIndex = windowIndex;
      key.windowCount = 0;
    }
    if (key.windowCount >= limit) {
      const headers = { ...baseHeaders, ...this.rateLimitHeaders(account, key, now) };
      headers['Retry-After'] = headers['X-RateLimit-Reset'] as string;
      return respond(errorResponse(new SimError('rate_limit_exceeded', `Rate limit of ${limit} requests per minute exceeded.`), headers), 0);
    }
    key.windowCount += 1;
    const rateHeaders = this.rateLimitHeaders(account, key, now);
    const remaining = Number(rateHeaders['X-RateLimit-Remaining']);
    const headers = { ...baseHeaders, ...rateHeaders };

    try {
      const response = await this.route(account, key, route, request, headers);
      const after = response.status < 300 ? this.takeFault(account, route.endpoint, 'after-accept') : null;
      return respond(after ? this.faultResponse(account, after, headers) : response, remaining);
    } catch (error) {
      if (error instanceof SimError) return respond(errorResponse(error, { ...headers, ...error.headers }), remaining);
      throw error;
    }
  }

  private rateLimitHeaders(account: SimAccount, key: SimKey, now: number): Record<string, string> {
    const limit = account.faults.rateLimit ?? TIERS[account.tier].requestsPerMinute;
    const windowIndex = Math.floor(now / RATE_WINDOW_MS);
    const used = key.windowIndex === windowIndex ? key.windowCount : 0;
    const resetSeconds = Math.ceil(((windowIndex + 1) * RATE_WINDOW_MS - now) / 1000);
    return {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit - used)),
      'X-RateLimit-Reset': String(resetSeconds),
    };
  }

  private takeFault(account: SimAccount, endpoint: SimEndpoint, phase: 'before' | 'after-accept'): ForcedFault | null {
    for (const fault of account.faults.forced) {
      if (fault.endpoint !== '*' && fault.endpoint !== endpoint) continue;
      if ((fault.phase ?? 'before') !== phase) continue;
      if (fault.remaining !== undefined && fault.remaining <= 0) continue;
      if (fault.probability !== undefined && account.random() >= fault.probability) continue;
      if (fault.remaining !== undefined) fault.remaining -= 1;
      return fault;
    }
    return null;
  }

  private faultResponse(account: SimAccount, fault: ForcedFault, headers: Record<string, string>): SimResponse {
    const withRetry = { ...headers };
    const retryAfter = fault.retryAfterSeconds ?? (fault.code === 'rate_limit_exceeded' ? 1 : undefined);
    if (retryAfter !== undefined) {
      withRetry['Retry-After'] =
        fault.retryAfterForm === 'http-date' ? httpDate(this.now(account) + retryAfter * 1000) : String(retryAfter);
    }
    if (fault.raw === 'html-502') {
      return {
        status: 502,
        headers: withRetry,
        contentType: 'text/html',
        rawBody: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>',
      };
    }
    if (fault.raw === 'invalid-json') return { status: fault.status ?? 500, headers: withRetry, contentType: 'application/json', rawBody: '{"error": {"code": "internal_' };
    if (fault.raw === 'wrong-shape') return { status: fault.status ?? 500, headers: withRetry, body: { message: 'Something went wrong' } };
    const code = fault.code ?? 'internal_error';
    const status = fault.status ?? (isKnownErrorCode(code) ? (ERROR_CATALOGUE[code].status ?? 500) : 400);
    return errorResponse(new SimError(code, account.serverText?.errorMessage ?? failureMessage(code), status), withRetry);
  }

  private async route(account: SimAccount, key: SimKey, route: Route, request: SimRequest, headers: Record<string, string>): Promise<SimResponse> {
    switch (route.endpoint) {
      case 'GET /v1/account':
        return { status: 200, headers, body: this.accountView(account, key) };
      case 'GET /v1/jobs':
        return { status: 200, headers, body: this.listJobs(account, request.query ?? new URLSearchParams()) };
      case 'GET /v1/jobs/:id':
        return { status: 200, headers, body: { job: this.jobView(account, this.findJob(account, route.jobId)) } };
      case 'GET /v1/jobs/:id/transcript':
        return { status: 200, headers, body: { transcript: this.transcript(account, this.findJob(account, route.jobId)) } };
      case 'GET /v1/jobs/:id/insights':
        return { status: 200, headers, body: { insights: this.insights(account, this.findJob(account, route.jobId)) } };
      case 'POST /v1/jobs':
        return { status: 202, headers, body: { job: await this.createJob(account, request.form ?? null) } };
    }
  }

  private accountView(account: SimAccount, key: SimKey) {
    const tier = TIERS[account.tier];
    const now = this.now(account);
    const usedThisPeriod = account.jobs
      .filter((job) => job.outcome.kind === 'completed' && job.finishesAt <= now && job.finishesAt >= account.periodStart)
      .reduce((sum, job) => sum + (job.durationSeconds ?? 0), 0);
    return {
      account: { id: account.id, name: account.name, tier: account.tier },
      key: {
        id: key.id,
        label: key.label,
        prefix: key.secret.slice(0, 12),
        scopes: key.scopes,
        expires_at: key.expiresAt === null ? null : iso(key.expiresAt),
      },
      limits: {
        requests_per_minute: account.faults.rateLimit ?? tier.requestsPerMinute,
        concurrent_jobs: account.faults.concurrentJobs ?? tier.concurrentJobs,
        max_file_bytes: MAX_FILE_BYTES,
        dedup_window_seconds: DEDUP_WINDOW_MS / 1000,
      },
      usage: {
        active_jobs: this.activeJobs(account),
        audio_seconds_used: Math.round(account.baseAudioSecondsUsed + usedThisPeriod),
        audio_seconds_included: tier.includedAudioSeconds,
        period_start: iso(account.periodStart),
        period_end: iso(account.periodEnd),
      },
    };
  }

  private findJob(account: SimAccount, id: string): SimJob {
    const job = account.jobsById.get(id);
    if (!job) throw new SimError('job_not_found', `No job ${id} in this account.`);
    return job;
  }

  private transcript(account: SimAccount, job: SimJob) {
    const { status } = this.jobStatus(account, job);
    if (status === 'failed' && job.outcome.code) throw new SimError(job.outcome.code, failureMessage(job.outcome.code));
    if (status !== 'completed') throw new SimError('job_not_ready', `Job ${job.id} is still ${status}; poll until it is completed.`);
    const transcript = generateTranscript(seededRandom(seedFromString(job.id)), job.durationSeconds ?? 60);
    const text = account.serverText?.transcriptText;
    if (text === undefined) return transcript;
    return { text: transcript.segments.map(() => text).join(' '), segments: transcript.segments.map((segment) => ({ ...segment, text })) };
  }

  private insights(account: SimAccount, job: SimJob) {
    if (job.pipeline !== 'full-analysis') {
      throw new SimError('pipeline_mismatch', `Job ${job.id} ran the transcription pipeline; insights need full-analysis.`);
    }
    const { status } = this.jobStatus(account, job);
    if (status === 'failed' && job.outcome.code) throw new SimError(job.outcome.code, failureMessage(job.outcome.code));
    if (status !== 'completed') throw new SimError('job_not_ready', `Job ${job.id} is still ${status}; poll until it is completed.`);
    return generateInsights(seededRandom(seedFromString(`${job.id}:insights`)));
  }

  private listJobs(account: SimAccount, query: URLSearchParams) {
    const status = query.get('status');
    const pipeline = query.get('pipeline');
    const errorCode = query.get('error_code');
    const idsParam = query.get('ids');
    const q = query.get('q')?.trim().toLowerCase();
    const limitParam = query.get('limit');
    const cursor = query.get('cursor');

    if (status !== null && !['queued', 'processing', 'completed', 'failed'].includes(status)) {
      throw new SimError('invalid_parameter', `status must be one of queued, processing, completed, failed; got "${status}".`);
    }
    if (pipeline !== null && !['transcription', 'full-analysis'].includes(pipeline)) {
      throw new SimError('invalid_parameter', `pipeline must be transcription or full-analysis; got "${pipeline}".`);
    }
    let limit = DEFAULT_LIST_LIMIT;
    if (limitParam !== null) {
      if (!/^\d+$/.test(limitParam) || Number(limitParam) < 1 || Number(limitParam) > MAX_LIST_LIMIT) {
        throw new SimError('invalid_parameter', `limit must be an integer from 1 to ${MAX_LIST_LIMIT}; got "${limitParam}".`);
      }
      limit = Number(limitParam);
    }
    let ids: Set<string> | null = null;
    if (idsParam !== null) {
      const list = idsParam.split(',').map((id) => id.trim()).filter(Boolean);
      if (list.length > MAX_IDS) throw new SimError('invalid_parameter', `ids takes at most ${MAX_IDS} job IDs; got ${list.length}.`);
      ids = new Set(list);
    }
    let after: { createdAt: number; id: string } | null = null;
    if (cursor !== null) {
      after = decodeCursor(cursor);
      if (!after) throw new SimError('invalid_parameter', 'cursor is not valid; use next_cursor from a previous page.');
    }

    const matches: ReturnType<NovaPulseSimulator['jobView']>[] = [];
    let hasMore = false;
    // Newest first in exactly the (created_at, id) order the cursor resumes from, so jobs sharing a
    // created_at are neither skipped nor repeated across pages.
    const ordered = [...account.jobs].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    for (const job of ordered) {
      if (after && !(job.createdAt < after.createdAt || (job.createdAt === after.createdAt && job.id < after.id))) continue;
      if (ids && !ids.has(job.id)) continue;
      if (pipeline && job.pipeline !== pipeline) continue;
      if (q && !matchesQuery(job, q)) continue;
      const view = this.jobView(account, job);
      if (status && view.status !== status) continue;
      if (errorCode && view.error?.code !== errorCode) continue;
      if (matches.length === limit) {
        hasMore = true;
        break;
      }
      matches.push(view);
    }
    const last = matches.at(-1);
    return { data: matches, next_cursor: hasMore && last ? encodeCursor(Date.parse(last.created_at), last.id) : null };
  }

  private async createJob(account: SimAccount, form: Map<string, SimFormValue> | null) {
    const file = form?.get('file');
    const pipeline = form?.get('pipeline');
    const languagePart = form?.get('language');
    const metadataPart = form?.get('metadata');

    // 3. required fields
    if (!file || typeof file === 'string') throw new SimError('missing_required_field', 'The "file" part is required and must be a file.');
    if (typeof pipeline !== 'string' || pipeline === '') throw new SimError('missing_required_field', 'The "pipeline" part is required.');

    // 4. pipeline value, metadata shape and size
    if (pipeline !== 'transcription' && pipeline !== 'full-analysis') {
      throw new SimError('invalid_parameter', `pipeline must be "transcription" or "full-analysis"; got "${pipeline}".`);
    }
    let metadata: Record<string, string> = {};
    if (metadataPart !== undefined) {
      if (typeof metadataPart !== 'string') throw new SimError('invalid_parameter', 'metadata must be a JSON object of string values.');
      if (utf8Length(metadataPart) > MAX_METADATA_BYTES) {
        throw new SimError('invalid_parameter', `metadata is ${utf8Length(metadataPart)} bytes; at most ${MAX_METADATA_BYTES} are allowed.`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(metadataPart);
      } catch {
        throw new SimError('invalid_parameter', 'metadata is not valid JSON.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new SimError('invalid_parameter', 'metadata must be a JSON object of string values.');
      }
      for (const [name, value] of Object.entries(parsed)) {
        if (typeof value !== 'string') throw new SimError('invalid_parameter', `metadata.${name} must be a string.`);
      }
      metadata = parsed as Record<string, string>;
    }

    // 5. language
    const language = typeof languagePart === 'string' ? languagePart : 'en-US';
    if (!isWellFormedLanguageTag(language)) {
      throw new SimError('invalid_language_code', `"${language}" is not a valid BCP-47 language tag; use a tag such as en-US.`);
    }

    // 6. size
    if (file.size > MAX_FILE_BYTES) {
      throw new SimError('file_too_large', `The file is ${file.size} bytes; the limit is ${MAX_FILE_BYTES} bytes (500 MB).`);
    }

    // 7. format, from the leading bytes only
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const format = sniffAudioFormat(head);
    if (!format) throw new SimError('unsupported_media_type', 'The file is not MP3, WAV, M4A, FLAC or OGG audio.');
    // Bytes that sniff as audio are accepted; NovaPulse fails the job while processing if no audio stream decodes.
    const decodable = (await checkContainer(format, file)).ok;

    // 8. deduplication
    const now = this.now(account);
    const sha256 = await sha256Hex(file);
    const fingerprint = dedupFingerprint(sha256, pipeline, language, metadata);
    const previous = account.dedup.get(fingerprint);
    if (previous && now - previous.acceptedAt < DEDUP_WINDOW_MS) {
      throw new SimError(
        'job_already_exists',
        `An identical job (${previous.jobId}) was submitted ${Math.floor((now - previous.acceptedAt) / 1000)} s ago; wait for the 60-second window to end or change the metadata.`,
      );
    }

    // 9. concurrency
    const limit = account.faults.concurrentJobs ?? TIERS[account.tier].concurrentJobs;
    if (this.activeJobs(account) >= limit) {
      throw new SimError('concurrent_jobs_exceeded', `The account already has ${limit} jobs queued or processing; wait for one to finish.`);
    }

    const startsAt = now + between(account.random, account.timing.queueMs);
    const job: SimJob = {
      id: this.newJobId(account, now),
      pipeline,
      language,
      file: { name: file.name || 'upload', size_bytes: file.size, content_type: AUDIO_CONTENT_TYPES[format], sha256 },
      metadata,
      durationSeconds: estimateDurationSeconds(head, file.size, format),
      createdAt: now,
      startsAt,
      finishesAt: startsAt + between(account.random, account.timing.processMs),
      outcome: decodable ? this.planOutcome(account) : { kind: 'failed', code: 'unsupported_media_type' },
    };
    this.addJob(account, job);
    account.dedup.set(fingerprint, { jobId: job.id, acceptedAt: now });
    return this.jobView(account, job);
  }
}

/* ---------------------------------------------------------------- helpers */

interface Route {
  endpoint: SimEndpoint;
  scope: string;
  jobId: string;
}

function matchRoute(method: string, path: string): Route | null {
  const clean = path.replace(/\/+$/, '');
  if (method === 'GET' && clean === '/v1/account') return { endpoint: 'GET /v1/account', scope: 'account:read', jobId: '' };
  if (clean === '/v1/jobs') {
    if (method === 'GET') return { endpoint: 'GET /v1/jobs', scope: 'jobs:read', jobId: '' };
    if (method === 'POST') return { endpoint: 'POST /v1/jobs', scope: 'jobs:write', jobId: '' };
    return null;
  }
  const match = /^\/v1\/jobs\/([^/]+)(\/transcript|\/insights)?$/.exec(clean);
  if (!match || method !== 'GET') return null;
  const jobId = decodeURIComponent(match[1] as string);
  if (match[2] === '/transcript') return { endpoint: 'GET /v1/jobs/:id/transcript', scope: 'jobs:read', jobId };
  if (match[2] === '/insights') return { endpoint: 'GET /v1/jobs/:id/insights', scope: 'insights:read', jobId };
  return { endpoint: 'GET /v1/jobs/:id', scope: 'jobs:read', jobId };
}

function errorResponse(error: SimError, headers: Record<string, string>): SimResponse {
  return { status: error.status, headers, body: { error: { code: error.code, message: error.message, status: error.status } } };
}

function failureMessage(code: string): string {
  switch (code) {
    case 'internal_error':
      return 'An unexpected error occurred while processing the audio.';
    case 'unsupported_media_type':
      return 'The audio could not be decoded; the file looked like audio but its stream is damaged or uses an unsupported codec.';
    case 'service_unavailable':
      return 'The processing service was unavailable and the job could not finish.';
    default:
      return isKnownErrorCode(code) ? ERROR_CATALOGUE[code].cause : `Simulated failure ${code}.`;
  }
}

function uploadedFileName(form: Map<string, SimFormValue> | null | undefined): string | null {
  const file = form?.get('file');
  return file && typeof file !== 'string' ? file.name || null : null;
}

function matchesQuery(job: SimJob, q: string): boolean {
  return (
    job.id.toLowerCase().includes(q) ||
    job.file.name.toLowerCase().includes(q) ||
    Object.values(job.metadata).some((value) => value.toLowerCase().includes(q))
  );
}

function encodeCursor(createdAt: number, id: string): string {
  return btoa(JSON.stringify([createdAt, id])).replace(/=+$/, '');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } | null {
  try {
    const parsed: unknown = JSON.parse(atob(cursor));
    if (Array.isArray(parsed) && typeof parsed[0] === 'number' && typeof parsed[1] === 'string') return { createdAt: parsed[0], id: parsed[1] };
  } catch {
    // falls through to "not valid"
  }
  return null;
}
