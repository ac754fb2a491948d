import type { z } from 'zod/mini';
import { isKnownErrorCode } from '../errors/catalogue';
import { abortableDelay } from '../lib/abortable-delay';
import type { Clock } from '../lib/random';
import { systemClock } from '../lib/random';
import { ApiError, withAssumedRetryAfter } from './api-error';
import { sendWithFetch } from './fetch-transport';
import { parseRateLimit, parseRetryAfter, parseServerDate, type RateLimitInfo } from './headers';
import { type BlindPacer, createBlindPacer, unreadableHeaders, waitWithoutRetryAfter } from './hidden-headers';
import type { RequestGate } from './request-gate';
import { errorEnvelopeSchema } from './schemas';
import { DEFAULT_ANSWER_TIMEOUT_MS, sendWithXhr, type UploadProgress } from './xhr-transport';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path relative to the base URL, starting with /v1. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: FormData;
  signal?: AbortSignal;
  /** Sends with XMLHttpRequest and reports upload progress. */
  onUploadProgress?: (progress: UploadProgress) => void;
  /** Aborts an XHR upload after this long without progress. */
  stallTimeoutMs?: number;
  /** The upload queue item this request sends, copied to its Exchange so a job's timeline can list its attempts. */
  uploadId?: string;
  /** The name of the file an upload sends, copied to its Exchange so the request log can name it. */
  fileName?: string;
}

/** One request as the console saw it: the raw material of the request log and job timelines. Never holds the key. */
export interface Exchange {
  id: number;
  method: string;
  path: string;
  startedAt: number;
  endedAt: number;
  status: number | null;
  requestId: string | null;
  code: string | null;
  retryAfterMs: number | null;
  rateLimit: RateLimitInfo | null;
  uploadId?: string;
  /** The file an upload sent (its name only). */
  fileName?: string;
  /** The query string as sent, without `?`; absent when there was none. Tells reads of one path apart. */
  query?: string;
  /** Headers the console needed from this answer and could not read (hidden by CORS, or not sent); absent when none. */
  unreadable?: readonly string[];
  /** Sent by an earlier page load of this tab (kept across a reload): history, not the key's window now. */
  earlier?: true;
}

export interface ApiClientOptions {
  baseUrl: string;
  getKey: () => string | null;
  gate: RequestGate;
  fetch?: typeof fetch;
  clock?: Clock;
  onExchange?: (exchange: Exchange) => void;
  pacer?: BlindPacer;
}

export interface ApiClient {
  request<T>(request: ApiRequest, schema: z.ZodMiniType<T>): Promise<T>;
  readonly gate: RequestGate;
  readonly baseUrl: string;
  /** How far the server's clock (its responses' `Date`) runs ahead of this browser's; 0 until a response tells. */
  serverTimeOffsetMs(): number;
  /** This client's own count of the key's window, which paces it when the API's is unreadable. */
  readonly pacer: BlindPacer;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  bodyText: string;
}

const RAW_BODY_EXCERPT = 300;
/** How many recent responses' Date headers the server-clock offset is estimated from. */
const OFFSET_SAMPLES = 20;
/** How long a request without a body (a read) waits for its answer. */
export const READ_ANSWER_TIMEOUT_MS = 30_000;

export function buildUrl(baseUrl: string, path: string, query?: ApiRequest['query']): string {
  const base = baseUrl.replace(/\/+$/, '');
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return `${base}${path}${search ? `?${search}` : ''}`;
}

