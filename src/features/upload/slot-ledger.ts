import { ApiError } from '../../api/api-error';
import type { Clock } from '../../lib/random';

/** What the runner needs of `GET /v1/account`. */
export interface AccountLimits {
  concurrentJobs: number;
  activeJobs: number;
  dedupWindowMs: number;
}

/** What the queue knows about job slots, for the screens. */
export interface SlotStatus {
  /** 'forbidden': the key lacks account:read, so the limits are unknown and uploads go one at a time. */
  account: 'not-read' | 'readable' | 'forbidden';
  concurrentJobs: number | null;
  activeJobs: number | null;
  inFlight: number;
  free: number;
  /** While the service is down (503 without Retry-After): nothing but the probe goes before this time; 0 otherwise. */
  serviceDownUntil: number;
}

/** While uploads wait for a slot, the account is read this often: jobs started elsewhere end too. */
export const SLOT_REREAD_MS = 10_000;
/** The contract's dedup window, used until the account says otherwise. */
const DEFAULT_DEDUP_WINDOW_MS = 60_000;

export interface SlotLedgerDeps {
  clock: Clock;
  readAccount: () => Promise<AccountLimits>;
  /** Our own accepted jobs still queued or processing, as the poll last saw them: a floor under the account's count. */
  ownActiveJobs: () => number;
  /** Uploads that may be in flight right now. */
  inFlight: () => number;
  /** An account read ended (answered or not): the runner looks at its queue again. */
  onReadSettled: () => void;
}

/**
 * The one owner of "how many uploads may go now": the last account read,
 * the acceptances and settlements seen since, a 429 concurrent_jobs_exceeded,
 * and the outage probe (one upload at a time while the service is down). It
 * decides when the account is read, and reads it.
 */
