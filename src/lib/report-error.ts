/**
 * Reports an error thrown by a consumer (a cache patch, a listener) without
 * stopping the caller's own bookkeeping: the browser's `reportError` fires the
 * page's `error` event and logs it as an uncaught error would be, so it is seen
 * (tests fail on it) and the caller still frees its slots and settles its statuses.
 */
export function reportConsumerError(error: unknown): void {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}
