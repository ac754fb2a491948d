import { type CatalogueEntry, catalogueEntryFor } from '../errors/catalogue';
import type { RateLimitInfo } from './headers';

/** How a failure came about; every one of them becomes an ApiError. */
export type ApiErrorKind =
  /** A well-formed error envelope with a code the catalogue knows. */
  | 'envelope'
  /** A well-formed envelope with a code the catalogue does not know. */
  | 'unknown-code'
  /** A body that is not JSON, or JSON of the wrong shape (a proxy's HTML 502 page, say). */
  | 'malformed'
  /** The request never got an answer. */
  | 'network'
  | 'aborted'
  | 'timeout';

export interface ApiErrorInit {
  kind: ApiErrorKind;
  code: string;
  status: number | null;
  message: string;
  requestId?: string | null;
  retryAfterMs?: number | null;
  /** The wait is the console's assumption, not the server's `Retry-After` (which the page could not read). */
  retryAfterAssumed?: boolean;
  /** The response's `Date`: the server's clock when it answered. */
  serverDate?: number | null;
  rateLimit?: RateLimitInfo | null;
  /** The first few hundred characters of a body that could not be read, for support. */
  rawBody?: string | null;
  method?: string;
  path?: string;
  at?: number;
}

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly code: string;
  readonly status: number | null;
  readonly requestId: string | null;
  readonly retryAfterMs: number | null;
  readonly retryAfterAssumed: boolean;
  readonly serverDate: number | null;
  readonly rateLimit: RateLimitInfo | null;
  readonly rawBody: string | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly at: number | null;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = 'ApiError';
    this.kind = init.kind;
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.retryAfterAssumed = init.retryAfterAssumed ?? false;
    this.serverDate = init.serverDate ?? null;
    this.rateLimit = init.rateLimit ?? null;
    this.rawBody = init.rawBody ?? null;
    this.method = init.method ?? null;
    this.path = init.path ?? null;
    this.at = init.at ?? null;
  }

  /** What the catalogue says about this failure (unknown codes by status class). */
  get entry(): CatalogueEntry {
    return catalogueEntryFor(this.code, this.status);
  }
}

/** The same failure, waiting `retryAfterMs` the console chose because the server's time could not be read. */
export function withAssumedRetryAfter(error: ApiError, retryAfterMs: number): ApiError {
  return new ApiError({
    kind: error.kind,
    code: error.code,
    status: error.status,
    message: error.message,
    requestId: error.requestId,
    retryAfterMs,
    retryAfterAssumed: true,
    serverDate: error.serverDate,
    rateLimit: error.rateLimit,
    rawBody: error.rawBody,
    method: error.method ?? undefined,
    path: error.path ?? undefined,
    at: error.at ?? undefined,
  });
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
