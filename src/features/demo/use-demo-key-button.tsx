import { useState } from 'react';
import { z } from 'zod/mini';
import { buttonStyles } from '../../components/button-styles';

const demoInfoSchema = z.object({ key: z.string(), account_id: z.string() });

/** Asks the simulator for its public demo key; only rendered in demo mode. */
export function UseDemoKeyButton({ apiBase, onKey }: { apiBase: string; onKey: (key: string) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  async function applyDemoKey() {
    try {
      const response = await fetch(`${apiBase}/__sim/demo`);
      const info = demoInfoSchema.parse(await response.json());
      setProblem(null);
      onKey(info.key);
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
