import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useApiClient, useLatestRateLimitReader } from '../../api/api-client-context';
import { fetchJobs } from '../../api/endpoints/list-jobs';
import { systemRandom } from '../../lib/random';
import { type FailedSearch, rangeMs } from './failed-search';
import { createFailureScan, type FailureScan, type FailureScanState } from './failure-scan';

const EMPTY_STATE: FailureScanState = { jobs: [], done: false, pages: 0, error: null, paused: false };
const noSubscribe = () => () => {};

/** The failures of the range, read page by page in the background; `generation` counts again. */
export function useFailureScan(search: FailedSearch, generation: number): FailureScanState & { resume: () => void } {
  const client = useApiClient();
  // The key's window as the schedules see it (the client's own count when the API's is unreadable), read when needed.
  const rateWindow = useLatestRateLimitReader();
  const rateWindowRef = useRef(rateWindow);
  rateWindowRef.current = rateWindow;
  const [scan, setScan] = useState<FailureScan | null>(null);
  const { code, pipeline, q, range } = search;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` restarts the count on request.
  useEffect(() => {
    const next = createFailureScan({
      fetchPage: (cursor, signal) =>
        fetchJobs(client, { status: 'failed', limit: 100, cursor: cursor ?? undefined, error_code: code, pipeline, q }, signal),
      rangeStart: Date.now() + client.serverTimeOffsetMs() - rangeMs(range),
      clock: () => Date.now(),
      random: systemRandom,
      rateLimit: () => rateWindowRef.current(),
    });
    setScan(next);
    next.start();
    // A new key (or the same key entered again) is the moment a count paused by a 401 can go on.
    let keyGeneration = client.gate.getState().keyGeneration;
    const stopWatchingKey = client.gate.subscribe((gateState) => {
      if (gateState.keyGeneration === keyGeneration) return;
      keyGeneration = gateState.keyGeneration;
      if (next.getState().paused) next.resume();
    });
    return () => {
      stopWatchingKey();
      next.stop();
    };
  }, [client, code, pipeline, q, range, generation]);
  const state = useSyncExternalStore(scan?.subscribe ?? noSubscribe, scan?.getState ?? (() => EMPTY_STATE));
  return { ...state, resume: () => scan?.resume() };
}
