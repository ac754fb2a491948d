import { buttonStyles } from '../../components/button-styles';
import { CopyTextButton } from '../../components/copy-text-button';
import { supportBundle } from '../../lib/support-bundle';
import type { FailureRow } from './failure-rows';

/** One support bundle for the selected rows: failed jobs and refused uploads alike; never the key. */
export function bundleFor(rows: readonly FailureRow[], apiBase: string, now: number): string {
  const parts = rows.map((row) =>
    row.kind === 'job'
      ? supportBundle({
          failure: 'processing',
          what: `job failed while processing (${row.job.file.name})`,
          jobId: row.job.id,
          code: row.job.error?.code ?? 'unknown',
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

export function BundlePanel({ text, onClose }: { text: string; onClose: () => void }) {
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
