/** What the header's jump box opens for what was typed or pasted: a job by its ID, else the Jobs page's search. */
export type JumpTarget = { kind: 'job'; jobId: string } | { kind: 'search'; q: string } | { kind: 'api-key' } | null;

const JOB_ID = /^job_[0-9A-Za-z]+$/;
/** Any part of a NovaPulse key (`np_live_` or `np_test_` and what follows), wherever it sits in the text: a secret. */
const API_KEY_SHAPE = /np_(live|test)_[A-Za-z0-9]/i;

export function jumpTarget(input: string): JumpTarget {
  // Pasted IDs often carry quotes or a trailing period from a chat message or a log line.
  const text = input.trim().replace(/^["'`]+|["'`.,;]+$/g, '');
  if (!text) return null;
  // A key never goes into an address (the search is in the URL, the history, the request log) nor to the API as a query.
  if (API_KEY_SHAPE.test(text)) return { kind: 'api-key' };
  if (JOB_ID.test(text)) return { kind: 'job', jobId: text };
  return { kind: 'search', q: text.slice(0, 200) };
}

/** True when a key press belongs to something the person is typing in, so a page shortcut must not take it. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  return element.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
}
