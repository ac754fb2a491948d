import { useApiClient, useExchanges, useUnreadableHeaders } from '../../api/api-client-context';
import { EXPOSE_HEADERS_LINE } from '../../api/hidden-headers';
import { CopyTextButton } from '../../components/copy-text-button';

/**
 * Whether this page can read the headers the console paces itself by. Across origins the API must list them in
 * `Access-Control-Expose-Headers`; without that they arrive but stay hidden from the page, and the console falls
 * back to its own count and full-minute waits. Says which are missing and the exact line to add.
 */
export function ApiHeadersDiagnosis() {
  const client = useApiClient();
  const unreadable = useUnreadableHeaders();
  // An answer kept from before a reload says nothing about what this page can read.
  const answered = useExchanges().some((exchange) => !exchange.earlier && exchange.status !== null && exchange.status !== 401);
  const api = client.baseUrl || window.location.origin;
  return (
    <section aria-labelledby="api-headers-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="api-headers-title" className="text-lg font-semibold text-slate-900">
        API headers
      </h2>
      {!answered ? (
        <p className="mt-2 text-sm text-slate-700">No answer from {api} yet: this is checked with the first one.</p>
      ) : unreadable.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">Every header the console reads is readable from {api}: its rate limit, Retry-After and request ids.</p>
      ) : (
        <div className="mt-2 space-y-2 text-sm text-slate-700">
          <p role="status" className="font-semibold text-amber-800">
            {api} answers, but this page cannot read: {unreadable.join(', ')}.
          </p>
          <p>
            Browsers hide response headers from a page on another origin unless the API names them. Until it does, the console keeps to
            the key's limit by its own count, waits a full minute after a 429 or 503 that names no time, and cannot quote request ids to
            support. Add this header to every response of the API (or of the proxy in front of it):
          </p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-3 text-xs text-slate-900">
            <code>{EXPOSE_HEADERS_LINE}</code>
          </pre>
          <CopyTextButton text={EXPOSE_HEADERS_LINE} label="Copy the header line" copiedMessage="The header line is on the clipboard." />
        </div>
      )}
    </section>
  );
}
