import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { memo, type ReactNode, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useApiClient, useLatestRateLimit } from '../../api/api-client-context';
import { fetchJobs } from '../../api/endpoints/list-jobs';
import { type Job, PIPELINES } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { CopyTextButton } from '../../components/copy-text-button';
import { ErrorNotice } from '../../components/error-notice';
import { FilterSelect } from '../../components/filter-select';
import { PageHeader } from '../../components/page-header';
import { VirtualRows } from '../../components/virtual-rows';
import { catalogueEntryFor, JOB_FAILURE_CODES, jobFailureGuidance, type UiAction } from '../../errors/catalogue';
import { systemRandom } from '../../lib/random';
import { supportBundle } from '../../lib/support-bundle';
import { DEFAULT_FAILURE_RANGE, FAILURE_RANGES, type FailedSearch, RANGE_LABELS, rangeMs } from './failed-search';
import { FailureChart } from './failure-chart';
import { type FailureGroup, failedAt, failuresPerHour, groupFailures } from './failure-groups';
import { createFailureScan, type FailureScan, type FailureScanState } from './failure-scan';

/** An upload NovaPulse refused: it never became a job, so only this browser knows it. */
export interface RefusedUpload {
  id: string;
  fileName: string;
  pipeline: Job['pipeline'];
  metadata: Record<string, string>;
  code: string;
  status: number | null;
  message: string;
  requestId: string | null;
  at: number;
}

type FailureRow = { kind: 'job'; key: string; at: number; job: Job } | { kind: 'refused'; key: string; at: number; upload: RefusedUpload };