export function createSlotLedger(deps: SlotLedgerDeps) {
  const { clock } = deps;
  /** The last account read, with the time its request was sent: what it says was true no earlier than that. */
  let snapshot: (AccountLimits & { requestedAt: number }) | null = null;
  let accountAccess: SlotStatus['account'] = 'not-read';
  /** Own acceptances (+1) and settlements (-1) seen, with when; those after the snapshot's request adjust it. */
  let entries: { at: number; delta: 1 | -1 }[] = [];
  /** A 429 concurrent_jobs_exceeded at this time: no slot until a job ends or a later account read says otherwise. */
  let exhaustedAt: number | null = null;
  let readingAccount = false;
  let lastAccountReadAt = Number.NEGATIVE_INFINITY;
  let accountReadWanted = false;
  /** Account reads that failed in a row: the next is tried sooner than the usual period, backing off. */
  let accountReadFailures = 0;
  /** After a 503 without Retry-After, one upload at a time probes the service. */
  let probing = false;
  /** While probing: nothing more is sent before the probe's own retry time, so a down service sees one request at a time. */
  let serviceDownUntil = 0;
  /** 503s without Retry-After in a row: the service's failures, not any one upload's, set the backoff. */
  let serviceFailures = 0;

  function estimatedActive(): number {
    if (!snapshot) return deps.ownActiveJobs();
    const since = snapshot.requestedAt;
    const adjustment = entries.reduce((sum, entry) => (entry.at >= since ? sum + entry.delta : sum), 0);
    // The account's count may be older than our latest acceptance; our own jobs are a floor it cannot go under.
    return Math.max(0, snapshot.activeJobs + adjustment, deps.ownActiveJobs());
  }

  function freeSlots(): number {
    const inFlight = deps.inFlight();
    if (exhaustedAt !== null) return 0;
    if (probing && clock() < serviceDownUntil) return 0;
    let free: number;
    if (accountAccess === 'forbidden') free = 1 - inFlight;
    else if (!snapshot) return 0;
    else free = snapshot.concurrentJobs - estimatedActive() - inFlight;
    return Math.max(0, probing ? Math.min(free, 1 - inFlight) : free);
  }

  function status(): SlotStatus {
    return {
      account: accountAccess,
      concurrentJobs: snapshot?.concurrentJobs ?? null,
      activeJobs: snapshot ? estimatedActive() : null,
      inFlight: deps.inFlight(),
      free: freeSlots(),
      serviceDownUntil: probing ? serviceDownUntil : 0,
    };
  }

  async function readAccount() {
    readingAccount = true;
    accountReadWanted = false;
    const requestedAt = clock();
    lastAccountReadAt = requestedAt;
    try {
      const limits = await deps.readAccount();
      accountReadFailures = 0;
      accountAccess = 'readable';
      snapshot = { ...limits, requestedAt };
      entries = entries.filter((entry) => entry.at >= requestedAt);
      // Read after the refusal: the account now speaks for the slots.
      if (exhaustedAt !== null && requestedAt > exhaustedAt) exhaustedAt = null;
    } catch (error) {
      // A key that may upload but not read the account still uploads, one at a time (finding 13).
      if (error instanceof ApiError && error.code === 'insufficient_permissions') accountAccess = 'forbidden';
      else if (error instanceof ApiError && error.entry.retry.kind === 'auth-gate') {
        // Refused for the key: read again as soon as a key is entered (the gate holds the read until then).
        lastAccountReadAt = Number.NEGATIVE_INFINITY;
      } else {
        accountReadFailures += 1;
        accountReadWanted = true;
      }
    } finally {
      readingAccount = false;
      deps.onReadSettled();
    }
  }

  return {
    freeSlots,
    status,
    dedupWindowMs: () => snapshot?.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS,
    /** Until when nothing is sent because the service is down (0 when it is not). */
    serviceDownUntil: () => (probing ? serviceDownUntil : 0),

    /**
     * Decides whether the account must be read now, or when next, given that uploads wait for a slot (`waiters`).
     * Starts the read when it is due; returns the time of the next read when one is due later.
     */
    planAccountRead(now: number, waiters: boolean): number | null {
      if (readingAccount || accountAccess === 'forbidden' || !waiters) return null;
      const needed = snapshot === null || accountReadWanted || (exhaustedAt !== null && lastAccountReadAt <= exhaustedAt) || freeSlots() === 0;
      if (!needed) return null;
      if (!Number.isFinite(lastAccountReadAt)) {
        void readAccount();
        return null;
      }
      const due = lastAccountReadAt + (accountReadWanted || exhaustedAt !== null ? 0 : SLOT_REREAD_MS);
      // Never more than one read per second, whatever asks for it; after failures, 1 s, 2 s, 4 s... up to the usual period.
      const spacing = accountReadFailures > 0 ? Math.min(SLOT_REREAD_MS, 1_000 * 2 ** (accountReadFailures - 1)) : 1_000;
      const at = Math.max(due, lastAccountReadAt + spacing);
      if (at <= now) {
        void readAccount();
        return null;
      }
      return at;
    },

    /** One of our uploads became a job (sent, or adopted). */
    jobAccepted(at: number) {
      entries.push({ at, delta: 1 });
    },
    /** The service answered an upload: the outage, if there was one, is over. */
    serviceAnswered() {
      probing = false;
      serviceFailures = 0;
    },
    /** A job this console tracks ended: a slot is free, and the account is worth reading. */
    jobSettled(at: number) {
      entries.push({ at, delta: -1 });
      exhaustedAt = null;
      accountReadWanted = true;
    },
    /** 429 concurrent_jobs_exceeded: no slot until a job ends or a later read says otherwise. */
    slotsRefused(at: number) {
      exhaustedAt = at;
      accountReadWanted = true;
    },
    /** A 503 without Retry-After: one probe at a time from now on. Returns how many such failures in a row. */
    serviceDown(): number {
      probing = true;
      serviceFailures += 1;
      return serviceFailures;
    },
    /** The probe's next attempt is at `until`: nothing else goes before it. */
    serviceDownUntilAtLeast(until: number) {
      serviceDownUntil = Math.max(serviceDownUntil, until);
    },
  };
}

export type SlotLedger = ReturnType<typeof createSlotLedger>;
