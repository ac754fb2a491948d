import { useGateState } from '../api/api-client-context';

/**
 * A skeleton of rows while something loads, with a status for assistive tech; unless requests are paused for an API
 * key: then it says so, visibly, instead of shimmering forever.
 */
export function LoadingStatus({ what }: { what: string }) {
  const gate = useGateState();
  if (gate.auth === 'closed') {
    return (
      <p role="status" className="text-sm text-slate-600">
        Waiting for an API key to load {what}.
      </p>
    );
  }
  return (
    <div aria-busy="true" className="space-y-2">
      <p role="status" className="sr-only">
        Loading {what}…
      </p>
      {[0, 1, 2, 3].map((row) => (
        <div key={row} className="h-9 animate-pulse rounded-md bg-slate-200/70" style={{ opacity: 1 - row * 0.2 }} />
      ))}
    </div>
  );
}