export interface FailedJobsPageProps {
  refusedUploads?: readonly RefusedUpload[];
  /** Actions another feature offers on a whole group (e.g. re-run all with full analysis). */
  renderGroupActions?: (group: { code: string; jobs: readonly Job[]; counting: boolean }) => ReactNode;
  /** Actions another feature offers on the selected jobs. */
  renderSelectionActions?: (selectedJobs: readonly Job[]) => ReactNode;
  /** An action another feature offers on each failed job's row; rows are memoised, so pass a stable function. */
  renderRowAction?: (job: Job) => ReactNode;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatAt = (ms: number) => dateTime.format(ms);

// Every action has words: a group never shows the catalogue's internal name.
const ACTION_LABELS: Record<UiAction, string> = {
  'reupload-full-analysis': 'Re-upload with full analysis',
  'support-bundle': 'Upload again; send the support bundle if it fails again',
  'convert-file': 'Convert the file, then upload it again',
  'split-file': 'Split the file, then upload it again',
  'mark-field': 'Correct the request, then send it again',
  'open-key-dialog': 'Enter a valid API key',
  'show-missing-scope': 'Use a key with the missing scope',
  'mark-job-unknown': 'Check the job ID',
  'show-progress': 'Wait for processing to finish',
  'dedup-countdown': 'Wait for the 60 s window to end, or change the metadata',
  'rate-limit-countdown': 'Wait for the rate-limit window to reset',
  'wait-for-slot': 'Wait for a running job to finish',
  'maintenance-banner': 'Upload again once NovaPulse is back',
  'offline-banner': 'Upload again once you are online',
};

const EMPTY_STATE: FailureScanState = { jobs: [], done: false, pages: 0, error: null, paused: false };
const noSubscribe = () => () => {};

function useFailureScan(search: FailedSearch, generation: number): FailureScanState & { resume: () => void } {
  const client = useApiClient();
  const rateLimit = useLatestRateLimit();
  const rateLimitRef = useRef(rateLimit);
  rateLimitRef.current = rateLimit;
  const [scan, setScan] = useState<FailureScan | null>(null);
  const { code, pipeline, q, range } = search;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` restarts the count on request.
  useEffect(() => {
    const next = createFailureScan({
      fetchPage: (cursor, signal) =>
        fetchJobs(client, { status: 'failed', limit: 100, cursor: cursor ?? undefined, error_code: code, pipeline, q }, signal),
      rangeStart: Date.now() + client.serverTimeOffsetMs() - rangeMs(range),
      clock: () => Date.now(),
      random: systemRandom,
      rateLimit: () => rateLimitRef.current,
    });
    setScan(next);
    next.start();
    // A new key (or the same key entered again) is the moment a count paused by a 401 can go on.
    let keyGeneration = client.gate.getState().keyGeneration;
    const stopWatchingKey = client.gate.subscribe((gateState) => {
      if (gateState.keyGeneration === keyGeneration) return;
      keyGeneration = gateState.keyGeneration;
      if (next.getState().paused) next.resume();
    });
    return () => {
      stopWatchingKey();
      next.stop();
    };
  }, [client, code, pipeline, q, range, generation]);
  const state = useSyncExternalStore(scan?.subscribe ?? noSubscribe, scan?.getState ?? (() => EMPTY_STATE));
  return { ...state, resume: () => scan?.resume() };
}

function matchesRefused(upload: RefusedUpload, search: FailedSearch, rangeStart: number): boolean {
  if (upload.at < rangeStart) return false;
  if (search.code && upload.code !== search.code) return false;
  if (search.pipeline && upload.pipeline !== search.pipeline) return false;
  const q = search.q?.trim().toLowerCase();
  if (q && !upload.fileName.toLowerCase().includes(q) && !Object.values(upload.metadata).some((value) => value.toLowerCase().includes(q))) return false;
  return true;
}

function bundleFor(rows: readonly FailureRow[], apiBase: string, now: number): string {
  const parts = rows.map((row) =>
    row.kind === 'job'
      ? supportBundle({
          what: `job failed while processing (${row.job.file.name})`,
          jobId: row.job.id,
          code: row.job.error?.code ?? 'unknown',
          status: row.job.error?.status ?? null,
          message: row.job.error?.message ?? '',
          failedAt: row.at,
          apiBase,
        })
      : supportBundle({
          what: `upload refused (${row.upload.fileName})`,
          jobId: null,
          requestId: row.upload.requestId,
          code: row.upload.code,
          status: row.upload.status,
          message: row.upload.message,
          failedAt: row.at,
          apiBase,
        }),
  );
  return [`${rows.length} failure${rows.length === 1 ? '' : 's'}, bundled ${new Date(now).toISOString()}`, ...parts].join('\n\n');
}

function countText(count: number, done: boolean): string {
  return done ? `${count.toLocaleString()} failure${count === 1 ? '' : 's'}` : `Counting… ${count.toLocaleString()} so far`;
}

export function FailedJobsPage({ refusedUploads = [], renderGroupActions, renderSelectionActions, renderRowAction }: FailedJobsPageProps) {
  const search: FailedSearch = useSearch({ from: '/failed' });
  const navigate = useNavigate({ from: '/failed' });
  const client = useApiClient();
  const [generation, setGeneration] = useState(0);
  const scan = useFailureScan(search, generation);
  const range = search.range ?? DEFAULT_FAILURE_RANGE;
  // The range ends when counting starts; counting again moves it on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new count is a new moment.
  const now = useMemo(() => Date.now(), [generation, search.code, search.pipeline, search.q, search.range]);
  const rangeStart = now - rangeMs(range);
  const setSearch = (patch: Partial<FailedSearch>) => void navigate({ search: (prev: FailedSearch) => ({ ...prev, ...patch }) });

  const [query, setQuery] = useState(search.q ?? '');
  useEffect(() => setQuery(search.q ?? ''), [search.q]);

  const refused = useMemo(() => refusedUploads.filter((upload) => matchesRefused(upload, search, rangeStart)), [refusedUploads, search, rangeStart]);
  const groups = useMemo(() => groupFailures(scan.jobs), [scan.jobs]);
  const jobsById = useMemo(() => new Map(scan.jobs.map((job) => [job.id, job])), [scan.jobs]);
  const groupDetails = useMemo(
    () =>
      new Map(
        groups.map((group) => {
          const jobs = group.jobIds.map((id) => jobsById.get(id) as Job);
          return [group.code, { jobs, bins: failuresPerHour(jobs.map(failedAt), rangeStart, now) }] as const;
        }),
      ),
    [groups, jobsById, rangeStart, now],
  );
  const rows = useMemo<FailureRow[]>(() => {
    const all: FailureRow[] = [
      ...refused.map((upload) => ({ kind: 'refused' as const, key: `upload:${upload.id}`, at: upload.at, upload })),
      ...scan.jobs.map((job) => ({ kind: 'job' as const, key: job.id, at: failedAt(job), job })),
    ];
    return all.sort((a, b) => b.at - a.at);
  }, [refused, scan.jobs]);

  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback((key: string) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  const addAll = (keys: readonly string[]) => setSelected((prev) => new Set([...prev, ...keys]));
  const selectedRows = useMemo(() => rows.filter((row) => selected.has(row.key)), [rows, selected]);
  const selectedJobs = useMemo(() => selectedRows.flatMap((row) => (row.kind === 'job' ? [row.job] : [])), [selectedRows]);
  const [bundle, setBundle] = useState<string | null>(null);

  const total = scan.jobs.length;
  // The codes a job can fail with while processing, and any other the account's failures show.
  const codeOptions = [...new Set([...JOB_FAILURE_CODES, ...groups.map((group) => group.code), ...(search.code ? [search.code] : [])])].sort();

  return (
    <div className="space-y-6">
      <PageHeader title="Failed jobs" description="What failed, why, and what to do about it, grouped by error code." />

      <form
        aria-label="Filter failed jobs"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch({ q: query.trim() || undefined });
        }}
      >
        <FilterSelect label="Error code" value={search.code} options={codeOptions} allLabel="All codes" onChange={(code) => setSearch({ code })} />
        <FilterSelect label="Pipeline" value={search.pipeline} options={PIPELINES} allLabel="All pipelines" onChange={(pipeline) => setSearch({ pipeline })} />
        <FilterSelect
          label="Time range"
          value={range}
          options={FAILURE_RANGES}
          optionLabel={(value) => RANGE_LABELS[value]}
          onChange={(value) => setSearch({ range: value === DEFAULT_FAILURE_RANGE ? undefined : value })}
        />
        <label className="flex flex-col text-sm">
          <span className="font-medium">Search</span>
          <input
            type="search"
            className="w-64 rounded border border-slate-300 px-2 py-1"
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              if (event.target.value === '' && search.q) setSearch({ q: undefined });
            }}
            placeholder="Job ID, file name or metadata"
          />
        </label>
        <button type="submit" className={buttonStyles.secondary}>
          Search
        </button>
      </form>

      <p role="status" className="text-sm text-slate-700">
        {scan.done
          ? `${total.toLocaleString()} failed job${total === 1 ? '' : 's'} in the ${RANGE_LABELS[range].toLowerCase()}`
          : `Counting… ${total.toLocaleString()} so far`}
        {refused.length > 0 ? `, and ${refused.length.toLocaleString()} upload${refused.length === 1 ? '' : 's'} NovaPulse refused` : ''}
      </p>
      {scan.done ? (
        <button type="button" className={buttonStyles.secondary} onClick={() => setGeneration((n) => n + 1)}>
          Count again
        </button>
      ) : null}
      {scan.error ? <ErrorNotice error={scan.error} title={scan.done ? 'Could not read failed jobs' : 'Counting paused: could not read a page of failed jobs'} /> : null}
      {scan.paused && !scan.done ? (
        <p className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
          Counting goes on by itself once NovaPulse answers again (it tries once a minute) or a new key is set.
          <button type="button" className={buttonStyles.secondary} onClick={scan.resume}>
            Resume counting
          </button>
        </p>
      ) : null}

      {groups.length > 0 || refused.length > 0 ? (
        <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
          {groups.map((group) => (
            <GroupCard
              key={group.code}
              group={group}
              done={scan.done}
              bins={groupDetails.get(group.code)?.bins ?? []}
              rangeLabel={RANGE_LABELS[range]}
              onlyThis={() => setSearch({ code: group.code })}
              selectGroup={() => addAll(group.jobIds)}
              actions={renderGroupActions?.({ code: group.code, jobs: groupDetails.get(group.code)?.jobs ?? [], counting: !scan.done })}
            />
          ))}
          {refused.length > 0 ? (
            <section aria-label="Uploads NovaPulse refused" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm">
              <h2 className="text-base font-semibold">Uploads NovaPulse refused</h2>
              <p className="mt-1">
                {refused.length.toLocaleString()} upload{refused.length === 1 ? '' : 's'} from this browser never became jobs. Correct and send them again from the Upload page.
              </p>
              <button type="button" className={`${buttonStyles.secondary} mt-2`} onClick={() => addAll(refused.map((upload) => `upload:${upload.id}`))}>
                Select all {refused.length.toLocaleString()} refused uploads
              </button>
            </section>
          ) : null}
        </div>
      ) : scan.done ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">No failed jobs match. Nothing to triage.</p>
      ) : null}

      <section aria-label="Selection" className="flex flex-wrap items-center gap-2 text-sm">
        <span>
          {selected.size.toLocaleString()} selected
        </span>
        <button type="button" className={buttonStyles.secondary} disabled={rows.length === 0} onClick={() => addAll(rows.map((row) => row.key))}>
          {scan.done ? `Select everything matching (${rows.length.toLocaleString()})` : `Select the ${rows.length.toLocaleString()} read so far`}
        </button>
        <button type="button" className={buttonStyles.secondary} disabled={selected.size === 0} onClick={() => setSelected(new Set())}>
          Clear selection
        </button>
        <button
          type="button"
          className={buttonStyles.secondary}
          disabled={selectedRows.length === 0}
          onClick={() => setBundle(bundleFor(selectedRows, client.baseUrl, Date.now()))}
        >
          Support bundle for the selection
        </button>
        {selectedJobs.length > 0 ? renderSelectionActions?.(selectedJobs) : null}
      </section>
      {bundle !== null ? <BundlePanel text={bundle} onClose={() => setBundle(null)} /> : null}

      {rows.length > 0 ? (
        <VirtualRows
          items={rows}
          rowHeight={44}
          height={528}
          label="Failures, newest first"
          getKey={(row) => row.key}
          renderRow={(row) => <FailedRow row={row} selected={selected.has(row.key)} onToggle={toggle} renderAction={renderRowAction} />}
        />
      ) : null}
    </div>
  );
}

function GroupCard({
  group,
  done,
  bins,
  rangeLabel,
  onlyThis,
  selectGroup,
  actions,
}: {
  group: FailureGroup;
  done: boolean;
  bins: number[];
  rangeLabel: string;
  onlyThis: () => void;
  selectGroup: () => void;
  actions: ReactNode;
}) {
  const guidance = jobFailureGuidance(group.code);
  const action = catalogueEntryFor(group.code, null).action;
  const headingId = `group-${group.code}`;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 id={headingId} className="text-base font-semibold">
          {guidance.title} <span className="font-mono text-sm font-normal text-slate-600">({group.code})</span>
        </h2>
        <FailureChart bins={bins} rangeLabel={rangeLabel} />
      </div>
      <p className="mt-1 font-semibold" aria-live="off">
        {countText(group.count, done)}
      </p>
      <p className="text-slate-700">
        First seen {formatAt(group.firstSeen)}, last seen {formatAt(group.lastSeen)}
        {group.jobIds[0] ? (
          <>
            {' '}
            (newest:{' '}
            <Link to="/jobs/$jobId" params={{ jobId: group.jobIds[0] }} className="font-mono text-indigo-700 underline-offset-2 hover:underline">
              {group.jobIds[0]}
            </Link>
            )
          </>
        ) : null}
      </p>
      <p className="mt-1 text-slate-700">
        <span className="font-medium">Cause:</span> {guidance.cause}
      </p>
      <p className="text-slate-700">
        <span className="font-medium">What to do:</span> {guidance.resolution}
      </p>
      <p className="text-slate-700">
        <span className="font-medium">Action:</span> {ACTION_LABELS[action]}
      </p>
      <div className="mt-2 flex flex-wrap gap-2">
        <button type="button" className={buttonStyles.secondary} onClick={onlyThis}>
          Show only {group.code}
        </button>
        <button type="button" className={buttonStyles.secondary} onClick={selectGroup}>
          {done ? `Select all ${group.count.toLocaleString()} in ${group.code}` : `Select the ${group.count.toLocaleString()} ${group.code} read so far`}
        </button>
        {actions}
      </div>
    </section>
  );
}

const FailedRow = memo(function FailedRow({
  row,
  selected,
  onToggle,
  renderAction,
}: {
  row: FailureRow;
  selected: boolean;
  onToggle: (key: string) => void;
  renderAction: ((job: Job) => ReactNode) | undefined;
}) {
  const name = row.kind === 'job' ? row.job.id : row.upload.fileName;
  return (
    <div className={`grid h-full grid-cols-[2rem_minmax(0,12rem)_minmax(0,1fr)_7rem_11rem_10rem_minmax(0,9rem)] items-center gap-2 border-b border-slate-100 px-3 text-sm ${selected ? 'bg-indigo-50' : ''}`}>
      <input type="checkbox" aria-label={`Select ${name}`} checked={selected} onChange={() => onToggle(row.key)} />
      {row.kind === 'job' ? (
        <Link to="/jobs/$jobId" params={{ jobId: row.job.id }} className="truncate font-mono text-indigo-700 underline-offset-2 hover:underline">
          {row.job.id}
        </Link>
      ) : (
        <span className="truncate font-medium text-amber-900">Refused upload (no job)</span>
      )}
      <span className="truncate">{row.kind === 'job' ? row.job.file.name : row.upload.fileName}</span>
      <span className="truncate text-slate-700">{row.kind === 'job' ? row.job.pipeline : row.upload.pipeline}</span>
      <span className="truncate font-mono text-xs">{row.kind === 'job' ? (row.job.error?.code ?? 'unknown') : row.upload.code}</span>
      <span className="truncate text-slate-700">{formatAt(row.at)}</span>
      <span className="min-w-0">{row.kind === 'job' ? renderAction?.(row.job) : null}</span>
    </div>
  );
});

function BundlePanel({ text, onClose }: { text: string; onClose: () => void }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = 'novapulse-support-bundle.txt';
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  return (
    <section aria-label="Support bundle for the selection" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="text-base font-semibold">Support bundle for the selection</h2>
      <p className="text-sm text-slate-700">Identifiers, codes and times only; never your API key.</p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable bundle must be reachable from the keyboard. */}
      <pre tabIndex={0} className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">{text}</pre>
      <div className="flex flex-wrap gap-2">
        <CopyTextButton text={text} label="Copy support bundle" copiedMessage="Copied." />
        <button type="button" className={buttonStyles.secondary} onClick={download}>
          Download support bundle
        </button>
        <button type="button" className={buttonStyles.secondary} onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}
