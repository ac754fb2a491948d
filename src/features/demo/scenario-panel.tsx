import { invalidateServerViews } from '../../api/cache-scope';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useContext, useEffect, useId, useRef, useState } from 'react';
import { useApiClient, useGateState } from '../../api/api-client-context';
import { accountQueryOptions } from '../../api/endpoints/get-account';
import { buttonStyles } from '../../components/button-styles';
import { FilterSelect } from '../../components/filter-select';
import { wrapTabWithin } from '../../components/focus-wrap';
import { JOB_FAILURE_CODES } from '../../errors/catalogue';
import { DemoKeyContext, fetchWorkingDemoKey } from './demo-key';
import { type ProcessingFailureCode, SCENARIOS, type Scenario, simControl } from './scenarios';

/** The presenter's panel (demo builds only): each scenario drives the simulator's fault API, live. */
export default function ScenarioPanel({ onClose }: { onClose: () => void }) {
  const client = useApiClient();
  const gate = useGateState();
  const signInWithDemoKey = useContext(DemoKeyContext);
  const queryClient = useQueryClient();
  const account = useQuery(accountQueryOptions(client));
  const [running, setRunning] = useState<string | null>(null);
  const [active, setActive] = useState<Scenario | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [failureCode, setFailureCode] = useState<ProcessingFailureCode>('internal_error');
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const accountId = account.data?.account.id;

  async function run(scenario: Scenario) {
    if ((!accountId && !scenario.worksWithAnyKey) || running !== null) return;
    setRunning(scenario.id);
    setProblem(null);
    try {
      await scenario.run(simControl(client.baseUrl, accountId ?? null), { activeJobs: account.data?.usage.active_jobs ?? 0, failureCode });
      if (scenario.worksWithAnyKey) {
        // A console whose key is refused or missing (the key expired, then a reload) is signed in again, and so is one
        // on the demo account (a fresh key issued after an expiry is gone with the account it belonged to): the
        // presenter is never left with a panel that cannot bring the demo back.
        const demo = await fetchWorkingDemoKey(client.baseUrl);
        if (gate.auth === 'closed' || accountId === demo.accountId) signInWithDemoKey(demo.key);
      }
      setActive(scenario);
      // The screens learn of it at once rather than at their next refresh (not awaited: a maintenance window or an
      // expired key holds those requests, which is the point).
      void invalidateServerViews(queryClient);
    } catch (error) {
      setProblem(`${scenario.label} could not be started: ${error instanceof Error ? error.message : String(error)}.`);
    } finally {
      setRunning(null);
    }
  }

  return (
    <aside
      aria-labelledby={headingId}
      className="page-palette fixed inset-y-0 right-0 z-40 flex w-full max-w-md flex-col overflow-y-auto border-l border-slate-300 bg-white p-4 text-slate-900 shadow-2xl"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
        else wrapTabWithin(event);
      }}
    >
      <div className="flex items-start justify-between gap-3">
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
          Demo scenarios
        </h2>
        <button type="button" className={`${buttonStyles.secondary} shrink-0`} onClick={onClose}>
          Close scenarios
        </button>
      </div>
      <p className="mt-1 text-sm text-slate-600">Each one changes how the simulated NovaPulse behaves for this account, live. The console is not told: watch it cope.</p>
      <p role="status" className="mt-3 rounded-md bg-indigo-50 p-3 text-sm text-indigo-950">
        {running ? 'Starting…' : active ? `Running: ${active.label}. ${active.pointAt}` : accountId ? 'Running: a normal day.' : 'The scenarios need a working key. "Reset demo data" works with any, and signs the console in with the demo key.'}
      </p>
      {problem ? (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {problem}
        </p>
      ) : null}
      <ul className="mt-4 space-y-3" aria-label="Scenarios">
        {SCENARIOS.map((scenario) => (
          <li key={scenario.id} className="rounded-md border border-slate-200 p-3">
            <div className="flex flex-wrap items-end gap-2">
              <button
                type="button"
                className={active?.id === scenario.id ? buttonStyles.primary : buttonStyles.secondary}
                aria-pressed={active?.id === scenario.id}
                // Not disabled while one starts: a disabled button drops the focus, and Escape then closes nothing.
                disabled={!accountId && !scenario.worksWithAnyKey}
                aria-busy={running === scenario.id}
                onClick={() => void run(scenario)}
              >
                {scenario.label}
              </button>
              {scenario.id === 'processing-failures' ? (
                <FilterSelect label="Failure code" value={failureCode} options={JOB_FAILURE_CODES} onChange={(code) => setFailureCode(code ?? 'internal_error')} />
              ) : null}
            </div>
            <p className="mt-1 text-sm text-slate-700">{scenario.pointAt}</p>
          </li>
        ))}
      </ul>
    </aside>
  );
}
