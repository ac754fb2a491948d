import { ApiError } from './api-error';
import type { RawResponse } from './client';
import { formatSeconds } from './xhr-transport';

export interface FetchRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: FormData;
  signal?: AbortSignal;
  /**
   * How long to wait for the answer, and then between two pieces of it.
   * fetch cannot tell when the body is sent, so the bound runs from the start.
   * Unset: no bound (a plain fetch).
   */
  answerTimeoutMs?: number;
}

/** fetch, where there is no XMLHttpRequest (Node: tests and benchmarks), with the answer bounded as the XHR's is. */
export async function sendWithFetch(fetchImpl: typeof fetch, request: FetchRequest): Promise<RawResponse> {
  const { answerTimeoutMs } = request;
  if (answerTimeoutMs === undefined) {
    const response = await fetchImpl(request.url, { method: request.method, headers: request.headers, body: request.body, signal: request.signal });
    return { status: response.status, headers: response.headers, bodyText: await response.text() };
  }
  if (request.signal?.aborted) throw new DOMException('Aborted', 'AbortError');

  const controller = new AbortController();
  let outcome: 'timeout' | 'aborted' | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      outcome = 'timeout';
      controller.abort();
    }, answerTimeoutMs);
  };
  const onCallerAbort = () => {
    outcome ??= 'aborted';
    controller.abort();
  };
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });

  try {
    arm();
    const response = await fetchImpl(request.url, { method: request.method, headers: request.headers, body: request.body, signal: controller.signal });
    let bodyText = '';
    if (response.body) {
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        arm();
        const { done, value } = await reader.read();
        if (done) break;
        bodyText += decoder.decode(value, { stream: true });
      }
      bodyText += decoder.decode();
    }
    return { status: response.status, headers: response.headers, bodyText };
  } catch (error) {
    if (outcome === 'timeout') {
      throw new ApiError({
        kind: 'timeout',
        code: 'timeout',
        status: null,
        message: `No answer came for ${formatSeconds(answerTimeoutMs)}; the request was stopped.`,
      });
    }
    if (outcome === 'aborted') throw new DOMException('Aborted', 'AbortError');
    throw error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    request.signal?.removeEventListener('abort', onCallerAbort);
  }
}
