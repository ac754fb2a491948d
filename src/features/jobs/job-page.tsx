import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { isApiError } from '../../api/api-error';
import { useApiClient } from '../../api/api-client-context';
import { accountQueryOptions } from '../../api/endpoints/get-account';
import { insightsQueryOptions } from '../../api/endpoints/get-insights';
import { jobQueryOptions } from '../../api/endpoints/get-job';
import { transcriptQueryOptions } from '../../api/endpoints/get-transcript';
import type { Job } from '../../api/schemas';
import { ErrorNotice } from '../../components/error-notice';
import { LoadingStatus } from '../../components/loading-status';
import { PageHeader } from '../../components/page-header';
import { Panel } from '../../components/panel';
import { StatusBadge } from '../../components/status-badge';
import { ERROR_CATALOGUE, jobFailureGuidance } from '../../errors/catalogue';
import { supportBundle } from '../../lib/support-bundle';
import { SupportBundleView } from '../../components/support-bundle-view';
import { formatBytes, formatDateTime, formatDuration } from '../../lib/format';
import { useTrackedJob } from './job-poller-context';
import { JobTimeline } from './job-timeline';
import { KeptAudioPanel, type LoadKeptAudio, useKeptAudioUrl, usePlayhead } from './kept-audio';
import { activeSegmentIndex } from './transcript-cues';
import { TranscriptDownloads } from './transcript-downloads';

/** A transcript line's columns: time, speaker, text. */
const LINE_GRID = 'grid grid-cols-[6rem_2rem_1fr] gap-2';

/** Moves the player to a line of the transcript and plays from there. */
function playFrom(player: HTMLAudioElement, seconds: number) {
  player.currentTime = seconds;
  // A click is a gesture every browser lets play; were it refused, the person still has the player's own button.
  void player.play()?.catch(() => undefined);
}

