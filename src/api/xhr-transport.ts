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
  stallTimeoutMs?: number;
}

function parseHeaderBlock(block: string): Headers {
  const headers = new Headers();
  for (const line of block.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** XMLHttpRequest, because fetch cannot report upload progress. */
export function sendWithXhr(request: XhrRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const armStallTimer = () => {
      if (!request.stallTimeoutMs) return;
      if (stallTimer !== undefined) clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        cleanup();
        xhr.abort();
        reject(
          new ApiError({
            kind: 'timeout',
            code: 'timeout',
            status: null,
            message: `No progress for ${Math.round(request.stallTimeoutMs! / 1000)} s; the upload was stopped.`,
          }),
        );
      }, request.stallTimeoutMs);
    };
    const onAbort = () => xhr.abort();
    const cleanup = () => {
      if (stallTimer !== undefined) clearTimeout(stallTimer);
      request.signal?.removeEventListener('abort', onAbort);
    };

    xhr.open(request.method, request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      armStallTimer();
      request.onUploadProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : null });
    };
    // Every byte is sent: the server may now take a while to read and check a large file, which is not a stall.
    xhr.upload.onload = () => {
      if (stallTimer !== undefined) clearTimeout(stallTimer);
      stallTimer = undefined;
    };
    xhr.onprogress = armStallTimer;
    xhr.onload = () => {
      cleanup();
      resolve({ status: xhr.status, headers: parseHeaderBlock(xhr.getAllResponseHeaders()), bodyText: xhr.responseText });
    };
    xhr.onerror = () => {
      cleanup();
      reject(new TypeError('Network request failed'));
    };
    xhr.onabort = () => {
      cleanup();
      reject(new DOMException('Aborted', 'AbortError'));
    };
    if (request.signal?.aborted) {
      reject(new DOMException('Aborted', 'AbortError'));
      return;
    }
    request.signal?.addEventListener('abort', onAbort, { once: true });
    armStallTimer();
    xhr.send(request.body ?? null);
  });
}
