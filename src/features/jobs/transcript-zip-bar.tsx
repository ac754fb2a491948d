import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useApiClient } from '../../api/api-client-context';
import { transcriptQueryOptions } from '../../api/endpoints/get-transcript';
import { queryKeys } from '../../api/query-keys';
import type { Job } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { downloadBlob } from '../../components/download-text';
import { ErrorNotice } from '../../components/error-notice';
import { TRANSCRIPT_FORMATS, type TranscriptFormat } from '../../lib/transcript-formats';
import { transcriptZipName } from '../../lib/transcript-zip-names';
import type { ZipProgress } from './transcript-zip';
import { type LeftOutJob, leftOutAfterFetch, leftOutSummary, planTranscriptZip } from './transcript-zip-plan';

type ZipRun =
  | { phase: 'idle' }
  | { phase: 'running'; progress: ZipProgress }
  | { phase: 'saved'; fileName: string; written: number; leftOut: LeftOutJob[] }
  | { phase: 'nothing-saved'; leftOut: LeftOutJob[] }
  | { phase: 'cancelled'; progress: ZipProgress }
  | { phase: 'failed'; error: unknown };

const plural = (count: number, one: string, many: string) => `${count.toLocaleString()} ${count === 1 ? one : many}`;

/**
 * The Jobs page's selection and its one action: the selected jobs' transcripts as one zip, in a chosen format. What
 * will be left out (jobs with no transcript) is said before the click; transcripts that could not be fetched, after.
 */
