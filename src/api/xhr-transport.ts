import { ApiError } from './api-error';
import type { RawResponse } from './client';

export interface UploadProgress {
  loaded: number;
  /** Null when the browser cannot tell (e.g. a service worker intercepts the upload). */
  total: number | null;
}

export interface XhrRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: FormData;
  signal?: AbortSignal;
  onUploadProgress?: (progress: UploadProgress) => void;
  /** While the body is being sent: how long without upload progress before the request is given up as stalled. */
  stallTimeoutMs?: number;
  /**
   * Once every byte is sent: how long to wait for the answer (and between two
   * pieces of it). Long by default, because the server may read and check a
   * large file for a while before it answers.
   */
  answerTimeoutMs?: number;
}

export const DEFAULT_ANSWER_TIMEOUT_MS = 120_000;

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** A stalled upload: it may have reached the server, and is retried with backoff like a lost connection. */
export function stallTimeoutError(stallTimeoutMs: number): ApiError {
  return new ApiError({
    kind: 'timeout',
    code: 'timeout',
    status: null,
    message: `No progress for ${formatSeconds(stallTimeoutMs)}; the upload was stopped.`,
  });
}

export function answerTimeoutError(answerTimeoutMs: number): ApiError {
  return new ApiError({
    kind: 'timeout',
    code: 'timeout',
    status: null,
    message: `Every byte was sent, but no answer came for ${formatSeconds(answerTimeoutMs)}; the request was stopped.`,
  });
}

function parseHeaderBlock(block: string): Headers {
  const headers = new Headers();
  for (const line of block.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * XMLHttpRequest, because fetch cannot report upload progress.
 *
 * Two phases, each with its own bound: while sending, no upload progress for
 * `stallTimeoutMs` is a stall; once every byte is sent (upload `load`, or the
 * answer's headers where the platform reports no upload events), no answer
 * for `answerTimeoutMs` is a lost answer. Both reject with ApiError kind
 * 'timeout'; only the caller's signal rejects as an AbortError.
 */
export function sendWithXhr(request: XhrRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const answerTimeoutMs = request.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
    let phase: 'sending' | 'answering' = request.body ? 'sending' : 'answering';
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;

    const clearTimer = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    // Settle first, then abort: xhr.abort() fires `abort` synchronously, which must not decide the outcome.
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimer();
      request.signal?.removeEventListener('abort', onCallerAbort);
      outcome();
    };
    const giveUp = (error: ApiError) => {
      settle(() => reject(error));
      xhr.abort();
    };
    const arm = () => {
      if (settled) return;
      clearTimer();
      if (phase === 'sending') {
        const stallTimeoutMs = request.stallTimeoutMs;
        if (stallTimeoutMs) timer = setTimeout(() => giveUp(stallTimeoutError(stallTimeoutMs)), stallTimeoutMs);
      } else {
        timer = setTimeout(() => giveUp(answerTimeoutError(answerTimeoutMs)), answerTimeoutMs);
      }
    };
    const bodySent = () => {
      if (phase === 'answering') return;
      phase = 'answering';
      arm();
    };
    const onCallerAbort = () => {
      settle(() => reject(new DOMException('Aborted', 'AbortError')));
      xhr.abort();
    };

    if (request.signal?.aborted) {
      reject(new DOMException('Aborted', 'AbortError'));
      return;
    }

    xhr.open(request.method, request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      arm();
      request.onUploadProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : null });
    };
    xhr.upload.onload = bodySent;
    xhr.onreadystatechange = () => {
      if (xhr.readyState >= XMLHttpRequest.HEADERS_RECEIVED) bodySent();
    };
    xhr.onprogress = arm;
    xhr.onload = () => {
      settle(() => resolve({ status: xhr.status, headers: parseHeaderBlock(xhr.getAllResponseHeaders()), bodyText: xhr.responseText }));
    };
    xhr.onerror = () => {
      settle(() => reject(new TypeError('Network request failed')));
    };
    // Only reached for an abort nobody here started (the page unloading, say): the request did not finish.
    xhr.onabort = () => {
      settle(() => reject(new DOMException('Aborted', 'AbortError')));
    };
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    arm();
    xhr.send(request.body ?? null);
  });
}
