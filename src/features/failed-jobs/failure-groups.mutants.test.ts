import { describe, expect, it } from 'vitest';
import { failedJob } from '../../testing/failed-job';
import { failuresPerHour, groupFailures } from './failure-groups';

// Written against the survivors of a mutation run (docs/mutation-testing.md, issue 13).

const T0 = Date.UTC(2026, 11, 1, 12);
const HOUR = 3_600_000;

const job = failedJob;

describe('failure groups', () => {
  it('a failed job without an error body is grouped under "unknown", with its id', () => {
    const groups = groupFailures([job('j1', T0, null), job('j2', T0 - 1, 'internal_error'), job('j3', T0 - 2, null)]);
    expect(groups.map((group) => [group.code, group.count, group.jobIds])).toEqual([
      ['unknown', 2, ['j1', 'j3']],
      ['internal_error', 1, ['j2']],
    ]);
  });

  it('lists the largest group first whatever order the failures came in', () => {
    const jobs = [
      job('a1', T0 - 10, 'file_too_large'),
      job('b1', T0 - 20, 'internal_error'),
      job('b2', T0 - 21, 'internal_error'),
      job('b3', T0 - 22, 'internal_error'),
      job('c1', T0 - 30, 'service_unavailable'),
      job('c2', T0 - 31, 'service_unavailable'),
    ];
    expect(groupFailures(jobs).map((group) => group.code)).toEqual(['internal_error', 'service_unavailable', 'file_too_large']);
    expect(groupFailures([...jobs].reverse()).map((group) => group.code)).toEqual(['internal_error', 'service_unavailable', 'file_too_large']);
  });

  it('between groups of the same size, the one that failed most recently comes first', () => {
    const jobs = [job('a', T0 - 3 * HOUR, 'file_too_large'), job('b', T0 - 2 * HOUR, 'internal_error'), job('c', T0 - HOUR, 'service_unavailable'), job('d', T0, 'unsupported_media_type')];
    expect(groupFailures(jobs).map((group) => group.code)).toEqual(['unsupported_media_type', 'service_unavailable', 'internal_error', 'file_too_large']);
    expect(groupFailures([...jobs].reverse()).map((group) => group.code)).toEqual(['unsupported_media_type', 'service_unavailable', 'internal_error', 'file_too_large']);
  });

  it('counts a failure at the range start in the first hour and one at its end in the last, and none outside', () => {
    const start = T0 - 2 * HOUR;
    expect(failuresPerHour([start, T0, T0 + 1, start - 1], start, T0)).toEqual([1, 1]);
  });
});
