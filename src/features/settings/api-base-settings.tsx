import { type FormEvent, useId, useState } from 'react';
import { buttonStyles } from '../../components/button-styles';
import { connectionAllowed, connectSources } from '../../lib/connect-policy';
import { settingsEvents, useApiBaseOverride } from './settings-store';

export function ApiBaseSettings({ buildDefault }: { buildDefault: string }) {
  const override = useApiBaseOverride();
  const [value, setValue] = useState(override ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null | undefined>(undefined);
  const id = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = value.trim();
    if (trimmed && !/^https?:\/\/[^\s]+$/.test(trimmed)) {
      setProblem('Enter a full http:// or https:// URL, or leave it empty to use the default.');
      return;
    }
    // The page's Content-Security-Policy decides where it may connect: say so rather than fail later as a network error.
    const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
    const sources = connectSources(policy);
    if (trimmed && !connectionAllowed(trimmed, sources, window.location.origin)) {
      const allowed = (sources ?? []).map((source) => (source === "'self'" ? window.location.origin : source)).join(', ');
      setProblem(
        `This deployment of the console may connect only to ${allowed}. To use ${trimmed}, configure it with npm run configure -- --api-base ${trimmed} (see the README's Deploying).`,
      );
      return;
    }
    setProblem(null);
    settingsEvents().apiBaseChanged(trimmed || null);
    setSaved(trimmed || null);
  }
  return (
    <section aria-labelledby="api-base-title" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="api-base-title" className="text-lg font-semibold">
        API endpoint
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Requests go to <span className="font-mono">{override ?? (buildDefault || window.location.origin)}</span>.
      </p>
      <form onSubmit={submit} className="mt-3 flex flex-wrap items-end gap-2">
        <div className="w-full sm:w-auto">
          <label htmlFor={id} className="block text-sm font-medium text-slate-800">
            API base URL
          </label>
          <input
            id={id}
            type="url"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            placeholder={buildDefault || 'https://api.novapulse.example'}
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm sm:w-80"
            aria-invalid={problem ? true : undefined}
          />
        </div>
        <button type="submit" className={buttonStyles.secondary}>
          Save
        </button>
      </form>
      <p role="status" className="mt-2 text-sm text-emerald-800">
        {saved === undefined ? '' : `Saved. Requests now go to ${saved ?? (buildDefault || window.location.origin)}; everything shown is loaded again from there.`}
      </p>
      {problem ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
