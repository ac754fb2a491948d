/**
 * Re-reads of the account that an event asks for (an upload accepted, a job ended: the gauges' slot count moved),
 * coalesced and paced by the background budget: one read for any number of events, never sooner than the
 * account's share of the budget allows after the last read of any kind (a slot check of the upload runner
 * counts). Without it a draining queue re-read the account twice per job, outside the budget.
 */
export function createAccountReads(deps: {
  /** Reads the account (the gauges' query, if any is on screen). */
  read: () => Promise<unknown>;
  /** When the account was last read, by anyone (epoch ms; 0 never). */
  lastReadAt: () => number;
  /** The account's share of the background budget as a gap, now (`backgroundGap`). */
  budgetGapMs: () => number;
  clock: () => number;
  /** Even with budget to spare, events this close share one read. */
  minGapMs?: number;
}) {
  const minGapMs = deps.minGapMs ?? 1_000;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let askedAt = 0;
  let stopped = false;

  const waitFromNow = () => deps.lastReadAt() + Math.max(minGapMs, deps.budgetGapMs()) - deps.clock();

  function schedule(ms: number) {
    timer = setTimeout(fire, Math.max(0, ms));
  }

  async function fire() {
    timer = null;
    if (stopped) return;
    // Someone read the account after the event: the gauges already show what it changed.
    if (deps.lastReadAt() > askedAt) return;
    const wait = waitFromNow();
    if (wait > 0) {
      schedule(wait);
      return;
    }
    await deps.read().catch(() => undefined);
  }

  return {
    /** Something the account shows has changed on the server. */
    changed() {
      if (stopped) return;
      if (timer === null) askedAt = deps.clock();
      else return;
      schedule(waitFromNow());
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
