import type { Exchange } from '../../api/client';

/** Why the console waited before sending a request again. */
export type WaitReason = 'retry-after' | 'slot' | 'backoff';

export interface RequestLogRow {
  id: number;
  startedAt: number;
  method: string;
  path: string;
  /** The query string as sent ("" when none). */
  query: string;
  /** The path with ids replaced, e.g. `/v1/jobs/{id}/transcript`: what the log is filtered by. */
  endpoint: string;
  /** null: no answer (network failure, timeout). */
  status: number | null;
  code: string | null;
  requestId: string | null;
  durationMs: number;
  /** The wait before this request, when it repeats one that failed (same upload, or same method, path and query). */
  waitBeforeMs: number | null;
  waitReason: WaitReason | null;
  /** What the answer asked the console to wait (Retry-After). */
  retryAfterMs: number | null;
  /** The file an upload sent; null for every other request. */
  fileName: string | null;
  /** Sent by an earlier page load of this tab (kept across the reload). */
  earlier: boolean;
  /** It repeats a read the console cancelled just before (see `cancelledTwins`), whose row it stands for. */
  repeatedAfterCancel: boolean;
}

export type StatusFilter = 'all' | '2xx' | '4xx' | '5xx' | 'no answer';
export const STATUS_FILTERS: readonly StatusFilter[] = ['all', '2xx', '4xx', '5xx', 'no answer'];

export function endpointOf(path: string): string {
  return path.replace(/^\/v1\/jobs\/[^/?]+/, '/v1/jobs/{id}').replace(/\?.*$/, '');
}

/** Cancelled by the console itself (a screen left, a refetch replaced): not a failure anything waited after. */
export function wasCancelled(exchange: Pick<Exchange, 'status' | 'code'>): boolean {
  return exchange.status === null && exchange.code === 'aborted';
}

function failed(exchange: Exchange): boolean {
  return !wasCancelled(exchange) && (exchange.status === null || exchange.status >= 400);
}

const byStart = (a: Exchange, b: Exchange) => a.startedAt - b.startedAt || a.id - b.id;

/** What a repeat of a request repeats: the same upload, or the same method, path and query. */
function targetOf(exchange: Exchange): string {
  return exchange.uploadId ? `upload ${exchange.uploadId}` : `${exchange.method} ${exchange.path}?${exchange.query ?? ''}`;
}

/** How soon after a cancelled read the same read must start to count as its twin; a remount starts it within milliseconds. */
const TWIN_WINDOW_MS = 500;

/**
 * The reads the console cancelled and sent again at once, each mapped to the exchange that repeated it: React's
 * StrictMode mounts every screen twice in the dev server (its first read is cancelled as the screen unmounts, and sent
 * again as it mounts), and a refetch can replace one under way. Such a pair is one request to the person reading the
 * log. Uploads are never folded: an upload cancelled is a person's cancel (or the console stopping), and stays.
 */
export function cancelledTwins(exchanges: readonly Exchange[]): Map<number, number> {
  const twins = new Map<number, number>();
  const nextByTarget = new Map<string, Exchange>();
  const ordered = [...exchanges].sort(byStart);
  for (let index = ordered.length - 1; index >= 0; index--) {
    const exchange = ordered[index] as Exchange;
    const target = targetOf(exchange);
    const repeat = nextByTarget.get(target);
    const read = exchange.method === 'GET' && !exchange.uploadId;
    if (read && wasCancelled(exchange) && repeat && repeat.startedAt - exchange.endedAt <= TWIN_WINDOW_MS) twins.set(exchange.id, repeat.id);
    nextByTarget.set(target, exchange);
  }
  return twins;
}

function reasonAfter(previous: Exchange): WaitReason {
  if (previous.retryAfterMs !== null) return 'retry-after';
  if (previous.status === 429 && previous.code === 'concurrent_jobs_exceeded') return 'slot';
  return 'backoff';
}

/**
 * The request log's rows, newest first, read from the exchange log (never the key: an exchange has no headers).
 * A request that repeats a failed one (the same upload's next attempt, or the same method, path and query) shows the
 * wait between the failed answer and it, and why: the server's Retry-After, a concurrency slot, or backoff. Reads of
 * one path with another query (a list page, a poll of other jobs, a count) are other requests, not its retries. A read
 * cancelled and sent again at once is one row, the repeat's (`cancelledTwins`).
 */
export function requestLogRows(exchanges: readonly Exchange[]): RequestLogRow[] {
  const lastByTarget = new Map<string, Exchange>();
  const rows: RequestLogRow[] = [];
  const twins = cancelledTwins(exchanges);
  const repeats = new Set(twins.values());
  const ordered = [...exchanges].sort(byStart);
  for (const exchange of ordered) {
    const target = targetOf(exchange);
    const previous = lastByTarget.get(target);
    lastByTarget.set(target, exchange);
    if (twins.has(exchange.id)) continue;
    const repeatsFailure = previous !== undefined && failed(previous);
    rows.push({
      id: exchange.id,
      startedAt: exchange.startedAt,
      method: exchange.method,
      path: exchange.path,
      query: exchange.query ?? '',
      endpoint: endpointOf(exchange.path),
      status: exchange.status,
      code: exchange.code,
      requestId: exchange.requestId,
      durationMs: Math.max(0, exchange.endedAt - exchange.startedAt),
      waitBeforeMs: repeatsFailure ? Math.max(0, exchange.startedAt - previous.endedAt) : null,
      waitReason: repeatsFailure ? reasonAfter(previous) : null,
      retryAfterMs: exchange.retryAfterMs,
      fileName: exchange.fileName ?? null,
      earlier: exchange.earlier === true,
      repeatedAfterCancel: repeats.has(exchange.id),
    });
  }
  return rows.reverse();
}

export function matchesStatus(row: Pick<RequestLogRow, 'status'>, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'no answer') return row.status === null;
  if (row.status === null) return false;
  return `${Math.floor(row.status / 100)}xx` === filter;
}

/** The log as a support ticket wants it: times in ISO 8601, nothing but what the rows hold. */
export function requestLogJson(rows: readonly RequestLogRow[], exportedAt: number): string {
  return `${JSON.stringify(
    {
      exported_at: new Date(exportedAt).toISOString(),
      requests: rows.map((row) => ({
        at: new Date(row.startedAt).toISOString(),
        method: row.method,
        path: row.path,
        query: row.query,
        status: row.status,
        code: row.code,
        request_id: row.requestId,
        duration_ms: row.durationMs,
        wait_before_ms: row.waitBeforeMs,
        wait_reason: row.waitReason,
        retry_after_ms: row.retryAfterMs,
        file_name: row.fileName,
      })),
    },
    null,
    2,
  )}\n`;
}