export function TranscriptZipBar({
  loadedCount,
  selected,
  allLoadedSelected,
  onSelectAllLoaded,
  onClear,
}: {
  loadedCount: number;
  /** The selected jobs, in the list's order, as the list last knew them. */
  selected: readonly Job[];
  allLoadedSelected: boolean;
  onSelectAllLoaded: (selectAll: boolean) => void;
  onClear: () => void;
}) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<TranscriptFormat>('txt');
  const [run, setRun] = useState<ZipRun>({ phase: 'idle' });
  const controllerRef = useRef<AbortController | null>(null);
  const selectAllRef = useRef<HTMLInputElement>(null);
  const downloadRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const wasRunning = useRef(false);
  const formatId = useId();
  const plan = useMemo(() => planTranscriptZip(selected, format), [selected, format]);
  const running = run.phase === 'running';

  useEffect(() => {
    if (selectAllRef.current) selectAllRef.current.indeterminate = selected.length > 0 && !allLoadedSelected;
  }, [selected.length, allLoadedSelected]);
  // The Download button is disabled while it runs, which drops the keyboard's focus: hand it to Cancel, and back after,
  // before the browser paints (a layout effect), so no frame has the focus on the page's body.
  useLayoutEffect(() => {
    const active = document.activeElement;
    const focusLost = active === null || active === document.body;
    if (running && !wasRunning.current && (focusLost || active === downloadRef.current)) cancelRef.current?.focus();
    if (!running && wasRunning.current && focusLost) downloadRef.current?.focus();
    wasRunning.current = running;
  }, [running]);
  // Leaving the page stops the download: its requests are not left running for a zip nobody will see.
  useEffect(() => () => controllerRef.current?.abort(new DOMException('The Jobs page was closed.', 'AbortError')), []);

  // Through the QueryClient, so the catalogue's retry rules apply and a transcript already read is not read again; the
  // API client adds the key and passes the request gate. Not kept afterwards (gcTime 0) unless a screen shows it.
  const fetchTranscript = useCallback(
    async (jobId: string, signal: AbortSignal) => {
      const queryKey = queryKeys.transcript(jobId);
      const cancel = () => void queryClient.cancelQueries({ queryKey, exact: true });
      signal.addEventListener('abort', cancel, { once: true });
      try {
        return await queryClient.fetchQuery({ ...transcriptQueryOptions(client, jobId), gcTime: 0 });
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    },
    [client, queryClient],
  );

  async function download() {
    const { entries, leftOut } = plan;
    const controller = new AbortController();
    controllerRef.current = controller;
    let progress: ZipProgress = { settled: 0, failed: 0, total: entries.length };
    setRun({ phase: 'running', progress });
    try {
      const { zipTranscripts } = await import('./transcript-zip');
      const result = await zipTranscripts({
        entries,
        format,
        fetchTranscript,
        signal: controller.signal,
        onProgress: (next) => {
          progress = next;
          setRun({ phase: 'running', progress: next });
        },
      });
      const allLeftOut = [...leftOut, ...result.failures.map(({ entry, error }) => leftOutAfterFetch(entry.job, error))];
      if (result.written === 0) {
        setRun({ phase: 'nothing-saved', leftOut: allLeftOut });
        return;
      }
      const fileName = transcriptZipName(format, Date.now());
      downloadBlob(fileName, result.blob);
      setRun({ phase: 'saved', fileName, written: result.written, leftOut: allLeftOut });
    } catch (error) {
      setRun(controller.signal.aborted ? { phase: 'cancelled', progress } : { phase: 'failed', error });
    } finally {
      if (controllerRef.current === controller) controllerRef.current = null;
    }
  }

  const count = selected.length;
  return (
    <section aria-labelledby={`${formatId}-title`} className="mb-3 rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <h2 id={`${formatId}-title`} className="sr-only">
        Selection and transcript download
      </h2>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <label className="flex items-center gap-2 font-medium text-slate-800">
          <input
            ref={selectAllRef}
            type="checkbox"
            className="size-4 accent-indigo-700"
            checked={allLoadedSelected}
            disabled={loadedCount === 0}
            onChange={(event) => onSelectAllLoaded(event.target.checked)}
          />
          Select all {loadedCount.toLocaleString()} loaded
        </label>
        <span role="status" className="tabular-nums text-slate-700">
          {count === 0 ? 'None selected' : `${count.toLocaleString()} selected`}
        </span>
        {count > 0 ? (
          <button type="button" className={buttonStyles.secondary} onClick={onClear}>
            Clear selection
          </button>
        ) : null}
        <div className="flex flex-wrap items-center gap-2 @min-[44rem]/jobs:ml-auto">
          <label htmlFor={formatId} className="font-medium text-slate-800">
            Format
          </label>
          <select id={formatId} value={format} disabled={running} onChange={(event) => setFormat(event.target.value as TranscriptFormat)} className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
            {TRANSCRIPT_FORMATS.map((option) => (
              <option key={option.format} value={option.format}>
                {option.label} (.{option.format})
              </option>
            ))}
          </select>
          <button ref={downloadRef} type="button" className={buttonStyles.primary} disabled={running || plan.entries.length === 0} onClick={() => void download()}>
            {plan.entries.length > 0 ? `Download ${plural(plan.entries.length, 'transcript', 'transcripts')} (.zip)` : 'Download transcripts (.zip)'}
          </button>
        </div>
      </div>

      {count === 0 ? (
        <p className="mt-2 text-slate-600">Tick jobs in the list to download their transcripts as one zip.</p>
      ) : plan.leftOut.length > 0 && !running ? (
        <LeftOutList
          leftOut={plan.leftOut}
          summary={`${plural(plan.leftOut.length, 'selected job has', 'selected jobs have')} no transcript and will be left out (${leftOutSummary(plan.leftOut)}).`}
        />
      ) : null}

      {run.phase === 'running' ? (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <progress className="h-2 w-48 max-w-full accent-indigo-700" aria-label="Transcripts fetched" max={Math.max(run.progress.total, 1)} value={run.progress.settled} />
          <span className="tabular-nums text-slate-700">
            {run.progress.settled.toLocaleString()} of {plural(run.progress.total, 'transcript', 'transcripts')} fetched
            {run.progress.failed > 0 ? `, ${run.progress.failed.toLocaleString()} could not be` : ''}
          </span>
          <button ref={cancelRef} type="button" className={buttonStyles.secondary} onClick={() => controllerRef.current?.abort(new DOMException('The download was cancelled.', 'AbortError'))}>
            Cancel download
          </button>
        </div>
      ) : null}
      <div role="status" className="empty:hidden">
        {run.phase === 'saved' ? (
          <div className="mt-3 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-emerald-900">
            <p>
              Saved <span className="break-all font-mono">{run.fileName}</span> with {plural(run.written, 'transcript', 'transcripts')}.
            </p>
          </div>
        ) : run.phase === 'nothing-saved' ? (
          <p className="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-red-900">No zip was saved: none of the transcripts could be fetched.</p>
        ) : run.phase === 'cancelled' ? (
          <p className="mt-3 text-slate-700">
            Download cancelled after {run.progress.settled.toLocaleString()} of {plural(run.progress.total, 'transcript', 'transcripts')}; no zip was saved.
          </p>
        ) : null}
      </div>
      {(run.phase === 'saved' || run.phase === 'nothing-saved') && run.leftOut.length > 0 ? (
        <LeftOutList leftOut={run.leftOut} summary={`Left out of the last zip: ${plural(run.leftOut.length, 'job', 'jobs')} (${leftOutSummary(run.leftOut)}).`} open={run.leftOut.some((entry) => entry.kind === 'not-fetched')} />
      ) : null}
      {run.phase === 'failed' ? (
        <div className="mt-3">
          <ErrorNotice error={run.error} title="The zip could not be made" />
        </div>
      ) : null}
    </section>
  );
}

function LeftOutList({ leftOut, summary, open = false }: { leftOut: readonly LeftOutJob[]; summary: string; open?: boolean }) {
  return (
    <details className="mt-2 text-slate-700" open={open}>
      <summary className="cursor-pointer">{summary}</summary>
      <ul className="mt-1 list-disc space-y-0.5 pl-6">
        {leftOut.map(({ job, reason }) => (
          <li key={job.id} className="break-words">
            <span className="font-mono">{job.id}</span> ({job.file.name}): {reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
