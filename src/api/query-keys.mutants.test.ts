import { queryKeys } from './query-keys';

// Written against survivors of the mutation run (docs/mutation-testing.md).

describe('query keys', () => {
  it('run from general to specific under one root', () => {
    expect(queryKeys.all).toEqual(['novapulse']);
    expect(queryKeys.account()).toEqual(['novapulse', 'account']);
    expect(queryKeys.jobs()).toEqual(['novapulse', 'jobs']);
    expect(queryKeys.jobList({ status: 'failed' })).toEqual(['novapulse', 'jobs', 'list', { status: 'failed' }]);
  });

  it('name the same set of polled ids the same way whatever their order, without reordering the caller’s list', () => {
    const ids = ['job_b', 'job_a'];
    expect(queryKeys.jobsByIds(ids)).toEqual(['novapulse', 'jobs', 'by-ids', ['job_a', 'job_b']]);
    expect(queryKeys.jobsByIds(['job_a', 'job_b'])).toEqual(queryKeys.jobsByIds(ids));
    expect(ids).toEqual(['job_b', 'job_a']);
  });
});