function TranscriptSection({ job, player }: { job: Job; player: HTMLAudioElement | null }) {
  const client = useApiClient();
  // Asked for only once a status poll says completed: job_not_ready is never chased.
  const transcript = useQuery({ ...transcriptQueryOptions(client, job.id), enabled: job.status === 'completed' });
  const playhead = usePlayhead(player);
  const active = player && transcript.data ? activeSegmentIndex(transcript.data.segments, playhead) : -1;
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    // The line being heard stays in view while it plays; a paused player leaves the page where the person put it.
    if (active >= 0 && player && !player.paused) listRef.current?.querySelector('[aria-current="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [active, player]);
  if (job.status === 'failed') return null;
  if (job.status !== 'completed') {
    return (
      <Panel title="Transcript">
        <p className="mt-2 text-sm text-slate-700">
          Still processing{job.progress != null && job.status === 'processing' ? ` (${Math.round(job.progress * 100)}%)` : ''}. The transcript
          {job.pipeline === 'full-analysis' ? ' and insights appear' : ' appears'} here by itself when the job completes.
        </p>
      </Panel>
    );
  }
  return (
    <Panel title="Transcript">
      {transcript.data ? (
        <>
          <TranscriptDownloads fileName={job.file.name} transcript={transcript.data} />
          <ol ref={listRef} aria-label={player ? 'Transcript lines, following the player' : undefined} className="mt-3 space-y-2 text-sm">
          {transcript.data.segments.map((segment, index) => {
            const cells = (
              <>
              <span className="font-mono text-xs text-slate-600">
                {formatDuration(segment.start)}
              </span>
              <span className="font-semibold text-slate-700">{segment.speaker ?? ''}</span>
              <span>{segment.text}</span>
              </>
            );
            return player ? (
              <li
                key={`${segment.start}-${segment.end}`}
                aria-current={index === active ? 'true' : undefined}
                className={index === active ? 'rounded-md border-l-4 border-amber-500 bg-amber-50' : 'border-l-4 border-transparent'}
              >
                <button
                  type="button"
                  className={`${LINE_GRID} w-full rounded-md px-1 py-0.5 text-left hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600`}
                  onClick={() => playFrom(player, segment.start)}
                >
                  {cells}
                </button>
              </li>
            ) : (
            <li key={`${segment.start}-${segment.end}`} className={LINE_GRID}>
              {cells}
            </li>
            );
          })}
          </ol>
        </>
      ) : transcript.error ? (
        <ErrorNotice error={transcript.error} />
      ) : (
        <p role="status" className="mt-2 text-sm text-slate-600">
          Loading transcript…
        </p>
      )}
    </Panel>
  );
}

function InsightsSection({ job, action }: { job: Job; action?: ReactNode }) {
  const client = useApiClient();
  const account = useQuery(accountQueryOptions(client));
  // Disabled up front when the key cannot read insights, rather than earning a 403.
  const mayReadInsights = account.data ? account.data.key.scopes.includes('insights:read') : true;
  // Wait for the key's scopes before asking (a key that cannot read the account asks anyway).
  const scopesKnown = account.data !== undefined || account.isError;
  const enabled = job.status === 'completed' && job.pipeline === 'full-analysis' && mayReadInsights && scopesKnown;
  const insights = useQuery({ ...insightsQueryOptions(client, job.id), enabled });
  if (job.pipeline === 'full-analysis' && job.status === 'completed' && !mayReadInsights) {
    return (
      <Panel title="Insights">
        <p className="mt-2 text-sm text-slate-700">
          This key lacks the <span className="font-mono">insights:read</span> scope. {ERROR_CATALOGUE.insufficient_permissions.resolution}
        </p>
      </Panel>
    );
  }
  if (job.status === 'failed') return null;
  if (job.pipeline !== 'full-analysis') {
    const entry = ERROR_CATALOGUE.pipeline_mismatch;
    return (
      <Panel title="Insights">
        <p className="mt-2 text-sm text-slate-700">
          {entry.cause} {entry.resolution}
        </p>
        {action}
      </Panel>
    );
  }
  if (!enabled) return null;
  return (
    <Panel title="Insights">
      {insights.data ? (
        <div className="mt-3 space-y-3 text-sm">
          <p>{insights.data.summary}</p>
          <p>
            <span className="font-medium">Sentiment:</span> {insights.data.sentiment.overall} ({insights.data.sentiment.score.toFixed(2)})
          </p>
          <p>
            <span className="font-medium">Topics:</span> {insights.data.topics.join(', ')}
          </p>
          <div>
            <p className="font-medium">Action items</p>
            <ul className="ml-5 list-disc">
              {insights.data.action_items.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : insights.error ? (
        <ErrorNotice error={insights.error} />
      ) : (
        <p role="status" className="mt-2 text-sm text-slate-600">
          Loading insights…
        </p>
      )}
    </Panel>
  );
}

function JobFailure({ job, error }: { job: Job; error: NonNullable<Job['error']> }) {
  const { baseUrl } = useApiClient();
  const guidance = jobFailureGuidance(error.code);
  const bundle = supportBundle({
    failure: 'processing',
    what: `job ${job.id} (${job.file.name}, ${job.pipeline}, ${job.language})`,
    jobId: job.id,
    code: error.code,
    message: error.message,
    firstAttemptAt: Date.parse(job.created_at),
    failedAt: Date.parse(job.updated_at),
    apiBase: baseUrl || window.location.origin,
  });
  return (
    <section aria-labelledby="failure-title" className="rounded-lg border border-red-300 bg-red-50 p-5 text-sm text-red-900">
      <h2 id="failure-title" className="text-lg font-semibold">
        Failed: {guidance.title}
      </h2>
      <p className="mt-1">{error.message}</p>
      <p className="mt-1">
        <span className="font-medium">Why:</span> {guidance.cause}
      </p>
      <p className="mt-1">
        <span className="font-medium">What to do:</span> {guidance.resolution}
      </p>
      <p className="mt-2 font-mono text-xs">{error.code}</p>
      <SupportBundleView bundle={bundle} fileName={`support-${job.id}.txt`} />
    </section>
  );
}

export interface JobPageSlots {
  /** The job file's bytes where this browser kept them (the upload feature's store, passed in by the app). */
  loadKeptAudio?: LoadKeptAudio;
  /** Shown under the job's details and failure: the app passes the re-upload action and links in. */
  renderActions?: (job: Job) => ReactNode;
  /** Shown in the insights section where the pipeline has none (pipeline_mismatch). */
  renderInsightsAction?: (job: Job) => ReactNode;
  /** The timeline; the app passes one holding this browser's upload attempts for the job. */
  renderTimeline?: (job: Job) => ReactNode;
}

export function JobPage({ renderActions, renderInsightsAction, renderTimeline, loadKeptAudio }: JobPageSlots = {}) {
  const { jobId } = useParams({ from: '/jobs/$jobId' });
  const client = useApiClient();
  // Read once; live status comes from the shared batched poll (the one budgeted scheduler for job statuses), which
  // writes into this query's cache. A refetchInterval here polled the job a second time, outside the budget.
  const job = useQuery(jobQueryOptions(client, jobId));
  useTrackedJob(jobId, job.data?.status);
  const keptAudio = useKeptAudioUrl(job.data?.file.sha256 ?? '', job.data?.id ?? '', job.data ? loadKeptAudio : undefined);
  const [player, setPlayer] = useState<HTMLAudioElement | null>(null);

  if (job.data) {
    const data = job.data;
    return (
      <div className="space-y-4">
        <PageHeader title={data.file.name} description={`Job ${data.id}`} />
        <section aria-label="Job details" className="rounded-lg border border-slate-200 bg-white p-5">
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-slate-600">Status</dt>
              <dd className="mt-0.5 flex items-center gap-2">
                <StatusBadge status={data.status} />
                {data.status === 'processing' && data.progress != null ? (
                  <progress className="h-2 w-32" max={1} value={data.progress} aria-label="Processing progress">
                    {Math.round(data.progress * 100)}%
                  </progress>
                ) : null}
                {data.status === 'queued' ? <span className="text-slate-600">still processing (queued)</span> : null}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Pipeline</dt>
              <dd>{data.pipeline}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Language</dt>
              <dd>{data.language}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Size</dt>
              <dd>{formatBytes(data.file.size_bytes)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Duration</dt>
              <dd>{data.duration_seconds != null ? formatDuration(data.duration_seconds) : 'unknown'}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Created</dt>
              <dd>{formatDateTime(data.created_at)}</dd>
            </div>
            <div className="sm:col-span-3">
              <dt className="text-slate-600">SHA-256</dt>
              <dd className="break-all font-mono text-xs">{data.file.sha256}</dd>
            </div>
            {Object.keys(data.metadata).length > 0 ? (
              <div className="sm:col-span-3">
                <dt className="text-slate-600">Metadata</dt>
                <dd className="font-mono text-xs">
                  {Object.entries(data.metadata).map(([name, value]) => (
                    <span key={name} className="mr-3 inline-block">
                      {name}={value}
                    </span>
                  ))}
                </dd>
              </div>
            ) : null}
          </dl>
        </section>
        {data.error ? <JobFailure job={data} error={data.error} /> : null}
        {renderActions?.(data)}
        {renderTimeline ? renderTimeline(data) : <JobTimeline job={data} />}
        <KeptAudioPanel fileName={data.file.name} audio={keptAudio} withTranscript={data.status === 'completed'} onPlayer={setPlayer} />
        <TranscriptSection job={data} player={keptAudio.state === 'kept' ? player : null} />
        <InsightsSection job={data} action={renderInsightsAction?.(data)} />
      </div>
    );
  }
  if (job.error) {
    const notFound = isApiError(job.error) && job.error.code === 'job_not_found';
    return (
      <div className="space-y-4">
        <PageHeader title={notFound ? 'Job not found' : 'Could not load the job'} description={`Job ${jobId}`} />
        <ErrorNotice error={job.error} />
        <Link to="/jobs" className="text-sm text-indigo-700 underline">
          Back to jobs
        </Link>
      </div>
    );
  }
  return (
    <LoadingStatus what="the job" />
  );
}
