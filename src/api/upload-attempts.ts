import type { Exchange } from './client';

/** One POST /v1/jobs this browser sent for an upload, as a job's timeline shows it. */
export interface UploadAttempt {
  exchangeId: number;
  startedAt: number;
  endedAt: number;
  status: number | null;
  code: string | null;
  requestId: string | null;
  retryAfterMs: number | null;
  /** Time between the previous attempt's answer and this attempt's start (gate holds and backoff included); null for the first. */
  waitedMs: number | null;
}

/** The upload attempts of one queue item, oldest first, read from the exchange log (this tab's, kept across a reload). */
export function uploadAttempts(exchanges: readonly Exchange[], uploadId: string): UploadAttempt[] {
  const sent = exchanges
    .filter((exchange) => exchange.uploadId === uploadId && exchange.method === 'POST' && exchange.path === '/v1/jobs')
    .sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
  let previousEnd: number | null = null;
  return sent.map((exchange) => {
    const waitedMs = previousEnd === null ? null : Math.max(0, exchange.startedAt - previousEnd);
    previousEnd = exchange.endedAt;
    return {
      exchangeId: exchange.id,
      startedAt: exchange.startedAt,
      endedAt: exchange.endedAt,
      status: exchange.status,
      code: exchange.code,
      requestId: exchange.requestId,
      retryAfterMs: exchange.retryAfterMs,
      waitedMs,
    };
  });
}
