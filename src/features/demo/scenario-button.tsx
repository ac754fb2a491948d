import { lazy } from 'react';
import { DrawerToggle } from '../../components/drawer-toggle';
import { DemoKeyContext } from './demo-key';

// Demo builds only: the panel's code is fetched when a presenter first opens it.
const ScenarioPanel = lazy(() => import('./scenario-panel'));

/** `onDemoKey` signs the console in with a demo key: "Reset demo data" uses it when the console has no working key. */
export function ScenarioButton({ onDemoKey }: { onDemoKey: (key: string) => void }) {
  return (
    <DemoKeyContext.Provider value={onDemoKey}>
      <DrawerToggle
        label="Demo scenarios"
        Drawer={ScenarioPanel}
        className="rounded-md bg-amber-300 px-2 py-1 text-sm font-medium text-amber-950 hover:bg-amber-200 focus-visible:outline-2 focus-visible:outline-white"
      />
    </DemoKeyContext.Provider>
  );
}
