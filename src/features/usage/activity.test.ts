import type { Job } from '../../api/schemas';
import { activityOf } from './activity';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const HOUR = 3_600_000;
const job = (hoursAgo: number, status: Job['status'], code?: string) =>
  ({ created_at: new Date(NOW - hoursAgo * HOUR).toISOString(), status, error: code ? { code, message: 'x' } : null }) as Pick<Job, 'status' | 'created_at' | 'error'>;

describe('activityOf', () => {
  it('counts the jobs created in the last 24 hours by status, leaving older ones out', () => {
    const activity = activityOf([job(0.1, 'queued'), job(1, 'processing'), job(5, 'completed'), job(23.9, 'failed', 'internal_error'), job(24, 'completed'), job(30, 'failed', 'internal_error')], NOW);
    expect(activity.total).toBe(4);
    expect(activity.byStatus).toEqual({ queued: 1, processing: 1, completed: 1, failed: 1 });
  });

  it('puts each job in its hour, the newest hour last', () => {
    const { perHour } = activityOf([job(0.5, 'completed'), job(0.9, 'completed'), job(2.5, 'completed'), job(23.5, 'completed')], NOW);
    expect(perHour).toHaveLength(24);
    expect(perHour[23]).toBe(2);
    expect(perHour[21]).toBe(1);
    expect(perHour[0]).toBe(1);
    expect(perHour.reduce((sum, n) => sum + n, 0)).toBe(4);
  });

  it('ranks failure causes by count, then by code', () => {
    const { topFailures } = activityOf(
      [job(1, 'failed', 'unsupported_media_type'), job(2, 'failed', 'internal_error'), job(3, 'failed', 'internal_error'), job(4, 'failed', 'service_unavailable'), job(5, 'failed')],
      NOW,
    );
    expect(topFailures).toEqual([
      { code: 'internal_error', count: 2 },
      { code: 'service_unavailable', count: 1 },
      { code: 'unknown', count: 1 },
      { code: 'unsupported_media_type', count: 1 },
    ]);
  });
});
