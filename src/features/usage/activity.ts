import type { Job, JobStatus } from '../../api/schemas';

export const ACTIVITY_WINDOW_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

export interface Activity {
  /** Jobs created in the window, by their status now. */
  byStatus: Record<JobStatus, number>;
  /** Jobs created per hour, oldest hour first (24 bins; the last ends now). */
  perHour: number[];
  /** Failure codes of the window's failed jobs, most frequent first. */
  topFailures: { code: string; count: number }[];
  total: number;
}

/** What the last 24 h looked like, from the jobs read (newest first). Pure: `now` comes in. */
export function activityOf(jobs: readonly Pick<Job, 'status' | 'created_at' | 'error'>[], now: number): Activity {
  const byStatus: Record<JobStatus, number> = { queued: 0, processing: 0, completed: 0, failed: 0 };
  const perHour = Array.from({ length: 24 }, () => 0);
  const failures = new Map<string, number>();
  let total = 0;
  for (const job of jobs) {
    const created = Date.parse(job.created_at);
    const age = now - created;
    if (Number.isNaN(created) || age >= ACTIVITY_WINDOW_MS) continue;
    total += 1;
    byStatus[job.status] += 1;
    const hour = 23 - Math.min(23, Math.floor(Math.max(0, age) / HOUR_MS));
    perHour[hour] = (perHour[hour] ?? 0) + 1;
    if (job.status === 'failed') {
      const code = job.error?.code ?? 'unknown';
      failures.set(code, (failures.get(code) ?? 0) + 1);
    }
  }
  const topFailures = [...failures.entries()].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return { byStatus, perHour, topFailures, total };
}
