import type { Clock, RandomSource } from '../../lib/random';
import { NovaPulseSimulator } from './simulator';

/** The demo account's key is public on purpose: it only exists inside the simulator. */
export const DEMO_API_KEY = 'np_test_DemoKeyForNovaPulseConsole000001';
export const DEMO_ACCOUNT_ID = 'acc_demo';

/** A simulator holding the seeded demo account: a few hundred jobs of every status. */
export function createDemoSimulator(options: { clock?: Clock; random?: RandomSource } = {}): NovaPulseSimulator {
  const simulator = new NovaPulseSimulator(options);
  seedDemoAccount(simulator);
  return simulator;
}

/** (Re)creates the demo account as a first visit finds it: its jobs seeded again at the simulator's time, no faults. */
export function seedDemoAccount(simulator: NovaPulseSimulator) {
  simulator.removeAccount(DEMO_ACCOUNT_ID);
  simulator.createAccount({
    id: DEMO_ACCOUNT_ID,
    name: 'Acme Support (demo)',
    tier: 'growth',
    seedJobs: 320,
    seedActiveJobs: 3,
    fullKey: DEMO_API_KEY,
    seed: 20261125,
  });
}

/** A key that signs in to the demo account now, whatever was done to it: the account is seeded again if missing. */
export function workingDemoKey(simulator: NovaPulseSimulator): string {
  if (!simulator.accounts.has(DEMO_ACCOUNT_ID)) seedDemoAccount(simulator);
  return simulator.workingKey(DEMO_ACCOUNT_ID);
}
