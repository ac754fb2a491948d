import type { Job } from '../../api/schemas';

export interface FailureGroup {
  code: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  jobIds: string[];
}

/** When a job failed: its last update (a failed job changes no more), else its creation. */
export function failedAt(job: Job): number {
  const updated = Date.parse(job.updated_at);
  return Number.isNaN(updated) ? Date.parse(job.created_at) : updated;
}

/** Groups by error code, largest first (ties by the most recent failure). */
export function groupFailures(jobs: readonly Job[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const job of jobs) {
    const code = job.error?.code ?? 'unknown';
    const at = failedAt(job);
    const group = groups.get(code);
    if (group) {
      group.count += 1;
      group.firstSeen = Math.min(group.firstSeen, at);
      group.lastSeen = Math.max(group.lastSeen, at);
      group.jobIds.push(job.id);
    } else {
      groups.set(code, { code, count: 1, firstSeen: at, lastSeen: at, jobIds: [job.id] });
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen);
}

const HOUR_MS = 3_600_000;

/** Failures per hour from `start` to `end` (the last bin may be partial). */
export function failuresPerHour(times: readonly number[], start: number, end: number): number[] {
  const bins = new Array<number>(Math.max(1, Math.ceil((end - start) / HOUR_MS))).fill(0);
  for (const at of times) {
    if (at < start || at > end) continue;
    const index = Math.min(bins.length - 1, Math.floor((at - start) / HOUR_MS));
    bins[index] = (bins[index] ?? 0) + 1;
  }
  return bins;
}
