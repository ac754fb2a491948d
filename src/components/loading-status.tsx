import { useGateState } from '../api/api-client-context';

/** "Loading…", unless requests are paused for an API key: then it says so instead of spinning forever. */
export function LoadingStatus({ what }: { what: string }) {
  const gate = useGateState();
  return (
    <p role="status" className="text-sm text-slate-600">
      {gate.auth === 'closed' ? `Waiting for an API key to load ${what}.` : `Loading ${what}…`}
    </p>
  );
}
