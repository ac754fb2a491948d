import { ApiError } from '../api/api-error';

/** A failure in words a person can act on, from the catalogue; server text is rendered as text. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!(error instanceof ApiError)) {
    return (
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
        <p className="font-semibold">{title ?? 'Something went wrong'}</p>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </div>
    );
  }
  const entry = error.entry;
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900">
      <p className="font-semibold">{title ?? entry.title}</p>
      <p className="mt-1">{error.message}</p>
      <p className="mt-1">{entry.resolution}</p>
      <p className="mt-2 font-mono text-xs text-red-800">
        {error.code}
        {error.status !== null ? ` · HTTP ${error.status}` : ''}
        {error.requestId ? ` · request ${error.requestId}` : ''}
      </p>
    </div>
  );
}
