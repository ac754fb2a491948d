import { useNavigate, useSearch } from '@tanstack/react-router';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { useApiClient } from '../../api/api-client-context';
import { type Job, PIPELINES } from '../../api/schemas';
import { buttonStyles } from '../../components/button-styles';
import { ErrorNotice } from '../../components/error-notice';
import { FilterSelect } from '../../components/filter-select';
import { PageHeader } from '../../components/page-header';
import { VirtualRows } from '../../components/virtual-rows';
import { JOB_FAILURE_CODES } from '../../errors/catalogue';
import { FailedHeaderRow, FailedRow } from './failed-row';
import { DEFAULT_FAILURE_RANGE, FAILURE_RANGES, type FailedSearch, RANGE_LABELS, rangeMs } from './failed-search';
import { BundlePanel, bundleFor } from './failure-bundle';
import { failedAt, failuresPerHour, groupFailures } from './failure-groups';
import { type FailureRow, matchesRefused, type RefusedUpload } from './failure-rows';
import { GroupCard } from './group-card';
import { useFailureScan } from './use-failure-scan';

export interface FailedJobsPageProps {
  refusedUploads?: readonly RefusedUpload[];
  /** Actions another feature offers on a whole group (e.g. re-run all with full analysis). */
  renderGroupActions?: (group: { code: string; jobs: readonly Job[]; counting: boolean }) => ReactNode;
  /** Actions another feature offers on the selected jobs. */
  renderSelectionActions?: (selectedJobs: readonly Job[]) => ReactNode;
  /** An action another feature offers on each failed job's row; rows are memoised, so pass a stable function. */
  renderRowAction?: (job: Job) => ReactNode;
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
  // A filter change starts a new view: what it hides must not stay selected out of sight (and reappear selected later).
  const viewKey = JSON.stringify([search.code, search.pipeline, search.q, range]);
  const [selectionView, setSelectionView] = useState(viewKey);
  if (selectionView !== viewKey) {
    setSelectionView(viewKey);
    setSelected(new Set());
  }
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
        <label className="flex w-full flex-col text-sm sm:w-auto">
          <span className="font-medium">Search</span>
          <input
            type="search"
            className="w-full rounded border border-slate-300 px-2 py-1 sm:w-64"
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
        <div className="@container">
        <FailedHeaderRow />
        <VirtualRows
          items={rows}
          rowHeight={44}
          height={528}
          label="Failures, newest first"
          getKey={(row) => row.key}
          renderRow={(row) => <FailedRow row={row} selected={selected.has(row.key)} onToggle={toggle} renderAction={renderRowAction} />}
        />
        </div>
      ) : null}
    </div>
  );
}

