import { useState } from 'react';
import { buttonStyles } from '../../components/button-styles';
import { fetchWorkingDemoKey } from './demo-key';

/** Signs in with a demo key that works now, whatever was done to the last one; only rendered in demo mode. */
export function UseDemoKeyButton({ apiBase, onKey }: { apiBase: string; onKey: (key: string) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  async function applyDemoKey() {
    try {
      const { key } = await fetchWorkingDemoKey(apiBase);
      setProblem(null);
      onKey(key);
    } catch {
      setProblem('The demo simulator did not answer. Reload the page.');
    }
  }
  return (
    <>
      {problem ? (
        <span role="alert" className="text-sm text-red-700">
          {problem}
        </span>
      ) : null}
      <button type="button" className={buttonStyles.secondary} onClick={applyDemoKey}>
        Use the demo key
      </button>
    </>
  );
}
