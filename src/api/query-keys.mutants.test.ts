import { QueryClient } from '@tanstack/react-query';
import { dataKindOf, dataKinds, queryKeys } from './query-keys';

describe('query keys', () => {
  it('run from general to specific under one root, each kind of data directly under it', () => {
    expect(queryKeys.all).toEqual(['novapulse']);
    expect(queryKeys.account()).toEqual(['novapulse', 'account']);
    expect(queryKeys.jobListHead({ status: 'failed' })).toEqual(['novapulse', 'job-list-head', { status: 'failed' }]);
    expect(queryKeys.jobPages({ status: 'failed' })).toEqual(['novapulse', 'job-pages', { status: 'failed' }]);
    expect(queryKeys.recentJobs()).toEqual(['novapulse', 'recent-jobs']);
    expect(queryKeys.job('job_1')).toEqual(['novapulse', 'job', 'job_1']);
    expect(queryKeys.transcript('job_1')).toEqual(['novapulse', 'transcript', 'job_1']);
    expect(queryKeys.insights('job_1')).toEqual(['novapulse', 'insights', 'job_1']);
    expect(queryKeys.kind(dataKinds.jobPages)).toEqual(['novapulse', 'job-pages']);
  });

  it('give every kind its own prefix: matching one kind never meets a key of another', () => {
    const samples = [
      queryKeys.account(),
      queryKeys.jobListHead({}),
      queryKeys.jobPages({}),
      queryKeys.recentJobs(),
      queryKeys.job('x'),
      queryKeys.transcript('x'),
      queryKeys.insights('x'),
    ];
    const queryClient = new QueryClient();
    for (const key of samples) queryClient.setQueryData([...key], 'data');
    for (const kind of Object.values(dataKinds)) {
      const matched = queryClient.getQueryCache().findAll({ queryKey: queryKeys.kind(kind) });
      expect(matched.map((query) => dataKindOf(query.queryKey))).toEqual([kind]);
    }
  });

  it('name no kind for a key made elsewhere', () => {
    expect(dataKindOf(['novapulse', 'jobs', 'list'])).toBeNull();
    expect(dataKindOf(['other', 'job'])).toBeNull();
    expect(dataKindOf([])).toBeNull();
  });
});
