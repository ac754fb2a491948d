import { createContext } from 'react';
import { z } from 'zod/mini';

const demoKeySchema = z.object({ key: z.string(), account_id: z.string() });

/**
 * Asks the simulator for a demo key that works now (a fresh one if the demo key expired). The request carries no key:
 * whatever state the console's key is in, the demo can be signed in to again.
 */
export async function fetchWorkingDemoKey(apiBase: string, fetchImpl: typeof fetch = fetch): Promise<{ key: string; accountId: string }> {
  const response = await fetchImpl(`${apiBase.replace(/\/$/, '')}/__sim/demo/key`, { method: 'POST' });
  if (!response.ok) throw new Error(`the simulator answered ${response.status}`);
  const { key, account_id: accountId } = demoKeySchema.parse(await response.json());
  return { key, accountId };
}

/** How the demo panel signs the console in with a demo key (the app owns the key store). */
export const DemoKeyContext = createContext<(key: string) => void>(() => {});
