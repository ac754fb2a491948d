import { screen, within } from '@testing-library/react';
import type { NovaPulseSimulator } from '../mocks/core/simulator';
import type { SimAccountHandle } from './render-app';

/** Jobs that move: processing ends within half a second (failing where the fault says so). */
export const FAST_JOBS = { queueMs: [0, 0] as [number, number], processMs: [200, 400] as [number, number] };

/** The account's jobs as the simulator holds them, with the status it would answer now. */
export function simJobs(simulator: NovaPulseSimulator, account: SimAccountHandle) {
  const sim = simulator.account(account.accountId);
  return account.jobs().map((job) => ({ id: job.id, name: job.file.name, pipeline: job.pipeline, sha256: job.file.sha256, status: simulator.jobStatus(sim, job).status }));
}

/** The Failed jobs list's row for `jobId` (found by its link). */
export function failureRow(jobId: string) {
  const list = screen.getByRole('list', { name: 'Failures, newest first' });
  const row = within(list)
    .getAllByRole('listitem')
    .find((item) => within(item).queryByRole('link', { name: jobId }));
  if (!row) throw new Error(`no row for ${jobId}`);
  return row;
}

/** Only Date is faked, and it runs on: timers and the network stay real, and a test can skip NovaPulse's 60 s window. */
export function fakeDateEachTest() {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
