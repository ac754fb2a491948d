import type { GateState } from '../../api/request-gate';
import type { UploadItem } from './upload-queue-store';

/** What a queued upload waits for right now, from the queue's, the gate's and the runner's state. */
export interface WaitContext {
  gate: Pick<GateState, 'auth' | 'heldUntil' | 'heldBy'>;
  /** The runner's outage probe: nothing but the probe goes before this (0 when the service is up). */
  serviceDownUntil: number;
  online: boolean;
  now: number;
}

const seconds = (until: number, now: number) => Math.max(1, Math.ceil((until - now) / 1000));

/** The words for a waiting upload: the wait that holds it, not always "a free slot". */
export function waitingLabel(item: Pick<UploadItem, 'retryReason'>, context: WaitContext): string {
  const { gate, now } = context;
  if (gate.auth === 'closed') return item.retryReason === 'expired_api_key' ? 'Waiting: paused until a new API key is set' : 'Waiting for an API key';
  if (!context.online) return 'Waiting for the connection';
  if (gate.heldUntil > now) {
    const left = seconds(gate.heldUntil, now);
    if (gate.heldBy === 'service_unavailable') return `Waiting for NovaPulse's maintenance window to end (Retry-After, about ${left} s)`;
    if (gate.heldBy === 'rate_limit_exceeded') return `Waiting for the rate limit (Retry-After, about ${left} s)`;
    return `Waiting: NovaPulse asked for a pause (Retry-After, about ${left} s)`;
  }
  if (context.serviceDownUntil > now) return `Waiting: NovaPulse is unavailable; one upload tests it again in about ${seconds(context.serviceDownUntil, now)} s`;
  return 'Waiting for a free slot';
}

/** What a held or skipped upload repeats, and what happens to it next, in words. */
export function heldExplanation(
  item: Pick<UploadItem, 'state' | 'dedupUntil' | 'submitWhenWindowEnds' | 'duplicateOf'>,
  now: number,
): { repeats: string; next: string } {
  const of = item.duplicateOf ?? null;
  const repeats = !of
    ? 'It repeats an upload NovaPulse received in the last 60 seconds (same bytes, pipeline, language and metadata).'
    : of.sameBatch && of.fileName
      ? `It has the same bytes as ${of.fileName}, in this batch.`
      : of.fileName
        ? `It repeats ${of.fileName}, uploaded less than a minute ago.`
        : 'It repeats a job NovaPulse received in the last 60 seconds.';
  if (item.state === 'skipped') return { repeats, next: 'Not sent, so it does not make a second job. Choose "Send anyway" to send it too.' };
  const left = item.dedupUntil === null ? 0 : Math.max(0, Math.ceil((item.dedupUntil - now) / 1000));
  if (left === 0) return { repeats, next: item.submitWhenWindowEnds ? 'The window has ended: it is being sent.' : 'The window has ended: it is skipped.' };
  return {
    repeats,
    next: item.submitWhenWindowEnds
      ? `The window ends in ${left} s. It will be sent then, by itself.`
      : `The window ends in ${left} s. NovaPulse refuses it until then; after that it is skipped unless you choose to send it.`,
  };
}
