import { Fragment, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useExchanges } from '../../api/api-client-context';
import { EXCHANGE_LOG_LIMIT } from '../../api/exchange-log';
import { buttonStyles } from '../../components/button-styles';
import { downloadText } from '../../components/download-text';
import { FilterSelect } from '../../components/filter-select';
import { wrapTabWithin } from '../../components/focus-wrap';
import { matchesStatus, type RequestLogRow, requestLogJson, requestLogRows, STATUS_FILTERS, type StatusFilter, type WaitReason } from './request-log-rows';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const ALL_ENDPOINTS = 'all endpoints';

const WAIT_LABELS: Record<WaitReason, string> = {
  'retry-after': 'Retry-After honoured',
  slot: 'waited for a concurrency slot',
  backoff: 'backoff',
};

function seconds(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

function waitText(row: RequestLogRow): string {
  const parts: string[] = [];
  if (row.waitBeforeMs !== null && row.waitReason !== null) parts.push(`${seconds(row.waitBeforeMs)} before (${WAIT_LABELS[row.waitReason]})`);
  if (row.retryAfterMs !== null) parts.push(`asked to wait ${seconds(row.retryAfterMs)}`);
  if (row.repeatedAfterCancel) parts.push('sent again at once after the console cancelled it');
  return parts.join('; ');
}

/** The request log drawer, loaded on demand: every request this tab sent (kept across a reload), with the waits applied. */
export default function RequestLogDrawer({ onClose }: { onClose: () => void }) {
  const exchanges = useExchanges();
  const rows = useMemo(() => requestLogRows(exchanges), [exchanges]);
  const [endpoint, setEndpoint] = useState<string>(ALL_ENDPOINTS);
  const [status, setStatus] = useState<StatusFilter>('all');
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const endpoints = useMemo(() => [ALL_ENDPOINTS, ...[...new Set(rows.map((row) => row.endpoint))].sort()], [rows]);
  const shown = rows.filter((row) => (endpoint === ALL_ENDPOINTS || row.endpoint === endpoint) && matchesStatus(row, status));

  return (
    <aside
      aria-labelledby={headingId}
      className="page-palette fixed inset-y-0 right-0 z-40 flex w-full max-w-3xl flex-col border-l border-slate-300 bg-white text-slate-900 shadow-2xl"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
        else wrapTabWithin(event);
      }}
    >
      <div className="flex items-start justify-between gap-3 border-b border-slate-200 p-4">
        <div>
          <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
            Request log
          </h2>
          <p className="text-sm text-slate-600">
            Every request this tab sent, newest first, with the waits applied: the newest {EXCHANGE_LOG_LIMIT.toLocaleString()}, kept until the tab
            is closed. It never holds your API key.
          </p>
        </div>
        <button type="button" className={`${buttonStyles.secondary} shrink-0`} onClick={onClose}>
          Close request log
        </button>
      </div>
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-4">
        <FilterSelect label="Endpoint" value={endpoint} options={endpoints} onChange={(value) => setEndpoint(value ?? ALL_ENDPOINTS)} />
        <FilterSelect label="Status" value={status} options={STATUS_FILTERS} onChange={(value) => setStatus(value ?? 'all')} />
        <button
          type="button"
          className={buttonStyles.secondary}
          disabled={shown.length === 0}
          onClick={() => downloadText('novapulse-request-log.json', requestLogJson(shown, Date.now()), 'application/json')}
        >
          Export as JSON
        </button>
        <span role="status" className="text-sm text-slate-600">
          {shown.length.toLocaleString()} of {rows.length.toLocaleString()} requests
        </span>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable log must be reachable from the keyboard. */}
      <div tabIndex={0} className="@container flex-1 overflow-auto">
        {shown.length === 0 ? (
          <p className="p-6 text-sm text-slate-600">{rows.length === 0 ? 'No request sent yet. Use the console and each request shows here.' : 'No request matches these filters.'}</p>
        ) : (
          <table className="min-w-full text-left text-sm @max-xl:block">
            <caption className="sr-only">Requests, newest first</caption>
            <thead className="sticky top-0 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 @max-xl:sr-only">
              <tr>
                <th scope="col" className="px-3 py-2">Time</th>
                <th scope="col" className="px-3 py-2">Request</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2">Request ID</th>
                <th scope="col" className="px-3 py-2">Wait</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 @max-xl:block">
              {shown.map((row, index) => (
                <Fragment key={row.id}>
                {row.earlier && !shown[index - 1]?.earlier ? (
                  <tr>
                    <th scope="colgroup" colSpan={5} className="bg-slate-50 px-3 py-2 text-xs font-semibold text-slate-600 @max-xl:block">
                      Before this page was loaded (earlier in this tab)
                    </th>
                  </tr>
                ) : null}
                <tr className="@max-xl:block @max-xl:py-1.5">
                  <td className="px-3 py-1.5 whitespace-nowrap tabular-nums @max-xl:inline-block @max-xl:py-0">{timeFormat.format(row.startedAt)}</td>
                  <td className="px-3 py-1.5 font-mono text-xs @max-xl:inline @max-xl:p-0">
                    {row.method} {row.path}
                    {row.query ? <span className="break-all text-slate-600">?{row.query}</span> : null}
                    {row.fileName ? <span className="ml-2 break-all font-sans text-slate-700">{row.fileName}</span> : null}
                  </td>
                  <td className="px-3 py-1.5 whitespace-nowrap @max-xl:block @max-xl:py-0">
                    <span className="font-medium text-slate-600 @xl:hidden"> Status: </span>
                    {row.status === null && row.code === 'aborted' ? (
                      <span className="text-slate-600">cancelled by the console</span>
                    ) : (
                      <>
                        {row.status ?? 'no answer'}
                        {row.code ? <span className="ml-1 font-mono text-xs text-red-800">{row.code}</span> : null}
                      </>
                    )}
                  </td>
                  <td className="px-3 py-1.5 font-mono text-xs @max-xl:block @max-xl:py-0 @max-xl:break-all">
                    <span className="font-sans font-medium text-slate-600 @xl:hidden"> Request ID: </span>
                    {row.requestId ?? '—'}
                  </td>
                  <td className={`px-3 py-1.5 text-xs text-slate-700 @max-xl:block @max-xl:py-0 ${waitText(row) ? '' : '@max-xl:hidden'}`}>
                    <span className="font-medium text-slate-600 @xl:hidden"> Wait: </span>
                    {waitText(row)}
                  </td>
                </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </aside>
  );
}