/** Turns any non-2xx answer into an ApiError; exported for the transport tests. */
export function errorFromResponse(response: RawResponse, context: { method: string; path: string; now: number }): ApiError {
  const { status, headers, bodyText } = response;
  const serverDate = parseServerDate(headers, context.now);
  const base = {
    status,
    requestId: headers.get('X-Request-Id'),
    retryAfterMs: parseRetryAfter(headers.get('Retry-After'), context.now, serverDate),
    serverDate,
    rateLimit: parseRateLimit(headers, context.now),
    method: context.method,
    path: context.path,
    at: context.now,
  };
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return new ApiError({
      ...base,
      kind: 'malformed',
      code: 'malformed_response',
      message: `Unexpected response from the server (HTTP ${status}).`,
      rawBody: bodyText.slice(0, RAW_BODY_EXCERPT),
    });
  }
  const envelope = errorEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    return new ApiError({
      ...base,
      kind: 'malformed',
      code: 'malformed_response',
      message: `Unexpected response from the server (HTTP ${status}).`,
      rawBody: bodyText.slice(0, RAW_BODY_EXCERPT),
    });
  }
  const { code, message } = envelope.data.error;
  return new ApiError({ ...base, kind: isKnownErrorCode(code) ? 'envelope' : 'unknown-code', code, message });
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const clock = options.clock ?? systemClock;
  const gate = options.gate;
  const pacer = options.pacer ?? createBlindPacer({ clock });
  // Answers in a row whose wait the page could not read: each doubles the next assumed wait.
  let assumedWaitsInARow = 0;
  let exchangeCounter = 0;
  // Each response gives floor(server time) - arrival time, which is at most the true offset and within a second of it; the
  // largest of the recent samples is the closest, and a window lets a server whose clock was corrected be followed.
  const offsetSamples: number[] = [];
  let serverTimeOffsetMs = 0;

  async function send(request: ApiRequest, url: string, key: string | null): Promise<RawResponse> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (key) headers.Authorization = `Bearer ${key}`;
    // XHR where the platform has it (browsers), for upload progress; fetch elsewhere (Node: tests, benchmarks).
    if ((request.onUploadProgress || request.stallTimeoutMs) && typeof XMLHttpRequest !== 'undefined') {
      return sendWithXhr({
        method: request.method,
        url,
        headers,
        body: request.body,
        signal: request.signal,
        onUploadProgress: request.onUploadProgress,
        stallTimeoutMs: request.stallTimeoutMs,
      });
    }
    const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    // Every answer is awaited for a bounded time: a lost answer to a poll, an account read or a lookup would otherwise hold
    // the queue or the poller for ever. An upload sent by fetch gets the XHR's longer bound.
    const answerTimeoutMs = request.onUploadProgress || request.stallTimeoutMs ? DEFAULT_ANSWER_TIMEOUT_MS : READ_ANSWER_TIMEOUT_MS;
    return sendWithFetch(fetchImpl, { method: request.method, url, headers, body: request.body, signal: request.signal, answerTimeoutMs });
  }

  async function request<T>(request: ApiRequest, schema: z.ZodMiniType<T>): Promise<T> {
    const context = { method: request.method, path: request.path, ...(request.uploadId ? { uploadId: request.uploadId } : {}) };
    try {
      // The gate first (a Retry-After, a 401), then this tab's own count when the API's is unreadable; a hold that
      // arrives during the pacing wait is passed again.
      await gate.pass(request.signal);
      for (let wait = pacer.waitBeforeSend(clock()); wait > 0; wait = pacer.waitBeforeSend(clock())) {
        await abortableDelay(wait, request.signal);
        await gate.pass(request.signal);
      }
    } catch {
      throw new ApiError({ kind: 'aborted', code: 'aborted', status: null, message: 'The request was cancelled.', ...context, at: clock() });
    }
    const url = buildUrl(options.baseUrl, request.path, request.query);
    const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
    const exchangeContext = { ...context, ...(search ? { query: search } : {}), ...(request.fileName ? { fileName: request.fileName } : {}) };
    const startedAt = clock();
    const id = ++exchangeCounter;
    // Read together, synchronously: the key this request carries and the gate's count of keys at that moment.
    const keyGeneration = gate.getState().keyGeneration;
    const key = options.getKey();
    let response: RawResponse;
    pacer.sent(startedAt);
    try {
      response = await send(request, url, key);
    } catch (error) {
      const endedAt = clock();
      const kind = isAbort(error) ? 'aborted' : error instanceof ApiError ? error.kind : 'network';
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError({
              kind,
              code: kind === 'aborted' ? 'aborted' : 'network_error',
              status: null,
              message: kind === 'aborted' ? 'The request was cancelled.' : 'Could not reach NovaPulse. Check the connection.',
              ...context,
              at: endedAt,
            });
      options.onExchange?.({ id, ...exchangeContext, startedAt, endedAt, status: null, requestId: null, code: apiError.code, retryAfterMs: null, rateLimit: null });
      throw apiError;
    }
    const now = clock();
    const serverDate = parseServerDate(response.headers, now);
    if (serverDate !== null) {
      offsetSamples.push(serverDate - now);
      if (offsetSamples.length > OFFSET_SAMPLES) offsetSamples.shift();
      serverTimeOffsetMs = Math.max(...offsetSamples);
    }
    const rateLimit = parseRateLimit(response.headers, now);
    const requestId = response.headers.get('X-Request-Id');
    const unreadable = (code: string | null) => {
      const missing = unreadableHeaders(response.headers, response.status, code);
      return missing.length > 0 ? { unreadable: missing } : {};
    };
    if (response.status !== 401) pacer.answerRead(rateLimit !== null);
    if (response.status >= 200 && response.status < 300) {
      assumedWaitsInARow = 0;
      options.onExchange?.({ id, ...exchangeContext, startedAt, endedAt: now, status: response.status, requestId, code: null, retryAfterMs: null, rateLimit, ...unreadable(null) });
      return parseBody(response, schema, { ...context, now });
    }
    let error = errorFromResponse(response, { ...context, now });
    const assumedWait = waitWithoutRetryAfter({
      status: response.status,
      code: error.code,
      retryAfterMs: error.retryAfterMs,
      rateLimit,
      rateLimitReadable: rateLimit !== null,
      now,
      repeats: assumedWaitsInARow,
    });
    if (assumedWait !== null) {
      assumedWaitsInARow += 1;
      error = withAssumedRetryAfter(error, assumedWait);
    }
    options.onExchange?.({
      id,
      ...exchangeContext,
      startedAt,
      endedAt: now,
      status: response.status,
      requestId,
      code: error.code,
      // What the server asked, not what the console assumed in its place.
      retryAfterMs: error.retryAfterAssumed ? null : error.retryAfterMs,
      rateLimit,
      ...unreadable(error.code),
    });
    applyToGate(error, now, keyGeneration);
    throw error;
  }

  function applyToGate(error: ApiError, now: number, keyGeneration: number) {
    // A 401 for a key that has since been replaced says nothing about the current key.
    if (error.entry.retry.kind === 'auth-gate') gate.keyRejected(error.code, keyGeneration);
    // Retry-After on a 429 or 503, whatever its code, asks the client to wait: every request on the key waits.
    if (error.retryAfterMs !== null && (error.status === 429 || error.status === 503)) {
      gate.hold(now + error.retryAfterMs, error.code);
    } else if (error.status === 503 && error.entry.retry.kind === 'backoff') {
      // No time named: this tab's backoff paces its one probe, and the other tabs wait the backoff's base meanwhile.
      gate.serviceDown(now + error.entry.retry.baseMs, error.code);
    }
  }

  return { request, gate, baseUrl: options.baseUrl, serverTimeOffsetMs: () => serverTimeOffsetMs, pacer };
}

function parseBody<T>(response: RawResponse, schema: z.ZodMiniType<T>, context: { method: string; path: string; now: number }): T {
  const malformed = (detail: string) =>
    new ApiError({
      kind: 'malformed',
      code: 'malformed_response',
      status: response.status,
      message: `Unexpected response from the server: ${detail}`,
      requestId: response.headers.get('X-Request-Id'),
      rawBody: response.bodyText.slice(0, RAW_BODY_EXCERPT),
      method: context.method,
      path: context.path,
      at: context.now,
    });
  let json: unknown;
  try {
    json = JSON.parse(response.bodyText);
  } catch {
    throw malformed('the body is not JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}
