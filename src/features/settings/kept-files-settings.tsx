import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { buttonStyles } from '../../components/button-styles';
import { formatBytes } from '../../lib/format';

/** What this panel needs of the kept-files store (the app passes the upload feature's). */
export interface KeptFilesSource {
  summary(): Promise<{ count: number; bytes: number; capBytes: number }>;
  clear(): Promise<void>;
}

type Summary = Awaited<ReturnType<KeptFilesSource['summary']>>;

const files = (count: number) => `${count} ${count === 1 ? 'file' : 'files'}`;

/** How much of accepted uploads' bytes this browser keeps, the cap, and a way to clear them. */
export function KeptFilesSettings({ keptFiles }: { keptFiles: KeptFilesSource }) {
  const [summary, setSummary] = useState<Summary | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [clearing, setClearing] = useState(false);
  const [done, setDone] = useState('');
  const titleId = useId();
  const confirmButton = useRef<HTMLButtonElement>(null);
  const clearButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      setSummary(await keptFiles.summary());
      setProblem(null);
    } catch (error) {
      setProblem(`The kept files could not be read (${error instanceof Error ? error.message : String(error)}).`);
    }
  }, [keptFiles]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  async function clear() {
    const cleared = summary;
    setClearing(true);
    try {
      await keptFiles.clear();
      setDone(cleared ? `Cleared ${files(cleared.count)} (${formatBytes(cleared.bytes)}).` : 'Cleared.');
      setConfirming(false);
      await load();
      // The clear button is disabled now that nothing is kept: focus goes back to the panel.
      heading.current?.focus();
    } catch (error) {
      setProblem(`The kept files could not be cleared (${error instanceof Error ? error.message : String(error)}).`);
    } finally {
      setClearing(false);
    }
  }

  return (
    <section aria-labelledby={titleId} className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={titleId} ref={heading} tabIndex={-1} className="text-lg font-semibold">
        Kept files
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        The bytes of accepted uploads stay in this browser so that a file can be sent again (for example for full analysis) without finding it on disk. The
        newest are kept; the oldest go once the cap is reached.
      </p>
      {summary ? (
        <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-600">Files kept</dt>
          <dd className="tabular-nums">{summary.count}</dd>
          <dt className="text-slate-600">Space used</dt>
          <dd className="tabular-nums">
            {formatBytes(summary.bytes)} of {formatBytes(summary.capBytes)}
          </dd>
        </dl>
      ) : problem ? null : (
        <p className="mt-3 text-sm text-slate-600">Reading the kept files…</p>
      )}
      {confirming && summary ? (
        <fieldset className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm">
          <legend className="float-left text-red-950">
            Delete the {files(summary.count)} kept in this browser ({formatBytes(summary.bytes)})? Their jobs stay as they are, but these files cannot be
            sent again from here.
          </legend>
          <div className="clear-left flex gap-2 pt-2">
            <button ref={confirmButton} type="button" className={buttonStyles.danger} disabled={clearing} onClick={() => void clear()}>
              Yes, clear kept files
            </button>
            <button
              type="button"
              className={buttonStyles.secondary}
              disabled={clearing}
              onClick={() => {
                setConfirming(false);
                clearButton.current?.focus();
              }}
            >
              Keep them
            </button>
          </div>
        </fieldset>
      ) : (
        <button
          ref={clearButton}
          type="button"
          className={`${buttonStyles.danger} mt-3`}
          disabled={!summary || summary.count === 0}
          onClick={() => {
            setDone('');
            setConfirming(true);
          }}
        >
          Clear kept files
        </button>
      )}
      <p role="status" className="mt-2 text-sm text-emerald-800">
        {done}
      </p>
      {problem ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
