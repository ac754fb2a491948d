import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { createJobStatusHistory, jobStatusHistoryFor, watchJobStatuses } from './job-status-history';
import { queryKeys } from './query-keys';

describe('job status history', () => {
  it('keeps each change of status with the time it was first seen, not repeats', () => {
    let now = 100;
    const history = createJobStatusHistory(() => now);
    const listener = vi.fn();
    history.subscribe(listener);
    history.observe('job_1', 'queued');
    now = 200;
    history.observe('job_1', 'queued');
    now = 300;
    history.observe('job_1', 'processing');
    now = 400;
    history.observe('job_1', 'completed');
    expect(history.list('job_1')).toEqual([
      { status: 'queued', seenAt: 100 },
      { status: 'processing', seenAt: 300 },
      { status: 'completed', seenAt: 400 },
    ]);
    expect(listener).toHaveBeenCalledTimes(3);
    expect(history.list('job_2')).toEqual([]);
  });

  it('forgets the job seen longest ago beyond its bound', () => {
    const history = createJobStatusHistory(() => 1, 2);
    history.observe('a', 'queued');
    history.observe('b', 'queued');
    history.observe('a', 'processing');
    history.observe('c', 'queued');
    expect(history.list('b')).toEqual([]);
    expect(history.list('a')).toHaveLength(2);
    expect(history.list('c')).toHaveLength(1);
  });

  it('records jobs written under their detail key in the query cache, and nothing else', () => {
    const queryClient = new QueryClient();
    const history = jobStatusHistoryFor(queryClient);
    expect(jobStatusHistoryFor(queryClient)).toBe(history);
    const stop = watchJobStatuses(queryClient.getQueryCache(), history);
    // Partial shapes, written under untyped copies of the keys: the watcher reads what any writer leaves.
    const untyped = (key: readonly unknown[]): unknown[] => [...key];
    queryClient.setQueryData(untyped(queryKeys.job('job_1')), { id: 'job_1', status: 'queued' });
    queryClient.setQueryData(untyped(queryKeys.job('job_1')), { id: 'job_1', status: 'processing' });
    queryClient.setQueryData(untyped(queryKeys.transcript('job_1')), { id: 'job_1', status: 'failed' });
    queryClient.setQueryData(untyped(queryKeys.account()), { id: 'job_1', status: 'failed' });
    expect(history.list('job_1').map((entry) => entry.status)).toEqual(['queued', 'processing']);
    stop();
    queryClient.setQueryData(untyped(queryKeys.job('job_1')), { id: 'job_1', status: 'completed' });
    expect(history.list('job_1')).toHaveLength(2);
  });
});
