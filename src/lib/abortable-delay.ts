/** Resolves after `ms`, or rejects with the signal's reason (an AbortError) as soon as `signal` aborts. */
export function abortableDelay(ms: number, signal?: AbortSignal | null): Promise<void> {
  const reason = () => signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(reason());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(reason());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
